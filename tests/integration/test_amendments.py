"""Amendments: proposed in the amendments phase, decided by a rapporteur, merged, the author told."""
import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Amendment, ClauseRevision, Notification

ROLES = ["anonymous", "outsider", "observer", "expert", "rapporteur", "chair", "admin", "other_chair"]
AMENDED = "Recommends that cities publish open data and open budgets;"


@pytest.fixture
def amendments_phase(world, advance):
    advance(world.document, world.chair, "amendments")
    commit()
    return world


def propose(api, world, user="expert", text=AMENDED, rationale="Budgets matter too."):
    return api(world.users[user] if isinstance(user, str) else user).post(f"/clauses/{world.op.id}/amendments", json={
        "base_revision_id": world.op.head_revision_id, "text": text, "rationale": rationale})


def amendment_count():
    return db.session.execute(db.select(db.func.count(Amendment.id))).scalar_one()


PROPOSE_STATUS = {"anonymous": 401, "outsider": 403, "observer": 403, "expert": 201, "rapporteur": 201,
                  "chair": 201, "admin": 201, "other_chair": 403}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_proposing(amendments_phase, api, role):
    response = propose(api, amendments_phase, role)
    assert response.status_code == PROPOSE_STATUS[role]
    assert amendment_count() == (1 if PROPOSE_STATUS[role] == 201 else 0)


def test_an_amendment_outside_drafting_and_the_amendments_phase_is_refused(world, api):
    world.document.phase = "consolidation"
    commit()
    response = propose(api, world)
    assert response.status_code == 409 and "amendments phase" in response.get_json()["error"]["message"]
    assert amendment_count() == 0


def test_a_suggestion_while_drafting_is_an_amendment_a_rapporteur_accepts_crediting_its_author(world, api):
    response = propose(api, world)  # the document is being drafted: a person chose Suggest
    assert response.status_code == 201
    accepted = api(world.rapporteur).post(f"/amendments/{response.get_json()['id']}/accept")
    assert accepted.status_code == 200
    assert world.op.head.text == AMENDED and world.op.head.author_id == world.expert.id


@pytest.mark.parametrize("body,message", [
    ({"text": AMENDED, "rationale": ""}, "Rationale must not be empty"),
    ({"text": "", "rationale": "why"}, "Amended text must not be empty"),
    ({"text": "Recommends that cities publish open data;", "rationale": "why"}, "same as the clause"),
    ({"text": AMENDED, "rationale": "why", "base_revision_id": 99999}, "not a revision of this clause"),
])
def test_bad_amendments_are_refused(amendments_phase, api, body, message):
    body.setdefault("base_revision_id", amendments_phase.op.head_revision_id)
    response = api(amendments_phase.expert).post(f"/clauses/{amendments_phase.op.id}/amendments", json=body)
    assert response.status_code == 422 and message in response.get_json()["error"]["message"]
    assert amendment_count() == 0


DECIDE_STATUS = {"anonymous": 401, "outsider": 403, "observer": 403, "expert": 403, "rapporteur": 200,
                 "chair": 200, "admin": 200, "other_chair": 403}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_accepting(amendments_phase, api, role):
    amendment = propose(api, amendments_phase).get_json()
    response = api(amendments_phase.users[role]).post(f"/amendments/{amendment['id']}/accept", json={})
    assert response.status_code == DECIDE_STATUS[role]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_rejecting(amendments_phase, api, role):
    amendment = propose(api, amendments_phase).get_json()
    response = api(amendments_phase.users[role]).post(f"/amendments/{amendment['id']}/reject",
                                                      json={"reason": "Out of scope"})
    assert response.status_code == DECIDE_STATUS[role]


def test_accepting_applies_the_text_credits_the_author_and_tells_them(amendments_phase, api):
    world = amendments_phase
    amendment = propose(api, world).get_json()
    assert [c["op"] for c in amendment["changes"]] == ["equal", "insert", "equal"]
    assert amendment["changes"][1]["text"] == " and open budgets"
    accepted = api(world.rapporteur).post(f"/amendments/{amendment['id']}/accept", json={})
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    clause = api(world.expert).get(f"/clauses/{world.op.id}").get_json()
    assert clause["text"] == AMENDED
    revision = db.session.get(ClauseRevision, clause["revision_id"])
    assert (revision.author_id, revision.accepted_by_id, revision.amendment_id) == (
        world.expert.id, world.rapporteur.id, amendment["id"])
    note = db.session.execute(db.select(Notification).filter_by(user_id=world.expert.id)).scalar_one()
    assert note.kind == "amendment_decision" and "accepted" in note.message
    again = api(world.rapporteur).post(f"/amendments/{amendment['id']}/accept", json={})
    assert again.status_code == 409 and "accepted already" in again.get_json()["error"]["message"]


def test_rejecting_needs_a_reason_and_tells_the_author(amendments_phase, api):
    world = amendments_phase
    amendment = propose(api, world).get_json()
    missing = api(world.rapporteur).post(f"/amendments/{amendment['id']}/reject", json={"reason": " "})
    assert missing.status_code == 422 and "Reason must not be empty" in missing.get_json()["error"]["message"]
    rejected = api(world.rapporteur).post(f"/amendments/{amendment['id']}/reject", json={"reason": "Out of scope"})
    assert rejected.get_json()["status"] == "rejected" and rejected.get_json()["decision_reason"] == "Out of scope"
    note = db.session.execute(db.select(Notification).filter_by(user_id=world.expert.id)).scalar_one()
    assert "Out of scope" in note.message
    assert api(world.expert).get(f"/clauses/{world.op.id}").get_json()["text"] != AMENDED


def test_a_conflicting_amendment_is_a_clear_409_and_nothing_changes(amendments_phase, api):
    world = amendments_phase
    amendment = propose(api, world, text="Recommends that cities publish open budgets;").get_json()
    api(world.chair).post(f"/documents/{world.document.id}/phase", json={"phase": "consolidation"})
    api(world.rapporteur).post(f"/clauses/{world.op.id}/revisions", json={
        "base_revision_id": world.op.head_revision_id, "text": "Recommends that cities publish open statistics;"})
    response = api(world.rapporteur).post(f"/amendments/{amendment['id']}/accept", json={})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert "cannot be merged" in error["message"] and error["amendment_id"] == amendment["id"]
    assert api(world.expert).get(f"/clauses/{world.op.id}").get_json()["text"] == \
        "Recommends that cities publish open statistics;"
    listed = api(world.expert).get(f"/clauses/{world.op.id}/amendments").get_json()["amendments"]
    assert listed[0]["status"] == "open"


def test_only_the_author_withdraws(amendments_phase, api, login, client):
    world = amendments_phase
    amendment = propose(api, world).get_json()
    assert api(world.expert2).post(f"/amendments/{amendment['id']}/withdraw").status_code == 403
    assert api(world.chair).post(f"/amendments/{amendment['id']}/withdraw").status_code == 403
    login(world.expert)
    assert client.post(f"/amendments/{amendment['id']}/withdraw").status_code == 302
    login(None)
    assert api(world.expert).get(f"/clauses/{world.op.id}/amendments").get_json()["amendments"][0]["status"] == "withdrawn"
    assert api(world.rapporteur).post(f"/amendments/{amendment['id']}/accept", json={}).status_code == 409


def test_competing_amendments_side_by_side_with_track_changes_comments_and_votes(amendments_phase, api, login, client):
    world = amendments_phase
    first = propose(api, world).get_json()
    propose(api, world, world.expert2, text="Recommends that cities publish machine-readable open data;",
            rationale="Formats matter.")
    assert api(world.expert2).put(f"/amendments/{first['id']}/vote", json={"position": "agree"}).status_code == 200
    assert api(world.observer).put(f"/amendments/{first['id']}/vote", json={"position": "agree"}).status_code == 403
    blocked = api(world.chair).put(f"/amendments/{first['id']}/vote", json={"position": "block"})
    assert blocked.status_code == 422
    api(world.chair).post(f"/clauses/{world.op.id}/comments", json={"body": "Prefer this", "amendment_id": first["id"]})
    login(world.rapporteur)
    page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
    assert page.count('class="amendment"') == 2
    assert "<ins><span class=\"visually-hidden\">[inserted: </span> and open budgets" in page
    assert "Prefer this" in page and "1 agree" in page and "Accept and apply" in page


def test_the_proposal_form_reshows_errors(amendments_phase, login, client):
    world = amendments_phase
    login(world.expert)
    response = client.post(f"/clauses/{world.op.id}/amendments", data={
        "base_revision_id": world.op.head_revision_id, "text": AMENDED, "rationale": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Rationale must not be empty" in page and AMENDED in page


def test_unknown_amendment_is_404(amendments_phase, api):
    assert api(amendments_phase.rapporteur).post("/amendments/4242/accept", json={}).status_code == 404
