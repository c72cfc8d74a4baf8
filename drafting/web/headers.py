"""Security headers on every answer, and HTTPS seen through a trusted reverse proxy."""
import secrets

from flask import current_app, g, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)

SECURITY_HEADERS = tuple((name.lower(), name, value) for name, value in (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
))


def public_url(endpoint, **values):
    """An absolute link for someone elsewhere (an invitation): from DRAFTING_PUBLIC_URL when it is set,
    never from the Host header a client sent."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def csp_nonce():
    """This answer's nonce for style elements (the clause editor's own styles), made when a page asks."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _with_style_nonce(policy, nonce):
    return policy.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'", 1)


class SecureCookies:
    """WSGI middleware: every cookie set in answer to an HTTPS request is marked Secure.

    Works below the app so that it also covers cookies set after Flask's after_request
    hooks (the session cookie, Flask-Login's remember cookie).
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def start(status, response_headers, exc_info=None):
            response_headers = [(name, _secure(value) if name.lower() == "set-cookie" else value)
                                for name, value in response_headers]
            return start_response(status, response_headers, exc_info)

        return self.wsgi_app(environ, start)


def _secure(cookie):
    attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
    return cookie if "secure" in attributes else cookie + "; Secure"


def register(app):
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.wsgi_app = SecureCookies(app.wsgi_app)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Only behind a proxy we run: X-Forwarded-* from anyone else would let a client
        # pretend to be on HTTPS or at another address (and so dodge the rate limits).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,
                                x_port=proxies)

    @app.after_request
    def _security_headers(response):
        # Those the view did not set itself; one pass over the headers, not one per header.
        present = {name.lower() for name in response.headers.keys()}
        response.headers.extend([(name, value) for key, name, value in SECURITY_HEADERS if key not in present])
        if "csp_nonce" in g and "content-security-policy" not in present:
            response.headers["Content-Security-Policy"] = _with_style_nonce(CONTENT_SECURITY_POLICY, g.csp_nonce)
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={app.config.get('HSTS_SECONDS', 31536000)}")
        return response

