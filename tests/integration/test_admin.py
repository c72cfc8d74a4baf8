import pytest

from drafting.extensions import db
from drafting.services import accounts


def test_admin_creates_an_account_that_can_sign_in(client, login, make_user):
    login(make_user(admin=True))
    response = client.post("/admin/accounts", data={"action": "create", "email": "new@example.org",
                                                    "name": "New Expert", "password": "longenough",
                                                    "stakeholder_group": "academia"})
    assert response.status_code == 302
    assert "New Expert" in client.get("/admin/accounts").get_data(as_text=True)
    assert accounts.authenticate("new@example.org", "longenough") is not None


def test_admin_form_shows_what_is_wrong(client, login, make_user):
    admin = make_user(admin=True)
    login(admin)
    response = client.post("/admin/accounts", data={"action": "create", "email": admin.email,
                                                    "name": "Dup", "password": "longenough"})
    assert response.status_code == 409 and "exists already" in response.get_data(as_text=True)


def test_admin_grants_and_withdraws_but_keeps_one(client, login, make_user):
    admin, other = make_user(admin=True), make_user()
    login(admin)
    client.post("/admin/accounts", data={"action": "grant", "user_id": other.id})
    db.session.refresh(other)
    assert other.is_admin
    client.post("/admin/accounts", data={"action": "withdraw", "user_id": other.id})
    response = client.post("/admin/accounts", data={"action": "withdraw", "user_id": admin.id})
    assert response.status_code == 409 and "needs an administrator" in response.get_data(as_text=True)
    assert client.post("/admin/accounts", data={"action": "grant", "user_id": 99999}).status_code == 404


@pytest.mark.parametrize("who", ["expert", "chair", "outsider"])
def test_only_site_admins_manage_accounts(client, login, world, who):
    login(world.users[who])
    assert client.get("/admin/accounts").status_code == 403
    assert client.post("/admin/accounts", data={"action": "grant", "user_id": world.users[who].id}).status_code == 403
    db.session.refresh(world.users[who])
    assert not world.users[who].is_admin


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/admin/accounts")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
