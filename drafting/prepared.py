"""Statements of the busiest requests, compiled once and run straight on SQLite's connection.

A vote runs six short statements. SQLite answers each in a few microseconds; SQLAlchemy's work
around each execution (an execution context, parameter processing, a result object, events) cost
40–70 µs, several times SQLite's own, and set how many votes a server process could take. A
Prepared statement is still written with SQLAlchemy Core and runs in the session's transaction
on the session's connection; only the per-execution machinery is skipped.

What it does not do: run SQLAlchemy's cursor events. The one that matters here, taking the
write lock at a request's first write (web/transactions.py), is done by the write itself. On other
databases every statement goes through SQLAlchemy.
"""
import sqlalchemy.exc

from drafting.extensions import db


class Prepared:
    """A Core statement with its SQL, positional parameters and type processors made once."""

    def __init__(self, statement):
        """statement: a Core statement, or a function of a dialect's name that builds one."""
        self.statement_for = statement if callable(statement) else lambda _dialect_name: statement
        self._compiled = None

    def _sqlite(self, dialect):
        if self._compiled is None:
            statement = self.statement_for(dialect.name)
            compiled = statement.compile(dialect=dialect)
            binds = {}
            for bind, name in compiled.bind_names.items():
                processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    binds[name] = processor
            # Selected columns come back as their types read them (booleans, times); RETURNING
            # columns as SQLite gives them.
            columns = getattr(statement, "selected_columns", ())
            results = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]
            results = tuple(results) if any(results) else None
            self._compiled = (compiled, str(compiled), tuple(compiled.positiontup), binds, results,
                              statement.is_dml)
        return self._compiled

    def all(self, params):
        """The statement's rows, all fetched."""
        session = db.session
        connection = session.connection()
        dialect = connection.dialect
        if dialect.name != "sqlite":
            return session.execute(self.statement_for(dialect.name), params).all()
        compiled, sql, names, binds, results, writes = self._sqlite(dialect)
        values = compiled.construct_params(params)
        for name, processor in binds.items():
            values[name] = processor(values[name])
        arguments = tuple(values[name] for name in names)
        dbapi_connection = connection.connection.dbapi_connection
        begin = connection.info.get("begin_at_first_write")
        try:
            if writes and begin is not None:
                begin(connection, dbapi_connection.execute)
            rows = dbapi_connection.execute(sql, arguments).fetchall()
        except dialect.loaded_dbapi.Error as error:
            raise sqlalchemy.exc.DBAPIError.instance(sql, arguments, error, dialect.loaded_dbapi.Error,
                                                     dialect=dialect) from error
        if results is None:
            return rows
        return [tuple(value if process is None else process(value) for process, value in zip(results, row))
                for row in rows]

    def first(self, params):
        """The first row, or None."""
        rows = self.all(params)
        return rows[0] if rows else None

    def scalar(self, params):
        """The first column of the first row, or None."""
        rows = self.all(params)
        return rows[0][0] if rows else None

