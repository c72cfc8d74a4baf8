"""Writes are limited per person (about 20 a second, with bursts), so that no client floods a meeting.

The counts live in the storage Flask-Limiter is configured with (RATELIMIT_STORAGE_URI: Redis when
configured, so every process shares them), kept per app through the `limits` library that
Flask-Limiter is built on. The limit covers every POST, PUT, PATCH and DELETE, including routes
added later. Socket handlers that write call `check_write(user_key(user))` themselves.
"""
import math
import threading
import time

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import STRATEGIES
from werkzeug.exceptions import TooManyRequests

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Sign-in has its own, stricter limit per account and address (web/accounts.py).
EXEMPT_ENDPOINTS = frozenset({"accounts.login", "static"})
_made = threading.Lock()


class TooManyWrites(TooManyRequests):
    """429 with Retry-After: the person saved more often than the write limit allows."""


def user_key(user):
    """The bucket a write counts against: the person, or their address before they sign in."""
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.id}"
    return f"address:{get_remote_address()}"


def _strategy(app):
    """The app's write counter, made on first use so that building the app touches no network."""
    with _made:
        if "write_limits" not in app.extensions:
            storage = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
            strategy = STRATEGIES[app.config.get("RATELIMIT_STRATEGY") or "fixed-window"]
            app.extensions["write_limits"] = strategy(storage)
        return app.extensions["write_limits"]


def check_write(key):
    """Count one write for `key`; raise TooManyWrites when it goes over RATELIMIT_WRITES."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    limits = parse_many(current_app.config["RATELIMIT_WRITES"])
    strategy = _strategy(current_app)
    bucket = (current_app.config.get("RATELIMIT_KEY_PREFIX") or "drafting", "writes", key)
    try:
        breached = [item for item in limits if not strategy.test(item, *bucket)]
        if not breached:
            for item in limits:
                strategy.hit(item, *bucket)
            return
        reset_at = max(strategy.get_window_stats(item, *bucket).reset_time for item in breached)
    except Exception:  # noqa: BLE001 — an unreachable limit store must not stop the meeting
        current_app.logger.warning("Rate limit storage unavailable; write not counted", exc_info=True)
        return
    raise TooManyWrites(retry_after=max(1, math.ceil(reset_at - time.time())))


def register(app):
    @app.before_request
    def _limit_writes():
        if request.method in WRITE_METHODS and request.endpoint not in EXEMPT_ENDPOINTS:
            check_write(user_key(current_user))
