"""The signed session cookie, with its signer made once per secret key instead of on every request."""
from flask.sessions import SecureCookieSessionInterface


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


def register(app):
    app.session_interface = SignedCookieSessions()
