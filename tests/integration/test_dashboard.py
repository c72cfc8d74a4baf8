"""The consensus dashboard, the document page's tallies, notifications and the bell."""
import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Notification
from drafting.services import notifications

ROLES = ["anonymous", "outsider", "observer", "expert", "rapporteur", "chair", "admin", "other_chair"]
READ_STATUS = {"anonymous": 401, "outsider": 403, "observer": 200, "expert": 200, "rapporteur": 200,
               "chair": 200, "admin": 200, "other_chair": 403}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_the_dashboard_page(world, login, client, role):
    login(world.users[role])
    response = client.get(f"/documents/{world.document.id}/dashboard")
    expected = 302 if role == "anonymous" else READ_STATUS[role]
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_the_dashboard_api(world, api, role):
    assert api(world.users[role]).get(f"/documents/{world.document.id}/dashboard").status_code == READ_STATUS[role]


def test_dashboard_counts_bars_and_what_needs_attention(world, api, login, client):
    for user in (world.chair, world.rapporteur, world.expert):
        api(user).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    api(world.expert2).put(f"/clauses/{world.op.id}/vote", json={"position": "block", "reason": "Unlawful"})
    api(world.expert).put(f"/clauses/{world.pp.id}/vote", json={"position": "agree"})
    api(world.expert2).put(f"/clauses/{world.pp.id}/vote", json={"position": "agree"})
    api(world.expert).post(f"/clauses/{world.pp.id}/revisions", json={
        "base_revision_id": world.pp.head_revision_id, "text": "Recognizing the central role of cities,"})
    api(world.expert).post(f"/clauses/{world.pp.id}/comments", json={"body": "Open question"})

    data = api(world.observer).get(f"/documents/{world.document.id}/dashboard").get_json()
    assert data["by_state"]["blocked"] == 1 and data["by_state"]["no_votes"] == 1
    assert data["by_status"]["proposed"] == 2
    assert data["attention"]["blocked"] == [world.op.id]
    assert data["attention"]["stale_votes"] == [world.pp.id]
    assert data["attention"]["unresolved_comments"] == {str(world.pp.id): 1}

    login(world.observer)
    page = client.get(f"/documents/{world.document.id}/dashboard").get_data(as_text=True)
    assert "Needs attention" in page and "<svg" in page and 'role="img"' in page
    # Readable without colour: every bar's numbers are written out, patterns tell segments apart.
    assert "3 agree · 0 abstain · 0 disagree · 1 block · 4 of 4 voted" in page
    assert "url(#pat-block)" in page and "2 votes on an earlier text" in page
    assert "Clauses by consensus state: No votes 1" in page

    doc_page = client.get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert "Blocked" in doc_page and "1 open comment" in doc_page and "Consensus dashboard" in doc_page


def test_hidden_tallies_stay_hidden_on_the_dashboard_except_for_the_chair(world, api, login, client):
    world.document.hide_tallies = True
    commit()
    api(world.expert).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    login(world.expert)
    page = client.get(f"/documents/{world.document.id}/dashboard").get_data(as_text=True)
    assert "Tally hidden until the vote closes" in page and "1 agree" not in page
    data = api(world.expert2).get(f"/documents/{world.document.id}/dashboard").get_json()
    assert data["by_state"]["hidden"] == 2
    login(world.chair)
    assert "1 agree" in client.get(f"/documents/{world.document.id}/dashboard").get_data(as_text=True)


def test_unknown_document_is_404(world, api):
    assert api(world.expert).get("/documents/99999/dashboard").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_notifications(world, api, login, client, role):
    login(world.users[role])
    page = client.get("/notifications")
    assert page.status_code == (302 if role == "anonymous" else 200)
    login(None)
    assert api(world.users[role]).get("/notifications").status_code == (401 if role == "anonymous" else 200)


def test_the_bell_counts_unread_and_opening_marks_read(world, api, login, client):
    api(world.expert).post(f"/clauses/{world.op.id}/comments", json={"body": "Ping @Expert Two"})
    api(world.expert).post(f"/clauses/{world.pp.id}/comments", json={"body": "And @Expert Two again"})
    login(world.expert2)
    page = client.get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert "Notifications, 2 unread" in page
    listing = client.get("/notifications").get_data(as_text=True)
    assert listing.count("mentioned you in a comment") == 2
    first = db.session.execute(db.select(Notification).order_by(Notification.id)).scalars().first()
    response = client.post(f"/notifications/{first.id}/open")
    assert response.status_code == 302 and response.headers["Location"].startswith(f"/clauses/{world.op.id}#comment-")
    assert "Notifications, 1 unread" in client.get("/notifications").get_data(as_text=True)
    assert client.post("/notifications/read").status_code == 302
    assert notifications.unread_count(world.expert2) == 0


def test_someone_elses_notification_is_404(world, api, login, client):
    api(world.expert).post(f"/clauses/{world.op.id}/comments", json={"body": "Ping @Expert Two"})
    note = db.session.execute(db.select(Notification)).scalar_one()
    login(world.expert)
    assert client.post(f"/notifications/{note.id}/open").status_code == 404
    login(None)
    response = api(world.expert).post("/notifications/read", json={"id": note.id})
    assert response.status_code == 404
    assert api(world.expert2).post("/notifications/read", json={}).get_json() == {"marked_read": 1, "unread": 0}


def test_the_openapi_description_lists_the_deliberation_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in [("/clauses/{clause_id}/comments", "post"), ("/clauses/{clause_id}/vote", "put"),
                         ("/clauses/{clause_id}/amendments", "post"), ("/amendments/{amendment_id}/accept", "post"),
                         ("/amendments/{amendment_id}/reject", "post"), ("/clauses/{clause_id}/declare", "post"),
                         ("/documents/{document_id}/dashboard", "get")]:
        assert method in paths[path]


# --- the live dashboard ------------------------------------------------------------------


def test_the_dashboard_fragment_is_the_dashboards_live_parts(world, login, api):
    api(world.expert).put(f"/clauses/{world.op.id}/vote", json={"position": "block", "reason": "No."})
    html = login(world.observer).get(f"/documents/{world.document.id}/dashboard/fragment").get_data(as_text=True)
    for part in ("dashboard-rules", "dashboard-by-state", "dashboard-by-status", "attention", "dashboard-rows",
                 f"dashboard-row-{world.op.id}"):
        assert f'id="{part}"' in html
    assert 'data-summary="2 clauses: 1 no votes, 1 quorum not met; 0 need attention."' in html
    assert "<html" not in html and "<script" not in html
    page = login(world.observer).get(f"/documents/{world.document.id}/dashboard").get_data(as_text=True)
    assert '<script type="module" src="/static/js/dashboard-page.js"></script>' in page


def test_hidden_tallies_stay_hidden_in_the_dashboard_fragment_except_for_the_chair(world, login, api):
    rules = {"quorum": 0.5, "threshold": 0.75, "block_prevents_consensus": True, "hide_tallies": True}
    api(world.chair).put(f"/documents/{world.document.id}/rules", json=rules)
    api(world.expert).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    url = f"/documents/{world.document.id}/dashboard/fragment"
    assert "Tally hidden until the vote closes" in login(world.expert2).get(url).get_data(as_text=True)
    assert "1 agree · 0 abstain" not in login(world.expert2).get(url).get_data(as_text=True)
    assert "1 agree · 0 abstain" in login(world.chair).get(url).get_data(as_text=True)
