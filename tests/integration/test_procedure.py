"""The procedure: who may move the document between phases, the silence procedure, adoption, reservations."""
from datetime import datetime, timedelta

import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Event, Notification, Objection, Reservation
from drafting.services import procedure
from tests.conftest import make_ready

START = datetime(2016, 7, 21, 9, 0)
ROLES = ["anonymous", "outsider", "observer", "expert", "rapporteur", "chair", "admin", "other_chair"]
MAY_STEER = {"chair", "admin"}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(START)
    monkeypatch.setattr(procedure, "clock", fake)
    return fake


def move(document, *phases, actor):
    for phase in phases:
        if document.phase == "consolidation" and phase in ("final_reading", "adopted"):
            make_ready(document, actor)
        procedure.set_phase(actor, document, phase)
    commit()


def phase_of(document):
    db.session.expire_all()
    return db.session.get(type(document), document.id).phase


def events_of(document, type_):
    return db.session.execute(db.select(Event).filter_by(document_id=document.id, type=type_)).scalars().all()


# --- the phase × role matrix ---------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_only_the_chair_moves_the_phase(world, api, who):
    response = api(world.users[who]).post(f"/documents/{world.document.id}/phase", json={"phase": "amendments"})
    if who in MAY_STEER:
        assert response.status_code == 200
        assert phase_of(world.document) == "amendments"
        event = events_of(world.document, "document.phase")[-1]
        assert event.payload == {"from": "drafting", "to": "amendments"}
        assert event.actor_id == world.users[who].id
    else:
        assert response.status_code in (401, 403, 404)
        assert "error" in response.get_json()
        assert phase_of(world.document) == "drafting"


@pytest.mark.parametrize("who", ROLES)
def test_phase_out_of_order_is_refused_for_everyone(world, api, who):
    response = api(world.users[who]).post(f"/documents/{world.document.id}/phase", json={"phase": "adopted"})
    assert response.status_code == (409 if who in MAY_STEER else 401 if who == "anonymous" else 403)
    if who in MAY_STEER:
        assert "one phase at a time" in response.get_json()["error"]["message"]
    assert phase_of(world.document) == "drafting"


def test_chair_steps_back_but_not_after_adoption(world, api, clock):
    move(world.document, "amendments", "consolidation", actor=world.chair)
    assert api(world.chair).post(f"/documents/{world.document.id}/phase", json={"phase": "drafting"}).status_code == 200
    move(world.document, "amendments", "consolidation", "adopted", actor=world.chair)
    response = api(world.chair).post(f"/documents/{world.document.id}/phase", json={"phase": "consolidation"})
    assert response.status_code == 409
    assert "cannot be reopened" in response.get_json()["error"]["message"]


def test_unknown_phase_is_a_clear_422(world, api):
    response = api(world.chair).post(f"/documents/{world.document.id}/phase", json={"phase": "done"})
    assert response.status_code == 422
    assert "Phase must be one of" in response.get_json()["error"]["message"]


PHASE_ACTIONS = {
    # phase: what an expert may do there (edit text directly, object, lodge a reservation)
    "drafting": {"edit"},
    "amendments": set(),
    "consolidation": set(),
    "final_reading": {"object"},
    "adopted": {"reserve"},
    "published": {"reserve"},
}
PATHS = {"drafting": [], "amendments": ["amendments"], "consolidation": ["amendments", "consolidation"],
         "final_reading": ["amendments", "consolidation", "final_reading"],
         "adopted": ["amendments", "consolidation", "adopted"],
         "published": ["amendments", "consolidation", "adopted", "published"]}


@pytest.mark.parametrize("phase", list(PHASE_ACTIONS))
def test_what_an_expert_may_do_follows_the_phase(world, api, clock, phase):
    move(world.document, *PATHS[phase], actor=world.chair)
    expert = api(world.expert)
    edit = expert.post(f"/clauses/{world.op.id}/revisions",
                       json={"base_revision_id": world.op.head_revision_id, "text": "Recommends more;"})
    objection = expert.post(f"/documents/{world.document.id}/objections", json={"text": "Paragraph 1 goes too far."})
    reservation = expert.post(f"/clauses/{world.op.id}/reservations", json={"text": "We read it narrowly."})
    allowed = PHASE_ACTIONS[phase]
    assert (edit.status_code == 201) == ("edit" in allowed)
    assert (objection.status_code == 201) == ("object" in allowed)
    assert (reservation.status_code == 201) == ("reserve" in allowed)
    for response, action in ((edit, "edit"), (objection, "object"), (reservation, "reserve")):
        if action not in allowed:
            assert response.status_code == 409, (action, response.get_json())


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("outsider", 403), ("observer", 403),
                                         ("expert", 201), ("rapporteur", 201), ("chair", 201),
                                         ("admin", 201), ("other_chair", 403)])
def test_who_may_lodge_a_reservation(world, api, clock, who, status):
    move(world.document, "amendments", "consolidation", "adopted", actor=world.chair)
    response = api(world.users[who]).post(f"/clauses/{world.op.id}/reservations",
                                          json={"text": "Interpreted in line with national law.",
                                                "kind": "interpretive"})
    assert response.status_code == status


def test_reservation_appears_in_the_annex_not_the_text(world, api, login, clock):
    move(world.document, "amendments", "consolidation", "adopted", actor=world.chair)
    api(world.expert2).post(f"/clauses/{world.op.id}/reservations", json={"text": "Subject to our constitution."})
    page = login(world.chair).get(f"/documents/{world.document.id}/outcome").get_data(as_text=True)
    text, annex = page.split('id="annex"', 1)
    assert "Subject to our constitution." not in text
    assert "Subject to our constitution." in annex
    assert "Expert Two" in annex


# --- the silence procedure -----------------------------------------------------------------------


def start_silence(world, api, **body):
    move(world.document, "amendments", "consolidation", actor=world.chair)
    make_ready(world.document, world.chair)
    return api(world.chair).post(f"/documents/{world.document.id}/silence", json=body)


def test_silence_runs_72_hours_by_default(world, api, clock):
    response = start_silence(world, api)
    assert response.status_code == 200
    assert response.get_json()["phase"] == "final_reading"
    assert response.get_json()["silence_deadline"] == "2016-07-24T09:00:00Z"


@pytest.mark.parametrize("who", ["expert", "rapporteur", "chair"])
def test_an_objection_breaks_silence(world, api, login, clock, who):
    start_silence(world, api, hours=24)
    clock.advance(hours=23, minutes=59)
    response = api(world.users[who]).post(f"/documents/{world.document.id}/objections",
                                          json={"text": "Paragraph 1 needs another reading."})
    assert response.status_code == 201
    assert phase_of(world.document) == "consolidation"
    objection = db.session.execute(db.select(Objection)).scalar_one()
    assert objection.text == "Paragraph 1 needs another reading."
    assert [e.payload["objection_id"] for e in events_of(world.document, "silence.broken")] == [objection.id]
    page = login(world.observer).get(f"/documents/{world.document.id}/procedure").get_data(as_text=True)
    assert "Paragraph 1 needs another reading." in page
    # The old deadline no longer adopts anything.
    clock.advance(days=5)
    assert api(world.chair).get(f"/documents/{world.document.id}").get_json()["phase"] == "consolidation"
    if who != "chair":
        assert db.session.execute(db.select(Notification).filter_by(user_id=world.chair.id)).scalar_one()


@pytest.mark.parametrize("who", ["anonymous", "outsider", "observer", "other_chair"])
def test_who_may_not_object(world, api, clock, who):
    start_silence(world, api)
    response = api(world.users[who]).post(f"/documents/{world.document.id}/objections", json={"text": "No."})
    assert response.status_code in (401, 403)
    assert phase_of(world.document) == "final_reading"


def test_an_empty_objection_is_refused(world, api, clock):
    start_silence(world, api)
    response = api(world.expert).post(f"/documents/{world.document.id}/objections", json={"text": "  "})
    assert response.status_code == 422
    assert phase_of(world.document) == "final_reading"


def test_an_objection_after_the_deadline_is_refused_and_the_document_is_adopted(world, api, clock):
    start_silence(world, api, hours=1)
    clock.advance(hours=1)
    response = api(world.expert).post(f"/documents/{world.document.id}/objections", json={"text": "Too late?"})
    assert response.status_code == 409
    assert "can no longer be made" in response.get_json()["error"]["message"]
    assert db.session.execute(db.select(Objection)).first() is None
    # Every reader finds the deadline passed: the document reads as adopted; the tick records it.
    assert api(world.observer).get(f"/documents/{world.document.id}").get_json()["phase"] == "adopted"
    procedure.tick()
    commit()
    adopted = events_of(world.document, "document.adopted")
    assert [e.payload["way"] for e in adopted] == ["silence"]
    assert phase_of(world.document) == "adopted"


def test_a_read_after_the_deadline_shows_the_adoption_and_writes_nothing(world, api, login, clock):
    start_silence(world, api, hours=2)
    clock.advance(hours=1)
    assert "Silence procedure until" in login(world.expert).get(f"/documents/{world.document.id}").get_data(as_text=True)
    clock.advance(hours=1)
    seq = db.session.get(type(world.document), world.document.id).last_seq
    page = login(world.expert).get(f"/documents/{world.document.id}/outcome")
    assert page.status_code == 200
    assert "Adopted" in login(world.expert).get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert api(world.expert).get(f"/documents/{world.document.id}").get_json()["phase"] == "adopted"
    assert phase_of(world.document) == "final_reading"
    assert db.session.get(type(world.document), world.document.id).last_seq == seq
    procedure.tick()
    commit()
    assert phase_of(world.document) == "adopted"


def test_tick_adopts_at_the_deadline_and_not_before(world, api, runner, clock):
    start_silence(world, api)
    clock.advance(hours=71)
    result = runner.invoke(args=["procedure", "tick"])
    assert result.exit_code == 0
    assert "0 document(s) adopted." in result.output
    assert phase_of(world.document) == "final_reading"
    clock.advance(hours=1)
    result = runner.invoke(args=["procedure", "tick"])
    assert f"Adopted document {world.document.id}" in result.output
    assert phase_of(world.document) == "adopted"
    assert len(events_of(world.document, "document.adopted")) == 1


def test_chair_cannot_cut_the_silence_short(world, api, clock):
    start_silence(world, api)
    response = api(world.chair).post(f"/documents/{world.document.id}/adopt")
    assert response.status_code == 409
    assert "runs until its deadline" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("hours", [0, -3, 721, "soon", True])
def test_bad_silence_lengths_are_refused(world, api, clock, hours):
    response = start_silence(world, api, hours=hours)
    assert response.status_code == 422
    assert phase_of(world.document) == "consolidation"


def test_adopt_in_session_and_publish(world, api, client, clock):
    move(world.document, "amendments", "consolidation", actor=world.chair)
    make_ready(world.document, world.chair)
    assert api(world.expert).post(f"/documents/{world.document.id}/adopt").status_code == 403
    response = api(world.chair).post(f"/documents/{world.document.id}/adopt")
    assert response.status_code == 200
    assert response.get_json()["adopted_at"] == "2016-07-21T09:00:00Z"
    assert [e.payload["way"] for e in events_of(world.document, "document.adopted")] == ["in_session"]
    assert client.get(f"/documents/{world.document.id}/outcome").status_code == 302  # members only
    assert api(world.chair).post(f"/documents/{world.document.id}/publish",
                                 json={"visibility": "everyone"}).status_code == 422
    assert api(world.chair).post(f"/documents/{world.document.id}/publish",
                                 json={"visibility": "public"}).status_code == 200
    db.session.expire_all()
    page = client.get(f"/documents/{world.document.id}/outcome")
    assert page.status_code == 200
    assert "Recommends" in page.get_data(as_text=True)


def test_members_only_publication_is_not_public(world, api, client, login, clock):
    move(world.document, "amendments", "consolidation", "adopted", actor=world.chair)
    api(world.chair).post(f"/documents/{world.document.id}/publish", json={"visibility": "members"})
    db.session.expire_all()
    assert client.get(f"/documents/{world.document.id}/outcome.md").status_code == 302
    assert login(world.outsider).get(f"/documents/{world.document.id}/outcome").status_code == 403
    assert login(world.observer).get(f"/documents/{world.document.id}/outcome").status_code == 200


def test_publish_before_adoption_is_refused(world, api):
    response = api(world.chair).post(f"/documents/{world.document.id}/publish", json={"visibility": "public"})
    assert response.status_code == 409


def test_procedure_forms_reshow_with_the_message(world, login, clock):
    move(world.document, "amendments", "consolidation", actor=world.chair)
    make_ready(world.document, world.chair)
    response = login(world.chair).post(f"/documents/{world.document.id}/silence", data={"hours": "9999"})
    assert response.status_code == 422
    assert "from 1 to 720 hours" in response.get_data(as_text=True)
    response = login(world.chair).post(f"/documents/{world.document.id}/silence", data={"hours": "48"},
                                       follow_redirects=True)
    assert "The silence procedure has started." in response.get_data(as_text=True)
    assert phase_of(world.document) == "final_reading"


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("outsider", 403), ("observer", 200),
                                         ("expert", 200), ("rapporteur", 200), ("chair", 200),
                                         ("admin", 200), ("other_chair", 403)])
def test_procedure_page_matrix(world, login, who, status):
    assert login(world.users[who]).get(f"/documents/{world.document.id}/procedure").status_code == status


def test_reservations_listed(world, api, clock):
    move(world.document, "amendments", "consolidation", "adopted", actor=world.chair)
    api(world.expert).post(f"/clauses/{world.op.id}/reservations", json={"text": "Noted.", "kind": "statement"})
    assert db.session.execute(db.select(Reservation)).first() is None
    response = api(world.expert).get(f"/documents/{world.document.id}/procedure")
    assert response.get_json()["reservations"] == []


def test_interpretive_statement_is_labelled_in_the_annex(world, api, login, clock):
    move(world.document, "amendments", "consolidation", "adopted", actor=world.chair)
    response = api(world.expert).post(f"/clauses/{world.op.id}/reservations",
                                      json={"text": "Read with national law.", "kind": "interpretive"})
    assert response.status_code == 201
    annex = login(world.expert).get(f"/documents/{world.document.id}/outcome").get_data(as_text=True).split('id="annex"')[1]
    assert "<strong>Interpretive statement</strong> by Expert One: Read with national law." in annex
