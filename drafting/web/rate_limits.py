"""Rate limits: writes per person (about 20 a second, with bursts), so that no client floods a meeting,
and sign-in attempts per address and per account (RATELIMIT_LOGIN), so that passwords are not guessed.

The counts live in RATELIMIT_STORAGE_URI (Redis when configured, so every process shares them), through
the `limits` library; with the default memory:// they are kept in this process. The write limit covers
every POST, PUT, PATCH and DELETE, including routes added later. Socket handlers that write call
`check_write(user_key(user))` themselves.
"""
import functools
import math
import threading
import time

from flask import current_app, request
from flask_login import current_user
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import STRATEGIES
from limits.util import WindowStats
from werkzeug.exceptions import TooManyRequests

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Sign-in has its own, stricter limit per account and address (web/accounts.py).
EXEMPT_ENDPOINTS = frozenset({"accounts.login", "static"})
_made = threading.Lock()


class TooManyWrites(TooManyRequests):
    """429 with Retry-After: the person wrote (or tried to sign in) more often than the limit allows."""


def remote_address():
    """The client's address (behind a trusted proxy, ProxyFix has put the real one in place)."""
    return request.remote_addr or "127.0.0.1"


def user_key(user):
    """The bucket a write counts against: the person, or their address before they sign in."""
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.id}"
    return f"address:{remote_address()}"


class LocalFixedWindows:
    """Fixed-window counts kept in this process, for the memory:// storage.

    The `limits` memory storage starts a timer thread every 10 ms while writes flow, to expire its
    keys; that cost a vote more than all its permission checks. Here a finished window is simply
    replaced by the next one. Same methods as a `limits` strategy, as check_write uses them.
    """

    def __init__(self):
        self._windows = {}  # key -> (window start, count)
        self._lock = threading.Lock()

    def _current(self, item, identifiers, now):
        expiry = item.get_expiry()
        start = now - now % expiry
        key = item.key_for(*identifiers)
        window = self._windows.get(key)
        return key, start, (window[1] if window is not None and window[0] == start else 0)

    def test(self, item, *identifiers):
        _key, _start, count = self._current(item, identifiers, time.time())
        return count < item.amount

    def hit(self, item, *identifiers):
        with self._lock:
            key, start, count = self._current(item, identifiers, time.time())
            if len(self._windows) > 100_000:  # people who stopped writing leave their windows behind
                self._windows = {k: w for k, w in self._windows.items() if w[0] >= start}
            self._windows[key] = (start, count + 1)
            return count < item.amount

    def get_window_stats(self, item, *identifiers):
        _key, start, count = self._current(item, identifiers, time.time())
        return WindowStats(start + item.get_expiry(), max(0, item.amount - count))


def _strategy(app):
    """The app's write counter, made on first use so that building the app touches no network."""
    with _made:
        if "write_limits" not in app.extensions:
            uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
            name = app.config.get("RATELIMIT_STRATEGY") or "fixed-window"
            if uri == "memory://" and name == "fixed-window":
                app.extensions["write_limits"] = LocalFixedWindows()
            else:
                app.extensions["write_limits"] = STRATEGIES[name](storage_from_string(uri))
        return app.extensions["write_limits"]


@functools.lru_cache(maxsize=8)
def _parsed(setting):
    return parse_many(setting)


def check_write(key):
    """Count one write for `key`; raise TooManyWrites when it goes over RATELIMIT_WRITES."""
    check("RATELIMIT_WRITES", "writes", key)


def check_sign_in(email):
    """Count one sign-in attempt from this address and for this account against RATELIMIT_LOGIN."""
    check("RATELIMIT_LOGIN", "login", f"address:{remote_address()}")
    check("RATELIMIT_LOGIN", "login", "account:" + (email or "").strip().lower()[:254])


def check(setting, kind, key):
    """Count one `kind` of request for `key` against the limits in config[setting]; 429 when over."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    limits = _parsed(current_app.config[setting])
    strategy = _strategy(current_app)
    bucket = (current_app.config.get("RATELIMIT_KEY_PREFIX") or "drafting", kind, key)
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
