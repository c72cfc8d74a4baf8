"""Small pieces shared by the HTML form handlers."""
from urllib.parse import urlparse

from flask import flash, redirect, request

from drafting.boundary import commit
from drafting.domain.errors import DomainError
from drafting.extensions import db


def field(name, default=""):
    return request.form.get(name, default)


def safe_next(target, fallback):
    """Only same-site paths may be a redirect target after sign-in (no control characters, which a
    Location header cannot carry, and no backslash, which browsers read as a slash)."""
    if not target or not isinstance(target, str) or any(ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in target):
        return fallback
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def act(action, on_error, done, message):
    """Run a service call and commit, then flash `message` and redirect to `done`.

    A user's error rolls back and re-shows the form through on_error(message, status); errors of
    access (401, 403, 404) go to the error handlers. `done` and `message` may be functions of the
    action's result.
    """
    try:
        result = action()
        commit()
    except DomainError as err:
        db.session.rollback()
        if err.status in (401, 403, 404):
            raise
        return on_error(err.message, err.status)
    flash(message(result) if callable(message) else message, "success")
    return redirect(done(result) if callable(done) else done)
