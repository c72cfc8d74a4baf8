"""A document published publicly opens its outcome document to anyone, not its deliberation.

DESIGN.md: anyone reads "an outcome document that was published publicly"; the drafts, comments,
votes and the audit trail stay with the members. Found by the authorization matrix: anonymous
callers read the whole event log, deleted comments included.
"""
import pytest

from drafting.boundary import commit
from drafting.extensions import socketio
from drafting.services import comments, procedure

REMARK = "Ruritania will never accept paragraph 1"


@pytest.fixture
def public_document(world, advance):
    remark = comments.post(world.expert, world.op, REMARK)
    commit()
    comments.delete(world.expert, remark)
    commit()
    advance(world.document, world.chair, "published")
    procedure.publish(world.chair, world.document, "public")
    commit()
    return world.document


def test_anyone_reads_the_outcome_and_its_downloads(public_document, client):
    for suffix in ("", ".md", ".docx", ".xml"):
        response = client.get(f"/documents/{public_document.id}/outcome{suffix}")
        assert response.status_code == 200, suffix
    assert "publish open data" in client.get(f"/documents/{public_document.id}/outcome").get_data(as_text=True)


def test_the_deliberation_stays_with_the_members(world, public_document, client, api, login):
    document, clause = public_document.id, world.op.id
    pages = [f"/documents/{document}", f"/clauses/{clause}", f"/clauses/{clause}/history",
             f"/documents/{document}/activity", f"/documents/{document}/dashboard", f"/documents/{document}/procedure"]
    calls = [f"/documents/{document}", f"/documents/{document}/events", f"/clauses/{clause}/comments",
             f"/clauses/{clause}/votes", f"/clauses/{clause}/revisions"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and "/login" in response.headers["Location"], page
    for path in calls:
        response = api(None).get(path)
        assert response.status_code == 401 and REMARK not in response.get_data(as_text=True), path
        assert api(world.outsider).get(path).status_code == 403, path
    assert REMARK in api(world.observer).get(f"/documents/{document}/events").get_data(as_text=True)


def test_an_anonymous_socket_cannot_follow_it(app, world, public_document):
    client = socketio.test_client(app)
    ack = client.emit("join", {"document_id": public_document.id, "after_seq": 0}, callback=True)
    assert ack["ok"] is False and ack["error"]
    assert [m for m in client.get_received() if m["name"] == "event"] == []
    client.disconnect()
