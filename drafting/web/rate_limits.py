"""Rate limits, through Flask-Limiter: writes per person (about 20 a second, with bursts), so that no
client floods a meeting, and sign-in attempts per address and per account (RATELIMIT_LOGIN), so that
passwords are not guessed.

The counts live in RATELIMIT_STORAGE_URI (Redis when configured, so that every process shares them;
memory:// keeps them in the process). The write limit is one limit shared by every POST, PUT, PATCH
and DELETE, routes added later included; the limits are read from the configuration on each request.
"""
import math
import time

from flask import current_app, request
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from drafting.boundary import WRITE_METHODS
from drafting.extensions import limiter

# Sign-in has its own, stricter limit per account and address (web/accounts.py).
EXEMPT_ENDPOINTS = frozenset({"accounts.login", "static"})


class TooManyWrites(TooManyRequests):
    """429 with Retry-After: more requests of one kind than the limit allows."""


def remote_address():
    """The client's address (behind a trusted proxy, ProxyFix has put the real one in place)."""
    return request.remote_addr or "127.0.0.1"


def _not_a_write():
    return request.method not in WRITE_METHODS or request.endpoint in EXEMPT_ENDPOINTS


def check_sign_in(email):
    """Count one sign-in attempt from this address and for this account; 429 over RATELIMIT_LOGIN."""
    check("RATELIMIT_LOGIN", "login", f"address:{remote_address()}")
    check("RATELIMIT_LOGIN", "login", "account:" + (email or "").strip().lower()[:254])


def check(setting, kind, key):
    """Count one `kind` of request for `key` against the limits in config[setting], in the limiter's
    storage; 429 with Retry-After when over."""
    if not limiter.enabled:
        return
    for item in parse_many(current_app.config[setting]):
        if not limiter.limiter.hit(item, kind, key):
            reset_at = limiter.limiter.get_window_stats(item, kind, key).reset_time
            raise TooManyWrites(retry_after=max(1, math.ceil(reset_at - time.time())))


def retry_after(error):
    """Seconds until the limit that refused this request lets it through again."""
    breached = getattr(error, "retry_after", None)
    if breached is None and limiter.current_limit is not None:
        breached = limiter.current_limit.window.reset_time - time.time()
    return max(1, math.ceil(breached)) if breached else 60


def register(app):
    app.config.setdefault("RATELIMIT_APPLICATION", lambda: current_app.config["RATELIMIT_WRITES"])
    app.config.setdefault("RATELIMIT_APPLICATION_EXEMPT_WHEN", _not_a_write)
    limiter.init_app(app)
