"""Drafting Room: an expert group drafts an outcome document together."""
import os
import sqlite3
import time

from flask import Flask, has_request_context, request
from sqlalchemy import event

from drafting import config as settings
from drafting.extensions import csrf, db, login_manager, migrate


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


def _engine_options(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("sqlite"):
        # The busy timeout is set in _sqlite_pragmas (none while waiting for the write lock).
        options.setdefault("connect_args", {}).update({"timeout": 0, "check_same_thread": False})
        # SQLite empties a connection's page cache whenever another connection has written since
        # it last read: handing out the most recently used connection keeps one of them warm.
        options.setdefault("pool_use_lifo", True)
    else:
        options.setdefault("pool_pre_ping", True)
        options.setdefault("pool_size", 10)
        options.setdefault("max_overflow", 20)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _sqlite_pragmas(engine):
    """SQLite as SQLAlchemy's pysqlite recipe sets it up: WAL, foreign keys, and SQLAlchemy (not the
    driver) beginning transactions, so that a request that may write begins IMMEDIATE and waits its
    turn for the write lock instead of failing once it has read.

    Pages (GET, HEAD, OPTIONS) and socket events begin deferred: under WAL they read a snapshot and
    never wait for writers. Everything else (writes, the command line, background tasks) begins
    IMMEDIATE, waiting up to BUSY_SECONDS for the lock. That wait is a loop of short sleeps rather
    than SQLite's busy timeout, which sleeps inside C: under gevent that would stall every request
    of the worker, the one holding the lock included. SQLite's busy timeout (BRIEF_LOCK_MS) is left
    for the brief locks other statements may meet.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BRIEF_LOCK_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if has_request_context() and request.method in READ_METHODS:
            connection.exec_driver_sql("BEGIN")
            return
        sqlite = connection.connection.dbapi_connection
        sqlite.execute("PRAGMA busy_timeout=0")
        try:
            deadline, pause = time.monotonic() + BUSY_SECONDS, 0.0002
            while True:
                try:
                    sqlite.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                        raise
                time.sleep(pause)
                pause = min(pause * 2, 0.005)
        finally:
            sqlite.execute(f"PRAGMA busy_timeout={BRIEF_LOCK_MS}")


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_SECONDS = 30
# Beyond the write lock, SQLite holds short locks (the WAL index, a checkpoint) that a reader or a
# writer holding the write lock may meet: those are waited for by SQLite's own busy timeout.
BRIEF_LOCK_MS = 5000
