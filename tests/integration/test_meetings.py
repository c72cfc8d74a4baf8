from datetime import timedelta

import pytest

from drafting.extensions import db
from drafting.models import Invitation, Membership
from drafting.services import meetings


def test_site_admin_creates_a_meeting_through_the_form(client, login, make_user):
    admin = make_user(admin=True)
    login(admin)
    response = client.post("/meetings/new", data={"title": "Smart cities", "venue": "Geneva",
                                                  "starts_on": "2016-07-21"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Smart cities" in page and "Geneva" in page


@pytest.mark.parametrize("data,message", [
    ({"title": ""}, "Title must not be empty"),
    ({"title": "x" * 301}, "the limit is 300"),
    ({"title": "Ok", "starts_on": "21/07/2016"}, "YYYY-MM-DD"),
])
def test_meeting_form_shows_what_is_wrong(client, login, make_user, data, message):
    login(make_user(admin=True))
    response = client.post("/meetings/new", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_only_a_site_admin_may_create_meetings(client, login, world):
    for user in (world.chair, world.expert):
        login(user)
        assert client.post("/meetings/new", data={"title": "X"}).status_code == 403
    assert len(meetings.visible_meetings(world.admin)) == 2


def test_meeting_page_shows_members_and_participation(client, login, world):
    login(world.expert)
    page = client.get(f"/meetings/{world.meeting.id}").get_data(as_text=True)
    assert "Expert Two" in page and "Local government or association of mayors" in page
    assert "Outcome document" in page
    assert "Invite a member" not in page


def test_outsiders_and_members_of_other_meetings_are_refused(client, login, world):
    for user in (world.outsider, world.other_chair):
        login(user)
        assert client.get(f"/meetings/{world.meeting.id}").status_code == 403
    login(world.expert)
    assert client.get("/meetings/9999").status_code == 404


def test_chair_adds_an_existing_account_at_once(client, login, world, make_user):
    newcomer = make_user(name="Newcomer")
    login(world.chair)
    response = client.post(f"/meetings/{world.meeting.id}/members", data={"email": newcomer.email,
                                                                          "role": "expert"})
    assert response.status_code == 302
    assert meetings.my_role(newcomer, world.meeting) == "expert"
    again = client.post(f"/meetings/{world.meeting.id}/members", data={"email": newcomer.email, "role": "expert"})
    assert again.status_code == 409 and "member already" in again.get_data(as_text=True)


def test_invitation_link_creates_the_account_once(client, login, world):
    login(world.chair)
    page = client.post(f"/meetings/{world.meeting.id}/members",
                       data={"email": "New.Person@Example.org", "role": "rapporteur"}).get_data(as_text=True)
    link = page.split('id="invitation-link">')[1].split("<")[0]
    path = link.replace("http://localhost", "")
    login(None)
    form = client.get(path)
    assert form.status_code == 200 and "new.person@example.org" in form.get_data(as_text=True)
    bad = client.post(path, data={"name": "New Person", "password": "longenough", "confirm_password": "other"})
    assert bad.status_code == 422
    response = client.post(path, data={"name": "New Person", "password": "longenough",
                                       "confirm_password": "longenough", "stakeholder_group": "academia"})
    assert response.status_code == 302
    assert "New Person" in client.get(response.headers["Location"]).get_data(as_text=True)
    login(None)
    reused = client.get(path)
    assert reused.status_code == 404 and "used already" in reused.get_data(as_text=True)


def test_an_expired_invitation_says_so(client, login, world):
    invitation, secret = meetings.invite(world.chair, world.meeting, "late@example.org", "expert")
    invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    db.session.commit()
    response = client.get(f"/invitations/{secret}")
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)
    assert client.get("/invitations/not-a-real-one").status_code == 404


def test_invitations_last_fourteen_days(world):
    invitation, _secret = meetings.invite(world.chair, world.meeting, "soon@example.org", "expert")
    assert (invitation.expires_at - invitation.created_at).days == 14


def test_chair_changes_roles_and_removes_members(client, login, world):
    membership = db.session.execute(db.select(Membership).filter_by(user_id=world.expert.id)).scalar_one()
    login(world.chair)
    url = f"/meetings/{world.meeting.id}/members/{membership.id}"
    assert client.post(url, data={"action": "role", "role": "rapporteur"}).status_code == 302
    assert meetings.my_role(world.expert, world.meeting) == "rapporteur"
    assert client.post(url, data={"action": "role", "role": "emperor"}).status_code == 422
    assert client.post(url, data={"action": "remove"}).status_code == 302
    assert meetings.my_role(world.expert, world.meeting) is None


def test_the_last_chair_cannot_be_removed_or_demoted(client, login, world):
    membership = db.session.execute(db.select(Membership).filter_by(user_id=world.chair.id)).scalar_one()
    login(world.chair)
    url = f"/meetings/{world.meeting.id}/members/{membership.id}"
    response = client.post(url, data={"action": "remove"})
    assert response.status_code == 409 and "needs a chair" in response.get_data(as_text=True)
    assert client.post(url, data={"action": "role", "role": "expert"}).status_code == 409


def test_members_of_another_meeting_cannot_be_changed_from_this_one(client, login, world):
    foreign = db.session.execute(db.select(Membership).filter_by(user_id=world.other_chair.id)).scalar_one()
    login(world.chair)
    assert client.post(f"/meetings/{world.meeting.id}/members/{foreign.id}", data={"action": "remove"}).status_code == 404
    assert meetings.my_role(world.other_chair, world.other_meeting) == "chair"


@pytest.mark.parametrize("who", ["expert", "rapporteur", "observer", "outsider"])
def test_only_the_chair_invites(client, login, world, who):
    login(world.users[who])
    response = client.post(f"/meetings/{world.meeting.id}/members", data={"email": "x@example.org", "role": "expert"})
    assert response.status_code == 403
    assert db.session.execute(db.select(Invitation)).first() is None


def test_chair_creates_a_document_with_sections(client, login, world):
    login(world.chair)
    response = client.post(f"/meetings/{world.meeting.id}/documents",
                           data={"title": "Chair's summary", "sections": "Preamble\nOperative part\nAnnex"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chair&#39;s summary" in page and "Annex" in page
    login(world.expert)
    assert client.post(f"/meetings/{world.meeting.id}/documents", data={"title": "X"}).status_code == 403
