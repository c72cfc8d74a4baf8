"""Sign-in throttling that slows guessing without locking the owner out.

What is counted is failures, never attempts: per account *and* address (RATELIMIT_LOGIN), so that
wrong passwords sent from other addresses cannot lock the owner out of their own account, and per
address over any accounts (RATELIMIT_SIGN_IN_ADDRESS), so that one address cannot try one password
on every account. A successful sign-in clears its account-and-address count. The counts live in
RATELIMIT_STORAGE_URI, through the app's Flask-Limiter (Redis when configured, so every process
shares them).
"""
import hashlib
import math
import time

from flask import current_app, request
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from drafting.extensions import limiter as app_limiter


class TooManyFailures(TooManyRequests):
    """429 with Retry-After: too many wrong passwords from here."""


def _limiter(_app):
    return app_limiter.limiter


def _buckets(email):
    address = request.remote_addr or "unknown"
    account = hashlib.sha256((email or "").strip().lower()[:254].encode()).hexdigest()[:32]
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "drafting"
    return [("RATELIMIT_LOGIN", (prefix, "sign-in", account, address)),
            ("RATELIMIT_SIGN_IN_ADDRESS", (prefix, "sign-in-address", address))]


def _enabled():
    return app_limiter.enabled


def check(email):
    """Before checking a password: 429 when this account-and-address, or this address, failed too often."""
    if not _enabled():
        return
    limiter = _limiter(current_app)
    try:
        for setting, bucket in _buckets(email):
            for item in parse_many(current_app.config[setting]):
                if not limiter.test(item, *bucket):
                    reset = limiter.get_window_stats(item, *bucket).reset_time
                    raise TooManyFailures(retry_after=max(1, math.ceil(reset - time.time())))
    except TooManyFailures:
        raise
    except Exception:  # an unreachable store must not stop people signing in
        current_app.logger.warning("Sign-in throttle storage unavailable", exc_info=True)


def failed(email):
    """Count one wrong password."""
    if not _enabled():
        return
    limiter = _limiter(current_app)
    try:
        for setting, bucket in _buckets(email):
            for item in parse_many(current_app.config[setting]):
                limiter.hit(item, *bucket)
    except Exception:
        current_app.logger.warning("Sign-in throttle storage unavailable", exc_info=True)


def succeeded(email):
    """The owner is in: their failures from this address are forgotten."""
    if not _enabled():
        return
    limiter = _limiter(current_app)
    setting, bucket = _buckets(email)[0]
    try:
        for item in parse_many(current_app.config[setting]):
            limiter.clear(item, *bucket)
    except Exception:
        current_app.logger.warning("Sign-in throttle storage unavailable", exc_info=True)
