"""Security headers on pages and API answers; Secure cookies and HSTS when served over HTTPS."""
import pytest

from drafting import create_app
from drafting.config import for_tests
from drafting.extensions import db
from tests.conftest import PASSWORD


def _csp(response):
    return {d.split()[0]: d.split()[1:] for d in response.headers["Content-Security-Policy"].split(";") if d.strip()}


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/api/v1/nothing-here", "/static/css/app.css"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"] and "'unsafe-inline'" not in sum(csp.values(), [])
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: HSTS would be ignored


def _sign_in(client, user):
    return client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "1"})


def test_cookies_are_http_only_and_same_site_but_not_secure_over_plain_http(client, make_user):
    response = _sign_in(client, make_user())
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    # Remember-me is the session cookie kept for a while, not Flask-Login's id-and-HMAC cookie.
    assert {c.split("=")[0] for c in cookies} == {"session"} and "Expires=" in cookies[0]
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie


def test_over_https_cookies_are_secure_and_hsts_is_sent(client, make_user):
    response = client.post("/login", data={"email": make_user().email, "password": PASSWORD, "remember": "1"},
                           base_url="https://drafting.example.org")
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) >= 1 and all("; Secure" in c for c in cookies)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.fixture
def proxied(tmp_path):
    """An app told that one reverse proxy (which terminates HTTPS) stands in front of it."""
    app = create_app(for_tests(tmp_path, TRUSTED_PROXIES=1,
                               SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'proxied.sqlite3'}"))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_behind_a_trusted_proxy_x_forwarded_proto_https_makes_cookies_secure(proxied):
    from drafting.services import accounts

    with proxied.app_context():
        accounts.create_user("behind@example.org", "Behind Proxy", PASSWORD)
        db.session.commit()
    client = proxied.test_client()
    response = client.post("/login", data={"email": "behind@example.org", "password": PASSWORD},
                           headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 302
    assert all("; Secure" in c for c in response.headers.getlist("Set-Cookie"))
    assert "Strict-Transport-Security" in response.headers


def test_without_a_trusted_proxy_x_forwarded_proto_is_ignored(client, make_user):
    response = client.post("/login", data={"email": make_user().email, "password": PASSWORD},
                           headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 302
    assert not any("Secure" in c for c in response.headers.getlist("Set-Cookie"))
    assert "Strict-Transport-Security" not in response.headers

