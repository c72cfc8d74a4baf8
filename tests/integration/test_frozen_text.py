"""Agreed text is frozen on every path until the chair reopens it, with a reason."""
import pytest

from drafting.boundary import commit
from drafting.models import Declaration
from drafting.services import amendments, declarations
from tests.security.matrix_world import in_phase

NEW_TEXT = "Recommends that cities publish all their data;"


def _agree(world, clause=None, kind="agreed"):
    clause = clause or world.op
    with in_phase(world.document, "consolidation"):
        declarations.declare(world.chair, clause, kind)
    commit()
    return clause


def _frozen(response, revision_number=1):
    body = response.get_json()
    assert response.status_code == 409, body
    message = body["error"]["message"]
    assert f"on revision {revision_number}" in message and "chair must reopen" in message
    assert body["error"]["agreed_revision_number"] == revision_number
    return body


@pytest.mark.parametrize("kind", ["agreed", "agreed_ad_ref"])
def test_an_agreed_clause_refuses_a_direct_edit_in_the_api(world, api, kind):
    _agree(world, kind=kind)
    answer = api(world.expert).post(f"/clauses/{world.op.id}/revisions",
                                    json={"base_revision_id": world.op.head_revision_id, "text": NEW_TEXT})
    _frozen(answer)
    assert api(world.expert).get(f"/clauses/{world.op.id}").get_json()["text"] != NEW_TEXT


def test_the_declaration_records_the_revision_and_the_tally(world, api):
    api(world.expert).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    answer = api(world.chair).post(f"/clauses/{world.op.id}/declare", json={"status": "agreed"})
    body = answer.get_json()
    assert answer.status_code == 201
    assert body["revision_id"] == world.op.head_revision_id and body["revision_number"] == 1
    assert body["tally"]["agree"] == 1


def test_the_clause_page_offers_no_edit_on_agreed_text_and_says_why(world, login, client):
    _agree(world)
    login(world.expert)
    page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
    assert 'id="edit-form"' not in page
    assert "on revision 1" in page and "chair must reopen" in page
    document_page = client.get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert f'id="clause-{world.op.id}"' in document_page
    assert 'data-text-frozen="true"' in document_page


def test_the_edit_form_refuses_agreed_text(world, login, client):
    _agree(world)
    login(world.expert)
    answer = client.post(f"/clauses/{world.op.id}/edit",
                         data={"base_revision_id": world.op.head_revision_id, "text": NEW_TEXT})
    assert answer.status_code == 409 and "on revision 1" in answer.get_data(as_text=True)


def test_an_amendment_is_neither_proposed_nor_accepted_on_agreed_text(world, api, advance):
    with in_phase(world.document, "amendments"):
        proposed = amendments.propose(world.expert, world.op, world.op.head_revision_id, NEW_TEXT, "Say all.")
    commit()
    advance(world.document, world.chair, "amendments")
    _agree(world)
    _frozen(api(world.expert2).post(f"/clauses/{world.op.id}/amendments", json={
        "base_revision_id": world.op.head_revision_id, "text": NEW_TEXT + " ", "rationale": "Again."}))
    _frozen(api(world.rapporteur).post(f"/amendments/{proposed.id}/accept", json={}))
    listed = api(world.expert).get(f"/clauses/{world.op.id}/amendments").get_json()
    assert [a["status"] for a in listed["amendments"]] == ["open"]


def test_every_consolidation_tool_refuses_agreed_text(world, api, advance):
    with in_phase(world.document, "amendments"):
        proposed = amendments.propose(world.expert, world.op, world.op.head_revision_id, NEW_TEXT, "Say all.")
    commit()
    advance(world.document, world.chair, "consolidation")
    _agree(world)
    rapporteur = api(world.rapporteur)
    base = world.op.head_revision_id
    _frozen(rapporteur.post(f"/clauses/{world.op.id}/compromise", json={
        "base_revision_id": base, "text": NEW_TEXT, "rationale": "Both.", "amendment_ids": [proposed.id]}))
    _frozen(rapporteur.post(f"/clauses/{world.op.id}/split", json={"base_revision_id": base, "before": "publish"}))
    _frozen(rapporteur.post(f"/clauses/{world.op.id}/bracket", json={"base_revision_id": base, "quote": "open"}))
    _frozen(rapporteur.post(f"/clauses/{world.op.id}/bracket", json={}))
    _frozen(rapporteur.post(f"/clauses/{world.op.id}/alternatives", json={"text": NEW_TEXT}))
    _frozen(rapporteur.post(f"/documents/{world.document.id}/merge", json={"clause_ids": [world.pp.id, world.op.id]}))
    clause = rapporteur.get(f"/clauses/{world.op.id}").get_json()
    assert clause["status"] == "agreed" and clause["revision_id"] == base
    # Moving is no change of text: an agreed paragraph may still move.
    assert rapporteur.post(f"/clauses/{world.op.id}/move", json={"direction": "up"}).status_code == 200


def test_choosing_an_alternative_cannot_withdraw_agreed_text(world, api, advance):
    advance(world.document, world.chair, "consolidation")
    alternative = api(world.rapporteur).post(f"/clauses/{world.op.id}/alternatives",
                                             json={"text": NEW_TEXT}).get_json()
    _agree(world)
    _frozen(api(world.rapporteur).post(f"/clauses/{alternative['id']}/choose"))


def test_reopening_is_the_chairs_with_a_reason_and_unfreezes_the_text(world, api):
    _agree(world)
    assert api(world.rapporteur).post(f"/clauses/{world.op.id}/declare",
                                      json={"status": "reopened", "reason": "Why not."}).status_code == 403
    assert api(world.chair).post(f"/clauses/{world.op.id}/declare", json={"status": "reopened"}).status_code == 422
    reopened = api(world.chair).post(f"/clauses/{world.op.id}/declare",
                                     json={"status": "reopened", "reason": "Kenya asked to revisit it."})
    assert reopened.status_code == 201 and reopened.get_json()["status"] == "proposed"
    events = api(world.expert).get(f"/documents/{world.document.id}/events").get_json()["events"]
    last = events[-1]
    assert last["type"] == "clause.declared" and last["payload"]["declared"] == "reopened"
    assert last["payload"]["reason"] == "Kenya asked to revisit it."
    saved = api(world.expert).post(f"/clauses/{world.op.id}/revisions",
                                   json={"base_revision_id": world.op.head_revision_id, "text": NEW_TEXT})
    assert saved.status_code == 201
    kinds = [d.status for d in Declaration.query.filter_by(clause_id=world.op.id).order_by(Declaration.id)]
    assert kinds == ["agreed", "reopened"]


def test_a_frozen_clause_is_only_reopened_or_confirmed(world, api):
    _agree(world, kind="agreed_ad_ref")
    chair = api(world.chair)
    refused = chair.post(f"/clauses/{world.op.id}/declare", json={"status": "bracketed"})
    assert refused.status_code == 409 and "reopen" in refused.get_json()["error"]["message"]
    assert chair.post(f"/clauses/{world.op.id}/declare", json={"status": "agreed"}).status_code == 201
    again = chair.post(f"/clauses/{world.op.id}/declare", json={"status": "agreed"})
    assert again.status_code == 409 and "already" in again.get_json()["error"]["message"]


def test_a_reopened_clause_renders_on_the_outcome_page_and_in_every_export(world, login, client):
    _agree(world)
    with in_phase(world.document, "consolidation"):
        declarations.declare(world.chair, world.op, "reopened", "To be looked at again.")
    commit()
    login(world.chair)
    for suffix in ("", ".md", ".docx", ".pdf", ".xml"):
        answer = client.get(f"/documents/{world.document.id}/outcome{suffix}")
        assert answer.status_code == 200, suffix
