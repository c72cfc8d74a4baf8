from drafting import create_app
from drafting.config import for_tests
from drafting.extensions import db
from drafting.models import ApiToken
from drafting.services import accounts
from tests.conftest import PASSWORD


def test_sign_in_with_the_form_then_sign_out(client, make_user):
    user = make_user(name="Amina")
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert "Amina" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_shows_the_form_again_with_a_message(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "wrong"})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "The email or password is not right." in page
    assert f'value="{user.email}"' in page


def test_sign_in_redirects_only_to_paths_on_this_site(client, make_user):
    user = make_user()
    response = client.post("/login?next=https://evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/account", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/account"


def test_pages_need_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_change_password(client, login, make_user):
    user = make_user()
    login(user)
    response = client.post("/account", data={"action": "password", "current_password": "nope",
                                             "new_password": "a new secret", "confirm_password": "a new secret"})
    assert response.status_code == 422 and "current password is not right" in response.get_data(as_text=True)
    response = client.post("/account", data={"action": "password", "current_password": PASSWORD,
                                             "new_password": "short", "confirm_password": "short"})
    assert response.status_code == 422 and "at least 10 characters" in response.get_data(as_text=True)
    response = client.post("/account", data={"action": "password", "current_password": PASSWORD,
                                             "new_password": "a new secret", "confirm_password": "a new secret"})
    assert response.status_code == 302
    assert accounts.authenticate(user.email, "a new secret") is not None
    assert accounts.authenticate(user.email, PASSWORD) is None


def test_profile_update_validates(client, login, make_user):
    user = make_user()
    login(user)
    response = client.post("/account", data={"action": "profile", "name": "", "organisation": "X"})
    assert response.status_code == 422 and "Name must not be empty" in response.get_data(as_text=True)
    response = client.post("/account", data={"action": "profile", "name": "N", "stakeholder_group": "pirates"})
    assert response.status_code == 422 and "Stakeholder group must be one of" in response.get_data(as_text=True)
    client.post("/account", data={"action": "profile", "name": "Dr N", "organisation": "UN-Habitat",
                                  "stakeholder_group": "un_system"})
    db.session.refresh(user)
    assert (user.name, user.organisation, user.stakeholder_group) == ("Dr N", "UN-Habitat", "un_system")


def test_a_token_is_shown_once_and_works_until_revoked(client, login, make_user):
    user = make_user()
    login(user)
    page = client.post("/account", data={"action": "token", "label": "script"}).get_data(as_text=True)
    token = page.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("drt_")
    assert "drt_" not in client.get("/account").get_data(as_text=True)
    login(None)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/meetings", headers=headers).status_code == 200
    token_id = db.session.execute(db.select(ApiToken.id)).scalar_one()
    login(user)
    client.post("/account", data={"action": "revoke", "token_id": str(token_id)})
    login(None)
    assert client.get("/api/v1/meetings", headers=headers).status_code == 401


def test_a_token_signs_in_its_owner_on_the_api_but_not_on_pages(client, make_user):
    admin = make_user(name="Chair Person", admin=True, group="local_government", organisation="City of Quito")
    token = accounts.issue_token(admin)
    db.session.commit()
    person = accounts.user_for_token(token)
    assert person.id == admin.id and person.is_authenticated
    assert accounts.user_for_token(token[:-1] + ("x" if token[-1] != "x" else "y")) is None
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/meetings", headers=headers).status_code == 200
    # A page does not take the token: it cannot change the account or mint new tokens.
    response = client.post("/account", data={"action": "token", "label": "minted"}, headers=headers)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.execute(db.select(db.func.count(ApiToken.id))).scalar() == 1


def test_revoking_a_token_that_is_not_yours_is_refused(client, login, make_user):
    owner, other = make_user(), make_user()
    accounts.issue_token(owner)
    db.session.commit()
    token_id = db.session.execute(db.select(ApiToken.id)).scalar_one()
    login(other)
    response = client.post("/account", data={"action": "revoke", "token_id": str(token_id)})
    assert response.status_code == 404 and "No such token" in response.get_data(as_text=True)
    response = client.post("/account", data={"action": "revoke", "token_id": "abc"})
    assert response.status_code == 422
    assert db.session.execute(db.select(ApiToken.id)).scalar_one() == token_id


def test_sign_in_is_rate_limited_per_account(tmp_path, make_user):
    limited = create_app(for_tests(tmp_path, RATELIMIT_LOGIN="10 per minute",
                                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'limited.sqlite3'}"))
    with limited.app_context():
        db.create_all()
        accounts.create_user("someone@example.org", "Someone", PASSWORD)
        db.session.commit()
    client = limited.test_client()
    statuses = [client.post("/login", data={"email": "someone@example.org", "password": "wrong"}).status_code
                for _ in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    response = client.post("/login", data={"email": "someone@example.org", "password": PASSWORD})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "Too many requests" in response.get_data(as_text=True)
    # The owner, from another address, is not locked out by the guesses.
    owner = client.post("/login", data={"email": "someone@example.org", "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert owner.status_code == 302
