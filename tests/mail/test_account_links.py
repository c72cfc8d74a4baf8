"""Password reset and change of address by mail."""
import uuid

from werkzeug.security import check_password_hash

from drafting.extensions import db
from drafting.models import OutboxMail, User
from tests.conftest import PASSWORD
from tests.mail.conftest import link_in, text_of

NEW = "a brand new secret"


def _ask(client, email):
    response = client.post("/password/forgot", data={"email": email})
    assert response.status_code == 200
    return response.get_data(as_text=True).replace(email, "ADDRESS")


def _reset(client, path, password=NEW):
    return client.post(path, data={"password": password, "confirm_password": password})


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(app, inbox, deliver, world, client):
    assert _ask(client, world.expert.email) == _ask(client, "nobody@example.org")
    deliver()
    assert [m["To"] for m in inbox.messages] == [f"{world.expert.name} <{world.expert.email}>"]
    assert "Forgot your password?" in client.get("/login").get_data(as_text=True)


def test_a_reset_link_works_once(app, inbox, deliver, world, client, clock):
    _ask(client, world.expert.email)
    deliver()
    (message,) = inbox.messages
    assert "It works once, for one hour" in text_of(message)
    path = link_in(message, "/password/reset/")
    assert f"For {world.expert.email}" in client.get(path).get_data(as_text=True)
    response = _reset(client, path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    user = db.session.get(User, world.expert.id)
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, NEW)
    assert client.post("/login", data={"email": user.email, "password": NEW}).status_code == 302
    again = _reset(client, path, "yet another password")
    assert again.status_code == 404 and "used already" in again.get_data(as_text=True)
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, NEW)
    deliver()
    assert "was just reset" in text_of(inbox.messages[-1])


def test_a_reset_link_works_only_within_its_hour(app, inbox, deliver, world, client, clock):
    _ask(client, world.expert.email)
    deliver()
    path = link_in(inbox.messages[0], "/password/reset/")
    clock.advance(minutes=59)
    assert client.get(path).status_code == 200
    clock.advance(minutes=1, seconds=1)
    expired = _reset(client, path)
    assert expired.status_code == 404 and "expired" in expired.get_data(as_text=True)
    db.session.expire_all()
    assert check_password_hash(db.session.get(User, world.expert.id).password_hash, PASSWORD)


def test_a_forged_or_mangled_link_is_refused(app, world, client):
    for token in ("nonsense", "WzEsImFiYyJd.AAAAAA.forged", "x" * 300):
        assert client.get(f"/password/reset/{token}").status_code == 404


def test_asking_for_resets_is_rate_limited(app, inbox, deliver, world, client):
    app.config.update(RATELIMIT_PASSWORD_RESET="3 per hour", RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    for n in range(3):
        assert client.post("/password/forgot", data={"email": world.expert.email},
                           environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code == 200
    # The fourth from another address answers the same, but no more mail goes to the account.
    assert client.post("/password/forgot", data={"email": world.expert.email},
                       environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200
    deliver()
    assert len(inbox.to(world.expert.email)) == 3
    # One address asking too often is told to wait.
    for n in range(3):
        client.post("/password/forgot", data={"email": f"someone{n}@example.org"},
                    environ_base={"REMOTE_ADDR": "10.0.0.50"})
    refused = client.post("/password/forgot", data={"email": "other@example.org"},
                          environ_base={"REMOTE_ADDR": "10.0.0.50"})
    assert refused.status_code == 429 and refused.headers["Retry-After"]


def test_a_change_of_address_is_confirmed_from_the_new_address(app, inbox, deliver, world, client, login):
    login(world.expert)
    old = world.expert.email
    wrong = client.post("/account/email", data={"email": "new.home@example.org", "password": "not it"})
    assert wrong.status_code == 422 and "The password is not right." in wrong.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(OutboxMail.id))).scalar() == 0
    asked = client.post("/account/email", data={"email": "new.home@example.org", "password": PASSWORD})
    assert asked.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.expert.id).email == old  # not before it is confirmed
    deliver()
    (message,) = inbox.to("new.home@example.org")
    path = link_in(message, "/account/email/")
    assert "new.home@example.org" in client.get(path).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, world.expert.id).email == old  # a GET changes nothing
    assert client.post(path).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.expert.id).email == "new.home@example.org"
    assert client.post(path).status_code == 404  # once
    deliver()
    assert "is now new.home@example.org" in text_of(inbox.to(old)[0])


def test_an_address_taken_by_another_account_is_not_told_and_not_taken(app, inbox, deliver, world, client, login):
    login(world.expert)
    asked = client.post("/account/email", data={"email": world.expert2.email, "password": PASSWORD},
                        follow_redirects=True)
    assert f"A confirmation link is on its way to {world.expert2.email}" in asked.get_data(as_text=True)
    deliver()
    assert inbox.messages == []


def test_a_too_short_new_password_is_asked_again_and_the_link_still_works(app, inbox, deliver, world, client):
    _ask(client, world.expert.email)
    deliver()
    path = link_in(inbox.messages[0], "/password/reset/")
    short = _reset(client, path, "short")
    assert short.status_code == 422 and "at least" in short.get_data(as_text=True)
    assert _reset(client, path).status_code == 302


def test_a_reset_signs_the_account_out_everywhere(app, inbox, deliver, world, client):
    from datetime import timedelta

    from drafting.boundary import commit
    from drafting.services import sessions

    sessions.start(world.expert, False, timedelta(hours=8), "another browser", "10.1.1.1")
    commit()
    assert sessions.sessions_of(world.expert)
    _ask(client, world.expert.email)
    deliver()
    assert _reset(client, link_in(inbox.messages[0], "/password/reset/")).status_code == 302
    db.session.expire_all()
    assert sessions.sessions_of(db.session.get(User, world.expert.id)) == []
    deliver()
    assert "every other place you were signed in has been signed out" in text_of(inbox.messages[-1])
