"""Flask extensions, created unbound and bound to an app in create_app."""
import hashlib

from flask import request, session
from flask_limiter import Limiter
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


def person_or_address():
    """What a rate limit counts against: the API token, the signed-in person, or the address.

    Read from the request alone, with no database: the limit is checked before a request's first
    statement, so that a refused request never opens a transaction."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    user_id = session.get("_user_id")
    if user_id is not None:
        return f"user:{user_id}"
    return f"address:{request.remote_addr or '127.0.0.1'}"


limiter = Limiter(key_func=person_or_address)
