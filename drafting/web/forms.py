"""Small pieces shared by the HTML form handlers."""
from urllib.parse import urlparse

from flask import flash, redirect, request

from drafting.web.errors import reshow


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
    """Run a service call, then flash `message` and redirect to `done` (the boundary commits).

    A user's error re-shows the form through on_error(message, status) (web/errors.py). `done` and
    `message` may be functions of the action's result.
    """
    reshow(lambda error: on_error(error.message, error.status))
    result = action()
    flash(message(result) if callable(message) else message, "success")
    return redirect(done(result) if callable(done) else done)
