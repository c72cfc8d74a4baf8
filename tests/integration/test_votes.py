"""Votes: one per member per clause, bound to the revision, stale after edits, the role matrix."""
import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Event, Notification, Vote

ROLES = ["anonymous", "outsider", "observer", "expert", "rapporteur", "chair", "admin", "other_chair"]
VOTE_STATUS = {"anonymous": 401, "outsider": 403, "observer": 403, "expert": 200, "rapporteur": 200,
               "chair": 200, "admin": 200, "other_chair": 403}


def vote_count(app):
    return db.session.execute(db.select(db.func.count(Vote.id))).scalar_one()


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_voting_over_the_api(world, api, role, app):
    response = api(world.users[role]).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    assert response.status_code == VOTE_STATUS[role], response.get_json()
    assert vote_count(app) == (1 if VOTE_STATUS[role] == 200 else 0)
    if role == "observer":
        assert "Observers" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_the_vote_form(world, login, client, role, app):
    login(world.users[role])
    response = client.post(f"/clauses/{world.op.id}/vote", data={"position": "disagree"})
    expected = 302 if role == "anonymous" or VOTE_STATUS[role] == 200 else VOTE_STATUS[role]
    assert response.status_code == expected
    if role == "anonymous":
        assert "/login" in response.headers["Location"]
    assert vote_count(app) == (1 if VOTE_STATUS[role] == 200 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_reading_votes(world, api, role):
    expected = {"anonymous": 401, "outsider": 403, "other_chair": 403}.get(role, 200)
    assert api(world.users[role]).get(f"/clauses/{world.op.id}/votes").status_code == expected


def test_one_vote_per_member_changeable(world, api, app):
    client = api(world.expert)
    assert client.put(f"/clauses/{world.op.id}/vote", json={"position": "agree"}).status_code == 200
    response = client.put(f"/clauses/{world.op.id}/vote", json={"position": "disagree", "reason": "Too vague"})
    assert response.status_code == 200
    assert vote_count(app) == 1
    tally = response.get_json()["tally"]
    assert (tally["agree"], tally["disagree"], tally["voted"]) == (0, 1, 1)
    assert tally["eligible"] == 4  # chair, rapporteur and two experts; not the observer


@pytest.mark.parametrize("body,message", [
    ({"position": "maybe"}, "position must be one of: agree, abstain, disagree, block"),
    ({"position": "block"}, "write the reason"),
    ({"position": "block", "reason": "   "}, "write the reason"),
    ({}, "position must be one of"),
    ({"position": "agree", "reason": "x" * 5001}, "limit is 5,000"),
])
def test_bad_votes_are_refused_and_nothing_is_stored(world, api, app, body, message):
    response = api(world.expert).put(f"/clauses/{world.op.id}/vote", json=body)
    assert response.status_code == 422
    assert message in response.get_json()["error"]["message"]
    assert vote_count(app) == 0


def test_a_block_with_a_reason_blocks(world, api):
    for user in (world.chair, world.rapporteur, world.expert):
        api(user).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    response = api(world.expert2).put(f"/clauses/{world.op.id}/vote",
                                      json={"position": "block", "reason": "Conflicts with national law"})
    assert response.get_json()["tally"]["state"] == "blocked"
    document = api(world.expert).get(f"/documents/{world.document.id}").get_json()
    clause = next(c for s in document["sections"] for c in s["clauses"] if c["id"] == world.op.id)
    assert clause["consensus"] == "blocked" and clause["tally"]["block"] == 1


@pytest.mark.parametrize("status", ["withdrawn", "merged"])
def test_no_votes_on_withdrawn_or_merged_clauses(world, api, app, status):
    world.op.status = status
    commit()
    response = api(world.expert).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    assert response.status_code == 409 and status in response.get_json()["error"]["message"]
    assert vote_count(app) == 0


def test_unknown_clause_is_404(world, api):
    assert api(world.expert).put("/clauses/99999/vote", json={"position": "agree"}).status_code == 404


def test_votes_close_after_the_drafting_phases(world, api, advance):
    advance(world.document, world.chair, "final_reading")
    commit()
    response = api(world.expert).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "wrong_phase"


def test_an_edit_makes_votes_stale_notifies_and_one_click_confirms(world, api, login, client, app):
    api(world.expert2).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    api(world.chair).put(f"/clauses/{world.op.id}/vote", json={"position": "disagree", "reason": "weak"})
    edit = api(world.expert).post(f"/clauses/{world.op.id}/revisions", json={
        "base_revision_id": world.op.head_revision_id, "text": "Recommends that cities publish open data yearly;"})
    assert edit.status_code == 201
    votes = api(world.expert2).get(f"/clauses/{world.op.id}/votes").get_json()
    assert votes["tally"]["state"] == "no_votes" and votes["tally"]["stale"] == 2
    assert votes["mine"]["stale"] is True
    told = db.session.execute(db.select(Notification).filter_by(kind="vote_stale")).scalars().all()
    assert {n.user_id for n in told} == {world.expert2.id, world.chair.id}
    assert db.session.execute(db.select(Event).filter_by(type="votes.stale")).scalar_one()

    # A second edit does not tell them again: their votes were stale already.
    head = api(world.expert).get(f"/clauses/{world.op.id}").get_json()["revision_id"]
    api(world.expert).post(f"/clauses/{world.op.id}/revisions",
                           json={"base_revision_id": head, "text": "Recommends that cities publish open data;"})
    assert db.session.execute(db.select(db.func.count(Notification.id)).filter_by(kind="vote_stale")).scalar_one() == 2

    login(world.expert2)
    page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
    assert "on an earlier text" in page and "Confirm “agree” on the current text" in page
    assert client.post(f"/clauses/{world.op.id}/vote/confirm").status_code == 302
    votes = api(world.expert2).get(f"/clauses/{world.op.id}/votes").get_json()
    assert votes["mine"]["stale"] is False and votes["tally"]["agree"] == 1 and votes["tally"]["stale"] == 1


def test_confirm_without_a_vote_is_404(world, api):
    response = api(world.expert).post(f"/clauses/{world.op.id}/vote/confirm")
    assert response.status_code == 404 and "not voted" in response.get_json()["error"]["message"]


def test_hidden_tallies_show_only_ones_own_vote_until_the_chair_declares(world, api):
    api(world.chair).put(f"/documents/{world.document.id}/rules", json={
        "quorum": 0.5, "threshold": 0.75, "block_prevents_consensus": True, "hide_tallies": True})
    api(world.expert).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    api(world.expert2).put(f"/clauses/{world.op.id}/vote", json={"position": "disagree"})
    seen = api(world.expert).get(f"/clauses/{world.op.id}/votes").get_json()
    assert seen["tally"]["hidden"] is True and seen["tally"]["agree"] is None
    assert [v["user"]["id"] for v in seen["votes"]] == [world.expert.id]
    document = api(world.observer).get(f"/documents/{world.document.id}").get_json()
    clause = next(c for s in document["sections"] for c in s["clauses"] if c["id"] == world.op.id)
    assert clause["tally"]["hidden"] is True and clause["consensus"] is None
    assert api(world.chair).get(f"/clauses/{world.op.id}/votes").get_json()["tally"]["agree"] == 1
    # The events that travel to every reader do not give the position away either.
    events = api(world.observer).get(f"/documents/{world.document.id}/events").get_json()["events"]
    cast = [e for e in events if e["type"] == "vote.cast"]
    assert cast and all("position" not in e["payload"] and e["payload"]["tally"]["agree"] is None for e in cast)

    declared = api(world.chair).post(f"/clauses/{world.op.id}/declare", json={"status": "agreed"})
    assert declared.status_code == 201 and declared.get_json()["tally"]["agree"] == 1
    seen = api(world.expert).get(f"/clauses/{world.op.id}/votes").get_json()
    assert seen["tally"]["hidden"] is False and len(seen["votes"]) == 2


DECLARE_STATUS = {"anonymous": 401, "outsider": 403, "observer": 403, "expert": 403, "rapporteur": 403,
                  "chair": 201, "admin": 201, "other_chair": 403}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_declarations(world, api, role):
    response = api(world.users[role]).post(f"/clauses/{world.op.id}/declare", json={"status": "bracketed"})
    assert response.status_code == DECLARE_STATUS[role]


def test_declarations_record_the_tally_close_and_reopen_the_vote(world, api, login, client):
    api(world.expert).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    chair = api(world.chair)
    assert chair.post(f"/clauses/{world.op.id}/declare", json={"status": "agreed"}).get_json()["tally"]["agree"] == 1
    closed = api(world.expert2).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    assert closed.status_code == 409 and "reopened" in closed.get_json()["error"]["message"]
    without_reason = chair.post(f"/clauses/{world.op.id}/declare", json={"status": "reopened"})
    assert without_reason.status_code == 422 and without_reason.get_json()["error"]["field"] == "reason"
    reopened = chair.post(f"/clauses/{world.op.id}/declare",
                          json={"status": "reopened", "reason": "The delegation of Kenya asked to revisit it."})
    assert reopened.get_json()["status"] == "proposed"
    assert api(world.expert2).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"}).status_code == 200
    bad = chair.post(f"/clauses/{world.op.id}/declare", json={"status": "withdrawn"})
    assert bad.status_code == 422
    login(world.chair)
    page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
    assert "Declarations" in page and "Reopened" in page and "1 agree" in page
