"""Statements of the busiest requests, compiled once and run straight on SQLite's connection.

A vote runs six short statements. SQLite answers each in a few microseconds; SQLAlchemy's work
around each execution (an execution context, parameter processing, a result object, events) cost
40–70 µs, several times SQLite's own, and set how many votes a server process could take. A
Prepared statement is still written with SQLAlchemy Core and runs in the session's transaction
on the session's connection; only the per-execution machinery is skipped.

What it does not do: process result types (rows come as SQLite gives them: booleans as 0/1,
times as text, so select plain values), or run SQLAlchemy's cursor events. A write that would
begin the transaction (web/transactions.py: the write lock is taken at the first write) goes
through SQLAlchemy so that those events take the lock. On other databases every statement goes
through SQLAlchemy.
"""
import sqlalchemy.exc

from drafting.extensions import db


class Prepared:
    """A Core statement with its SQL, positional parameters and bind processors made once."""

    def __init__(self, statement):
        self.statement = statement
        self._compiled = None

    def _sqlite(self, dialect):
        if self._compiled is None:
            compiled = self.statement.compile(dialect=dialect)
            processors = {}
            for bind, name in compiled.bind_names.items():
                processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    processors[name] = processor
            self._compiled = (compiled, str(compiled), tuple(compiled.positiontup), processors)
        return self._compiled

    def all(self, params):
        """The statement's rows (plain tuples on SQLite), all fetched."""
        session = db.session
        connection = session.connection()
        dialect = connection.dialect
        if dialect.name != "sqlite" or (self.statement.is_dml and connection.info.get("begin_at_first_write")):
            return session.execute(self.statement, params).all()
        compiled, sql, names, processors = self._sqlite(dialect)
        values = compiled.construct_params(params)
        for name, processor in processors.items():
            values[name] = processor(values[name])
        arguments = tuple(values[name] for name in names)
        try:
            return connection.connection.dbapi_connection.execute(sql, arguments).fetchall()
        except dialect.loaded_dbapi.Error as error:
            raise sqlalchemy.exc.DBAPIError.instance(sql, arguments, error, dialect.loaded_dbapi.Error,
                                                     dialect=dialect) from error

    def first(self, params):
        """The first row, or None."""
        rows = self.all(params)
        return rows[0] if rows else None

    def scalar(self, params):
        """The first column of the first row, or None."""
        rows = self.all(params)
        return rows[0][0] if rows else None
