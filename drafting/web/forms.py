"""Small pieces shared by the HTML form handlers."""
from urllib.parse import urlparse

from flask import request


def field(name, default=""):
    return request.form.get(name, default)


def safe_next(target, fallback):
    """Only same-site paths may be a redirect target after sign-in."""
    if not target:
        return fallback
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
