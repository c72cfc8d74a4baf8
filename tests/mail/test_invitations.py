"""Invitations by mail, one or from a CSV list: what arrives works, and a bad list changes nothing."""
import io

import pytest

from drafting.boundary import commit
from drafting.domain.errors import ValidationError
from drafting.extensions import db
from drafting.models import Invitation, Membership, OutboxMail, User
from drafting.services import invitations
from tests.conftest import PASSWORD
from tests.mail.conftest import link_in, text_of

HEADER = "name,email,organisation,stakeholder group,role\n"
GOOD = (HEADER + "Amina Diallo,amina@example.org,UN-Habitat,UN system,expert\n"
        "Lars Berg,lars@example.org,City of Oslo,Local government,rapporteur\n")


def _counts():
    return {model.__name__: db.session.execute(db.select(db.func.count()).select_from(model)).scalar()
            for model in (Invitation, Membership, OutboxMail, User)}


def _accept(client, path, name="Amina Diallo"):
    return client.post(path, data={"name": name, "organisation": "UN-Habitat", "stakeholder_group": "un_system",
                                   "password": PASSWORD, "confirm_password": PASSWORD})


def test_an_invitation_arrives_with_a_link_that_creates_the_account(app, inbox, deliver, world, client, login):
    login(world.chair)
    client.post(f"/meetings/{world.meeting.id}/members", data={"email": "amina@example.org", "role": "expert"})
    deliver()
    (message,) = inbox.to("amina@example.org")
    assert message["Subject"] == f"Invitation: {world.meeting.title}"
    assert "The Chair invites you to join" in text_of(message)
    path = link_in(message, "/invitations/")
    login(None)
    assert "Create your account for" in client.get(path).get_data(as_text=True)
    response = _accept(client, path)
    assert response.status_code == 302
    user = db.session.execute(db.select(User).filter_by(email="amina@example.org")).scalar_one()
    assert db.session.execute(db.select(Membership.role).filter_by(user_id=user.id)).scalar_one() == "expert"
    assert client.get(path).status_code == 404  # used once


def test_a_csv_list_is_previewed_then_sent_in_one_step(app, inbox, deliver, world, client, login, make_user):
    make_user(name="Wang Fang", email="wang@example.org")
    listing = GOOD + f"Wang Fang,wang@example.org,Tsinghua,Academia,expert\n{world.expert.name},{world.expert.email},,,expert\n"
    login(world.chair)
    url = f"/meetings/{world.meeting.id}/invitations/import"
    before = _counts()
    preview = client.post(url, data={"action": "preview", "file": (io.BytesIO(listing.encode()), "people.csv")},
                          content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    for expected in ("New account invited", "Existing account added: Wang Fang",
                     "Already a member (expert): nothing to do", "Send 3 invitations"):
        assert expected in page
    assert _counts() == before  # a preview changes nothing
    sent = client.post(url, data={"action": "send", "csv": listing})
    assert sent.status_code == 302
    deliver()
    assert {m["To"] for m in inbox.messages} == {"Amina Diallo <amina@example.org>", "Lars Berg <lars@example.org>",
                                                   "Wang Fang <wang@example.org>"}
    assert "has added you to" in text_of(inbox.to("wang@example.org")[0])
    lars = db.session.execute(db.select(Invitation).filter_by(email="lars@example.org")).scalar_one()
    assert (lars.role, lars.organisation, lars.stakeholder_group) == ("rapporteur", "City of Oslo", "local_government")
    path = link_in(inbox.to("lars@example.org")[0], "/invitations/")
    login(None)
    form = client.get(path).get_data(as_text=True)
    assert 'value="Lars Berg"' in form and 'value="City of Oslo"' in form  # filled in from the list
    assert _accept(client, path, "Lars Berg").status_code == 302
    login(world.chair)
    listed = client.get(f"/meetings/{world.meeting.id}/invitations").get_data(as_text=True)
    assert "accepted" in listed and "pending" in listed and "amina@example.org" in listed


BAD_ROWS = [
    ("Nobody,,UN,,expert\n", "No email address"),
    ("Bad,not-an-address,UN,,expert\n", "Bad address: not-an-address"),
    ("Odd,odd@example.org,UN,,president\n", "Role unknown: “president”"),
    ("Group,group@example.org,UN,Aliens,expert\n", "Stakeholder group unknown: “Aliens”"),
    ("Again,AMINA@example.org,UN,,expert\n", "Duplicate: the same address as line 2"),
]


@pytest.mark.parametrize("row,report", BAD_ROWS, ids=[r for _, r in BAD_ROWS])
def test_a_bad_row_is_reported_by_line_and_nothing_is_sent(app, world, client, login, row, report):
    login(world.chair)
    url = f"/meetings/{world.meeting.id}/invitations/import"
    listing = GOOD + row
    before = _counts()
    page = client.post(url, data={"action": "preview", "csv": listing}).get_data(as_text=True)
    assert report in page
    assert "Send 2, leave out 1" in page
    refused = client.post(url, data={"action": "send", "csv": listing})
    assert refused.status_code == 422
    assert "1 row(s) have a problem; nothing was sent" in refused.get_data(as_text=True)
    assert _counts() == before
    left_out = client.post(url, data={"action": "send", "csv": listing, "leave_out": "1"})
    assert left_out.status_code == 302
    after = _counts()
    assert after["Invitation"] == before["Invitation"] + 2 and after["OutboxMail"] == before["OutboxMail"] + 2


@pytest.mark.parametrize("data,message", [
    ((HEADER + "".join(f"P{n},p{n}@example.org,,,expert\n" for n in range(5000))).encode(),
     "The list has 5,000 people; at most 2,000"),
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "spreadsheet workbook, not a CSV file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
    ((HEADER + "José Müller,jose@example.org,Ayuntamiento,,expert\n").encode("latin-1"),
     "The file is not in UTF-8 (line 2"),
    (b"", "The list is empty"),
    (b"just some words\nand more words\n", "The first line must name the columns"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(app, world, client, login, data, message):
    login(world.chair)
    before = _counts()
    for action in ("preview", "send"):
        response = client.post(f"/meetings/{world.meeting.id}/invitations/import",
                                data={"action": action, "file": (io.BytesIO(data), "people.csv")},
                                content_type="multipart/form-data")
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert _counts() == before


def test_the_lists_spreadsheets_write_are_read(app, world):
    semicolons = "\ufeffName;E-mail;Organization;Stakeholder_group;Role\r\nÅsa Öberg;asa@example.org;KTH;academia;Observer\r\n"
    utf16 = ("name\temail\trole\nليلى الحداد\tlayla@example.org\texpert\n").encode("utf-16")
    no_header = "王小明,ming@example.org,清华大学,Academia and research,expert\n"
    rows = [invitations.preview(world.chair, world.meeting, data).rows[0]
            for data in (semicolons.encode("utf-8"), utf16, no_header)]
    assert [(r.name, r.email, r.role, r.group, r.outcome) for r in rows] == [
        ("Åsa Öberg", "asa@example.org", "observer", "academia", "invite"),
        ("ليلى الحداد", "layla@example.org", "expert", None, "invite"),
        ("王小明", "ming@example.org", "expert", "academia", "invite"),
    ]


def test_resend_gives_a_new_link_and_revoke_ends_it(app, inbox, deliver, world, client, login):
    invitation, _secret = invitations.invite(world.chair, world.meeting, "amina@example.org", "expert")
    commit()
    deliver()
    first = link_in(inbox.messages[0], "/invitations/")
    login(world.chair)
    assert client.post(f"/meetings/{world.meeting.id}/invitations/{invitation.id}/resend").status_code == 302
    deliver()
    second = link_in(inbox.messages[1], "/invitations/")
    assert first != second
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    assert db.session.get(Invitation, invitation.id).sent_count == 2
    client.post(f"/meetings/{world.meeting.id}/invitations/{invitation.id}/revoke")
    assert client.get(second).status_code == 404
    refused = client.post(f"/meetings/{world.meeting.id}/invitations/{invitation.id}/resend")
    assert refused.status_code == 409


def test_a_list_is_only_for_the_chair(app, world):
    with pytest.raises(Exception) as refused:
        invitations.preview(world.expert, world.meeting, GOOD)
    assert getattr(refused.value, "status", None) == 403
    with pytest.raises(ValidationError):
        invitations.send(world.chair, world.meeting, HEADER + f"{world.expert.name},{world.expert.email},,,expert\n")


def test_an_invitation_through_the_api_is_mailed_too(app, inbox, deliver, world, api):
    response = api(world.chair).post(f"/meetings/{world.meeting.id}/members",
                                     json={"email": "script.invitee@example.org", "role": "observer"})
    assert response.status_code == 201
    deliver()
    (message,) = inbox.to("script.invitee@example.org")
    assert link_in(message, "/invitations/").endswith(response.get_json()["invitation"]["url"].rsplit("/", 1)[1])
