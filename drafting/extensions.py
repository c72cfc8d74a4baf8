"""Flask extensions, created unbound and bound to an app in create_app."""
from contextvars import ContextVar

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
socketio = SocketIO()

# SQLite: how the next transaction begins. Writes must begin IMMEDIATE so that a
# read-then-write transaction waits for the lock instead of failing at once. AT_FIRST_WRITE: reads
# run on their own and the write lock is taken at the first write, for work whose writes re-check
# what they rely on (web/transactions.py).
AT_FIRST_WRITE = "at first write"
sqlite_begin = ContextVar("sqlite_begin", default="BEGIN IMMEDIATE")
