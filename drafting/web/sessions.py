"""Browser sessions: the signed cookie names a server-side session (services/sessions.py) that can end.

The cookie holds `_user_id` (Flask-Login's) and `_sid`, the session's secret. Remember-me makes the
cookie last (PERMANENT_SESSION_LIFETIME) instead of ending with the browser; the server-side row has
its own issue time and expiry either way. Flask-Login's own remember cookie ("<id>|<HMAC>", the same at
every sign-in, valid for ever) is never set. Personal tokens are for /api/v1 only.
"""
from datetime import timedelta

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user, logout_user

from drafting.boundary import WRITE_METHODS
from drafting.extensions import db, login_manager
from drafting.models import ApiToken, UserSession, utcnow
from drafting.services import accounts, sessions


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's own cookie sessions; building the signer (which test-serialises a value) cost more
    than a vote's permission checks, and the secret key does not change while the app runs."""

    def __init__(self):
        self._signers = {}

    def get_signing_serializer(self, app):
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if key not in self._signers:
            self._signers[key] = super().get_signing_serializer(app)
        return self._signers[key]


def _lifetime(remember):
    if remember:
        return timedelta(days=current_app.config.get("REMEMBER_DAYS", 30))
    return timedelta(hours=current_app.config.get("SESSION_HOURS", 24))


def sign_in(user, remember=False):
    """Start a new session for this browser: everything the old cookie held (its CSRF token) is gone."""
    session.clear()
    secret = sessions.start(user, remember, _lifetime(remember),
                            user_agent=request.headers.get("User-Agent", ""), address=request.remote_addr or "")
    login_user(user, remember=False)
    session["_sid"] = secret
    session.permanent = bool(remember)
    return secret


def sign_out():
    """End this browser's session on the server, then forget the cookie."""
    secret = session.get("_sid")
    if secret:
        sessions.end(secret)
    logout_user()
    session.clear()


def is_api(req):
    """A request to the JSON API, wherever its route is defined."""
    return req.path.startswith("/api/v1/")


def by_token(req):
    """An API request that authenticates with a bearer token (and so by nothing else)."""
    return is_api(req) and bool(req.headers.get("Authorization"))


def _bearer():
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.startswith("Bearer ") else None


def _load_user(user_id):
    """The session cookie's user, while its server-side session lasts. An API request that carries a
    bearer token is the token's alone (so a cookie cannot ride along without its CSRF token)."""
    if by_token(request):
        return None
    found = sessions.find(session.get("_sid"))
    if found is None or str(found[1].id) != str(user_id):
        return None
    g.user_session = found[0]
    g.last_use = (UserSession, found[0].id, found[0].last_seen_at)
    return found[1]


def _load_from_token(req):
    if not is_api(req):
        return None
    found = accounts.token_for(_bearer())
    if found is None:
        return None
    g.last_use = (ApiToken, found[0].id, found[0].last_used_at)
    return found[1]


def _touch(response):
    """Note when a session or token was last used, at most every few minutes.

    Reads only what the loader noted (plain values): touching the loaded row after the request's
    commit would open a new transaction. A write request notes it in its own transaction (committed
    by the boundary, after this); a read, whose work is done, in a short transaction of its own.
    """
    g.pop("user_session", None)
    used = g.pop("last_use", None)
    if used is None or not sessions.due_for_touch(used[2]):
        return response
    model, row_id, _last = used
    column = "last_seen_at" if model is UserSession else "last_used_at"
    noting = db.update(model).where(model.id == row_id).values({column: utcnow()})
    if request.method in WRITE_METHODS:
        db.session.execute(noting)
        return response
    try:
        db.session.commit()  # ends the page's reading snapshot; a page writes nothing else
        db.session.execute(noting)
        db.session.commit()
    except Exception:  # bookkeeping must never fail the answer
        db.session.rollback()
        current_app.logger.warning("Could not note a session's last use", exc_info=True)
    return response


def register(app):
    app.session_interface = SignedCookieSessions()
    app.permanent_session_lifetime = timedelta(days=app.config.get("REMEMBER_DAYS", 30))
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_from_token)
    app.after_request(_touch)
