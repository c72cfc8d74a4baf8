"""Drafting Room: an expert group drafts an outcome document together."""
import os

from flask import Flask, g, request
from sqlalchemy import event

from drafting import config as settings
from drafting.extensions import AT_FIRST_WRITE, csrf, db, login_manager, migrate, sqlite_begin
from drafting.sqlite_writers import WriterLock


def create_app(config=None):
    """Build the app. `config` (a dict) overrides the environment; tests pass one."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(__name__, instance_path=os.path.join(root, "instance"),
                template_folder=os.path.join(root, "templates"))
    app.config.update(settings.DEFAULTS)
    if config is None or "SECRET_KEY" not in config or "SQLALCHEMY_DATABASE_URI" not in config:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config.update(settings.from_environment(app.instance_path))
    app.config.update(config or {})
    _engine_options(app)

    db.init_app(app)
    _transaction_mode(app)
    migrate.init_app(app, db, directory=os.path.join(root, "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    from drafting.services import mail

    mail.init_app(app)
    from drafting import realtime

    realtime.init_socketio(app)
    with app.app_context():
        _sqlite_pragmas(db.engine)

    from drafting.web import register

    register(app)

    realtime.register(app)

    from drafting.cli import register as register_cli

    register_cli(app)

    return app


def _transaction_mode(app):
    """Reads begin deferred so they never wait behind writers; writes take the lock up front.

    This runs before every other hook: the write limit and the token loader already query the
    database, and the transaction they open is the one the request writes in.
    """

    def choose():
        if request.method in ("GET", "HEAD", "OPTIONS"):
            mode = "BEGIN"
        elif getattr(app.view_functions.get(request.endpoint), "locks_at_first_write", False):
            mode = AT_FIRST_WRITE
        else:
            mode = "BEGIN IMMEDIATE"
        g._begin_token = sqlite_begin.set(mode)

    def restore(_error=None):
        token = g.pop("_begin_token", None)
        if token is not None:
            sqlite_begin.reset(token)

    app.before_request_funcs.setdefault(None, []).insert(0, choose)
    app.teardown_request(restore)


def _engine_options(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {}).update({"timeout": 30, "check_same_thread": False})
        # SQLite empties a connection's page cache whenever another connection has written since
        # it last read: handing out the most recently used connection keeps one of them warm.
        options.setdefault("pool_use_lifo", True)
    else:
        options.setdefault("pool_pre_ping", True)
        options.setdefault("pool_size", 10)
        options.setdefault("max_overflow", 20)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


# Statements that take the write lock in AT_FIRST_WRITE mode (a savepoint too, to stay simple).
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC", "SAVEPO")


def _sqlite_pragmas(engine):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    writers = WriterLock(engine.url.database if engine.url.database not in (None, "", ":memory:") else None)

    def take_write_lock(begin):
        # A writer that never ends its transaction must not stall the others for good: after
        # the busy timeout this one goes ahead and leaves the waiting to SQLite.
        if not writers.acquire(timeout=30):
            begin()
            return False
        try:
            begin()
        except BaseException:
            writers.release()
            raise
        return True

    def begin_writing(connection, execute):
        """The write lock and BEGIN IMMEDIATE, at the first write (execute: the cursor's or the
        connection's, for drafting/prepared.py, which writes without SQLAlchemy's cursor events)."""
        del connection.info["begin_at_first_write"]
        if take_write_lock(lambda: execute("BEGIN IMMEDIATE")):
            connection.info["holds_write_lock"] = True

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        mode = sqlite_begin.get()
        if mode == AT_FIRST_WRITE:
            connection.info["begin_at_first_write"] = begin_writing  # reads until then see the latest data
        elif mode != "BEGIN IMMEDIATE":
            connection.exec_driver_sql(mode)
        elif take_write_lock(lambda: connection.exec_driver_sql(mode)):
            connection.info["holds_write_lock"] = True

    @event.listens_for(engine, "before_cursor_execute")
    def before_write(connection, cursor, statement, _parameters, _context, _executemany):
        if connection.info.get("begin_at_first_write") and statement.lstrip()[:6].upper() in WRITES:
            begin_writing(connection, cursor.execute)

    # These events come before SQLAlchemy ends the transaction: end it here first, so that the
    # next writer never finds SQLite still locked and falls into its busy handler's sleeps.
    # (SQLAlchemy's own commit or rollback that follows then finds no transaction and does nothing.)
    @event.listens_for(engine, "commit")
    def on_commit(connection):
        end(connection, "commit")

    @event.listens_for(engine, "rollback")
    def on_rollback(connection):
        end(connection, "rollback")

    def end(connection, how):
        connection.info.pop("begin_at_first_write", None)
        if connection.info.pop("holds_write_lock", False):
            try:
                getattr(connection.connection.dbapi_connection, how)()
            finally:
                writers.release()
