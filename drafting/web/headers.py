"""Security headers on every answer, and HTTPS seen through a trusted reverse proxy."""
from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


def register(app):
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Only behind a proxy we run: X-Forwarded-* from anyone else would let a client
        # pretend to be on HTTPS or at another address (and so dodge the rate limits).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,
                                x_port=proxies)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={app.config.get('HSTS_SECONDS', 31536000)}")
            _mark_cookies_secure(response)
        return response


def _mark_cookies_secure(response):
    """A cookie set over HTTPS is never sent back over plain HTTP."""
    cookies = response.headers.getlist("Set-Cookie")
    if not cookies:
        return
    response.headers.remove("Set-Cookie")
    for cookie in cookies:
        attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
        response.headers.add("Set-Cookie", cookie if "secure" in attributes else cookie + "; Secure")
