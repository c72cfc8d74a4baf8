"""Suggestions on the document page: shown under their paragraph as track changes, decided in place."""
from drafting.boundary import commit

BUDGETS = "Recommends that cities publish open budgets;"
STATS = "Recommends that cities publish open statistics;"
ALL = "Recommends that all cities publish open data;"


def suggest(api, world, user, text, rationale="Clearer."):
    answer = api(user).post(f"/clauses/{world.op.id}/amendments", json={
        "base_revision_id": world.op.head_revision_id, "text": text, "rationale": rationale})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def test_open_suggestions_show_under_the_paragraph_with_initials_and_overlaps(world, api, login, client):
    suggest(api, world, world.expert, BUDGETS)
    suggest(api, world, world.expert2, STATS)
    suggest(api, world, world.expert2, ALL)
    login(world.rapporteur)
    page = client.get(f"/documents/{world.document.id}").get_data(as_text=True)
    row = page[page.index(f'id="clause-{world.op.id}"'):]
    assert row.count('<li class="suggestion') == 3
    assert '<span class="initials" aria-hidden="true">EO</span>' in row and "by Expert One" in row
    assert "Overlaps Amendment 2" in row and "Overlaps Amendment 1" in row
    assert '<ins><span class="visually-hidden">[inserted by ET: </span>all <span' in row
    assert "Accept<span" in row  # a rapporteur decides in place
    login(world.observer)
    page = client.get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert page.count('<li class="suggestion') == 3 and "Accept<span" not in page and "Vote on this text" not in page


def test_votes_and_decisions_from_the_document_page_return_to_the_paragraph(world, api, login, client):
    amendment_id = suggest(api, world, world.expert, BUDGETS)
    login(world.expert2)
    back = client.post(f"/amendments/{amendment_id}/vote", data={"position": "agree", "back": "document"})
    assert back.status_code == 302 and back.location.endswith(f"/documents/{world.document.id}#clause-{world.op.id}")
    client.post(f"/clauses/{world.op.id}/vote", data={"position": "agree", "back": "document"})
    page = client.get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert "Your vote: <strong>agree</strong>" in page and "yours: agree" in page
    login(world.rapporteur)
    client.post(f"/amendments/{amendment_id}/accept", data={"back": "document"})
    assert world.op.head.text == BUDGETS and world.op.head.author_id == world.expert.id
    login(world.expert2)
    page = client.get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert '<li class="suggestion' not in page
    assert "on an earlier text" in page and "Confirm “agree” for the current text" in page


def test_suggestions_on_agreed_text_by_observers_or_empty_are_refused(world, api):
    assert api(world.observer).post(f"/clauses/{world.op.id}/amendments", json={
        "base_revision_id": world.op.head_revision_id, "text": BUDGETS, "rationale": "x"}).status_code == 403
    assert api(world.expert).post(f"/clauses/{world.op.id}/amendments", json={
        "base_revision_id": world.op.head_revision_id, "text": "", "rationale": "x"}).status_code == 422
    world.op.status = "agreed"
    commit()
    refused = api(world.expert).post(f"/clauses/{world.op.id}/amendments", json={
        "base_revision_id": world.op.head_revision_id, "text": BUDGETS, "rationale": "x"})
    assert refused.status_code == 409


def test_a_suggestion_on_a_text_that_changed_meanwhile_is_refused_with_the_current_text(world, api):
    from drafting.models import Amendment
    from drafting.extensions import db

    old = world.op.head_revision_id
    api(world.expert2).post(f"/clauses/{world.op.id}/revisions", json={"base_revision_id": old, "text": ALL})
    refused = api(world.expert).post(f"/clauses/{world.op.id}/amendments", json={
        "base_revision_id": old, "text": BUDGETS, "rationale": "Budgets."})
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert "changed while you wrote your suggestion" in error["message"] and error["head_text"] == ALL
    assert db.session.execute(db.select(db.func.count(Amendment.id))).scalar() == 0
