"""The routes the live pages use: the socket.io client, a clause's fragment, a merge proposal."""
import pytest

from drafting.extensions import db
from drafting.models import ClauseRevision

ROLES = ["anonymous", "outsider", "observer", "expert", "rapporteur", "chair", "admin", "other_chair"]


def revision_count(clause):
    return db.session.query(ClauseRevision).filter_by(clause_id=clause.id).count()


def test_the_socketio_client_comes_from_node_modules(client):
    response = client.get("/vendor/socket.io.esm.min.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert b"export" in response.data
    assert client.get("/vendor/socket.io.js").status_code == 404
    assert client.get("/vendor/..%2Fpackage.json").status_code == 404


def test_the_document_page_loads_its_module_without_inline_script(world, login):
    page = login(world.expert).get(f"/documents/{world.document.id}")
    html = page.get_data(as_text=True)
    assert '<script type="module" src="/static/js/document-page.js"></script>' in html
    assert f'data-last-seq="{world.document.last_seq}"' in html and 'data-may-edit="true"' in html
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]
    assert "<script>" not in html


@pytest.mark.parametrize("role", ROLES)
def test_a_clause_fragment_is_shown_to_those_who_may_read(world, login, role):
    response = login(world.users[role]).get(f"/clauses/{world.op.id}/fragment")
    expected = {"anonymous": 302, "outsider": 403, "other_chair": 403}.get(role, 200)
    assert response.status_code == expected
    if expected == 200:
        html = response.get_data(as_text=True)
        assert html.strip().startswith(f'<li class="clause clause--op clause--proposed" id="clause-{world.op.id}"')
        assert "Recommends that cities publish open data;" in html


def test_a_fragment_of_a_missing_clause_is_404(world, login):
    assert login(world.chair).get("/clauses/99999/fragment").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_those_who_may_edit_get_a_merge_proposal(world, api, role):
    response = api(world.users[role]).post(f"/clauses/{world.op.id}/merge", json={
        "base_revision_id": world.op.head_revision_id, "text": "Recommends that cities publish open data now;"})
    expected = {"anonymous": 401, "outsider": 403, "observer": 403, "other_chair": 403}.get(role, 200)
    assert response.status_code == expected
    assert ("error" in response.get_json()) is (expected != 200)


def test_a_draft_on_the_head_merges_cleanly_and_nothing_is_saved(world, api):
    seq, count = world.document.last_seq, revision_count(world.op)
    response = api(world.expert2).post(f"/clauses/{world.op.id}/merge", json={
        "base_revision_id": world.op.head_revision_id, "text": "Recommends that cities publish open data now;"})
    body = response.get_json()
    assert body["clean"] is True and body["merged"] == "Recommends that cities publish open data now;"
    assert body["head"]["id"] == world.op.head_revision_id
    db.session.expire_all()
    assert revision_count(world.op) == count and world.document.last_seq == seq


def test_a_draft_on_an_old_revision_gets_theirs_to_resolve_against(world, api):
    first = world.op.head_revision_id
    theirs = api(world.expert).post(f"/clauses/{world.op.id}/revisions", json={
        "base_revision_id": first, "text": "Recommends that all cities publish open data;"}).get_json()
    seq = world.document.last_seq
    response = api(world.expert2).post(f"/clauses/{world.op.id}/merge", json={
        "base_revision_id": first, "text": "Recommends that cities publish open data promptly;"})
    body = response.get_json()
    assert response.status_code == 200
    assert body["head"] == {**body["head"], "id": theirs["id"], "text": "Recommends that all cities publish open data;"}
    assert body["clean"] is True
    assert body["merged"] == "Recommends that all cities publish open data promptly;"
    db.session.expire_all()
    assert world.document.last_seq == seq  # a proposal is not an edit


def test_overlapping_drafts_get_the_conflict_marked(world, api):
    first = world.op.head_revision_id
    api(world.expert).post(f"/clauses/{world.op.id}/revisions", json={
        "base_revision_id": first, "text": "Recommends that cities publish open statistics;"})
    body = api(world.expert2).post(f"/clauses/{world.op.id}/merge", json={
        "base_revision_id": first, "text": "Recommends that cities publish open budgets;"}).get_json()
    assert body["clean"] is False and body["conflicts"] == 1
    assert "statistics" in body["merged"] and "budgets" in body["merged"]


@pytest.mark.parametrize("payload, status", [
    (None, 422), ([], 422), ({"text": "x"}, 422), ({"base_revision_id": "1", "text": "x"}, 422),
    ({"base_revision_id": 1, "text": ""}, 422), ({"base_revision_id": 99999, "text": "Recommends;"}, 422),
])
def test_bad_merge_requests_get_a_clear_answer(world, api, payload, status):
    response = api(world.expert).post(f"/clauses/{world.op.id}/merge", json=payload)
    assert response.status_code == status
    assert response.get_json()["error"]["message"]


def test_a_merge_for_a_missing_clause_is_404(world, api):
    response = api(world.expert).post("/clauses/99999/merge", json={"base_revision_id": 1, "text": "x"})
    assert response.status_code == 404
