"""Configuration: the only module that reads environment variables."""
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


def _secret_key(instance_path):
    """DRAFTING_SECRET_KEY, or a key generated once and kept in the instance folder."""
    key = os.environ.get("DRAFTING_SECRET_KEY")
    if key:
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


# About 20 writes a second per person: bursts of 40 within a second, 1,200 over a minute.
WRITE_LIMIT = "40 per second; 1200 per minute"


def allowed_origins(value):
    """DRAFTING_ALLOWED_ORIGINS: comma-separated origins besides the app's own; never '*'."""
    origins = [o.strip().rstrip("/") for o in value.split(",") if o.strip()]
    if "*" in origins:
        raise ValueError("DRAFTING_ALLOWED_ORIGINS may not be '*': name the origins, e.g. https://drafting.example.org")
    return origins or None


def mail_settings(url):
    """DRAFTING_MAIL_URL (smtp://user:pass@host:587?starttls=1, or smtps://…) as Flask-Mailman settings.

    Without a URL nothing is sent: mails wait in the outbox, where the site admin sees them.
    """
    if not url:
        return {"MAIL_URL": None}
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("DRAFTING_MAIL_URL must look like smtp://user:password@host:587?starttls=1")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "MAIL_URL": url,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": parts.hostname,
        "MAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "MAIL_USERNAME": unquote(parts.username) if parts.username else None,
        "MAIL_PASSWORD": unquote(parts.password) if parts.password else None,
        "MAIL_USE_SSL": parts.scheme == "smtps",
        "MAIL_USE_TLS": parts.scheme == "smtp" and query.get("starttls", "0") in ("1", "true", "yes"),
        "MAIL_TIMEOUT": int(query.get("timeout", "20")),
    }


def from_environment(instance_path):
    """Settings taken from the environment, with defaults for a laptop."""
    database_url = os.environ.get(
        "DRAFTING_DATABASE_URL", f"sqlite:///{Path(instance_path) / 'drafting.sqlite3'}"
    )
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MESSAGE_QUEUE": os.environ.get("DRAFTING_MESSAGE_QUEUE") or None,
        "CORS_ALLOWED_ORIGINS": allowed_origins(os.environ.get("DRAFTING_ALLOWED_ORIGINS", "")),
        "SOCKETIO_ASYNC_MODE": os.environ.get("DRAFTING_SOCKETIO_ASYNC_MODE") or None,
        "MESSAGE_CHANNEL": os.environ.get("DRAFTING_MESSAGE_CHANNEL") or "drafting-room",
        "WEBSOCKET_COMPRESSION": os.environ.get("DRAFTING_WEBSOCKET_COMPRESSION", "") == "1",
        "RATELIMIT_STORAGE_URI": os.environ.get("DRAFTING_RATELIMIT_STORAGE")
        or os.environ.get("DRAFTING_MESSAGE_QUEUE")
        or "memory://",
        "RATELIMIT_LOGIN": os.environ.get("DRAFTING_RATELIMIT_LOGIN", "10 per minute"),
        "RATELIMIT_SIGN_IN_ADDRESS": os.environ.get("DRAFTING_RATELIMIT_LOGIN_ADDRESS", "50 per 10 minutes"),
        "RATELIMIT_DOWNLOADS": os.environ.get("DRAFTING_RATELIMIT_DOWNLOADS", "30 per minute"),
        "RATELIMIT_WRITES": os.environ.get("DRAFTING_RATELIMIT_WRITES", WRITE_LIMIT),
        "SESSION_COOKIE_SECURE": os.environ.get("DRAFTING_SECURE_COOKIES", "") == "1",
        "REMEMBER_COOKIE_SECURE": os.environ.get("DRAFTING_SECURE_COOKIES", "") == "1",
        # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none).
        "TRUSTED_PROXIES": _int("DRAFTING_TRUSTED_PROXIES", 0),
        "MAX_CONTENT_LENGTH": _int("DRAFTING_MAX_REQUEST_BYTES", 2 * 1024 * 1024),
        "REMEMBER_DAYS": _int("DRAFTING_REMEMBER_DAYS", 30),
        "SESSION_HOURS": _int("DRAFTING_SESSION_HOURS", 24),
        **mail_settings(os.environ.get("DRAFTING_MAIL_URL")),
        "MAIL_FROM": os.environ.get("DRAFTING_MAIL_FROM") or DEFAULTS["MAIL_FROM"],
        # The address links in mails point to, e.g. https://drafting.example.org.
        "PUBLIC_URL": (os.environ.get("DRAFTING_PUBLIC_URL") or "").rstrip("/") or None,
        # The served process sends the outbox itself unless DRAFTING_MAIL_SENDER=0 (cron runs `mail send`).
        "MAIL_SENDER_THREAD": os.environ.get("DRAFTING_MAIL_SENDER", "1") != "0",
        "RATELIMIT_PASSWORD_RESET": os.environ.get("DRAFTING_RATELIMIT_PASSWORD_RESET",
                                                   DEFAULTS["RATELIMIT_PASSWORD_RESET"]),
        # How often the server adopts documents whose silence procedure passed its deadline (0: never;
        # then run `flask procedure tick` from a scheduler).
        "PROCEDURE_TICK_SECONDS": _int("DRAFTING_PROCEDURE_TICK_SECONDS", 60),
    }


DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "WTF_CSRF_TIME_LIMIT": None,
    "RATELIMIT_ENABLED": True,
    "JSON_SORT_KEYS": False,
    "RATELIMIT_LOGIN": "10 per minute",
    "RATELIMIT_WRITES": WRITE_LIMIT,
    "TRUSTED_PROXIES": 0,
    "HSTS_SECONDS": 365 * 24 * 3600,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "RATELIMIT_STORAGE_URI": "memory://",
    # Failed sign-ins from one address for any accounts (RATELIMIT_LOGIN: for one account from one address).
    "RATELIMIT_SIGN_IN_ADDRESS": "50 per 10 minutes",
    # A session lasts this long from sign-in: SESSION_HOURS, or REMEMBER_DAYS with "remember me".
    "SESSION_HOURS": 24,
    "REMEMBER_DAYS": 30,
    # Downloads of an outcome document (each export is made once per document version).
    "RATELIMIT_DOWNLOADS": "30 per minute",
    # An unreachable limit store must not stop the meeting: the request goes on, uncounted.
    "RATELIMIT_SWALLOW_ERRORS": True,
    "PROCEDURE_TICK_SECONDS": 0,
    # None: gevent under a gevent server (gunicorn -k gevent), threading otherwise (`flask run`).
    "SOCKETIO_ASYNC_MODE": None,
    # permessage-deflate compresses every broadcast once per recipient: off unless asked for.
    "WEBSOCKET_COMPRESSION": False,
    "SOCKETIO_MAX_MESSAGE_BYTES": 64 * 1024,
    # The Redis pub/sub channel: channels are shared by every database number on a Redis server.
    "MESSAGE_CHANNEL": "drafting-room",
    # Mail: without MAIL_URL nothing is sent and the outbox keeps every mail (see mail_settings).
    "MAIL_URL": None,
    "MAIL_FROM": "Drafting Room <drafting@localhost>",
    "PUBLIC_URL": None,
    "MAIL_SENDER_THREAD": False,
    "MAIL_SEND_INTERVAL": 5,
    # Reset requests per address and per account; over it the answer is 429 (address) or no mail (account).
    "RATELIMIT_PASSWORD_RESET": "5 per hour",
}


def for_tests(tmp_path, **overrides):
    """A configuration for tests: a fresh SQLite file (or the test PostgreSQL) and no CSRF fuss."""
    url = os.environ.get("DRAFTING_TEST_DATABASE_URL") or f"sqlite:///{Path(tmp_path) / 'test.sqlite3'}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        # Limits on, as in production, but loose: the tests of limits set their own.
        "RATELIMIT_WRITES": "100000 per second",
        "RATELIMIT_LOGIN": "100000 per minute",
        "RATELIMIT_SIGN_IN_ADDRESS": "100000 per minute",
        "RATELIMIT_DOWNLOADS": "100000 per minute",
        "RATELIMIT_PASSWORD_RESET": "100000 per hour",
        "RATELIMIT_STORAGE_URI": "memory://",
        "MESSAGE_QUEUE": None,
    }
    config.update(overrides)
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # A commit need not wait for the disk (no test outlives a crash of the database server):
        # waiting for it, ~3 ms a commit, was most of the time of a PostgreSQL test.
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"options": "-c synchronous_commit=off"}})
    return config


def database_url_for_tests():
    return os.environ.get("DRAFTING_TEST_DATABASE_URL")


def message_queue_for_tests():
    return os.environ.get("DRAFTING_TEST_MESSAGE_QUEUE")
