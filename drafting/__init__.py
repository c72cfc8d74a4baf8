"""Drafting Room: an expert group drafts an outcome document together."""
import os
import threading

from flask import Flask, g, request
from sqlalchemy import event

from drafting import config as settings
from drafting.extensions import csrf, db, limiter, login_manager, migrate, sqlite_begin


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
    limiter.init_app(app)
    login_manager.init_app(app)
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

    This runs before every other hook: the rate limiter and the token loader already query the
    database, and the transaction they open is the one the request writes in.
    """

    def choose():
        g._begin_token = sqlite_begin.set(
            "BEGIN" if request.method in ("GET", "HEAD", "OPTIONS") else "BEGIN IMMEDIATE")

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
    else:
        options.setdefault("pool_pre_ping", True)
        options.setdefault("pool_size", 10)
        options.setdefault("max_overflow", 20)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


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

    # Writers in one process queue on a lock instead of SQLite's busy handler, which polls
    # with sleeps of up to 100 ms and so makes a slow tail under many concurrent writes.
    writers = threading.Lock()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        mode = sqlite_begin.get()
        if mode != "BEGIN IMMEDIATE":
            connection.exec_driver_sql(mode)
            return
        # A writer that never ends its transaction must not stall the others for good: after
        # the busy timeout this one goes ahead and leaves the waiting to SQLite.
        if not writers.acquire(timeout=30):
            connection.exec_driver_sql(mode)
            return
        try:
            connection.exec_driver_sql(mode)
        except BaseException:
            writers.release()
            raise
        connection.info["holds_write_lock"] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def on_end(connection):
        if connection.info.pop("holds_write_lock", False):
            writers.release()
