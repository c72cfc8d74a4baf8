"""Comments: threads, anchors that follow the words, resolve/reopen, edit/delete, mentions."""
import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Comment, Event, Notification

ROLES = ["anonymous", "outsider", "observer", "expert", "rapporteur", "chair", "admin", "other_chair"]
POST_STATUS = {"anonymous": 401, "outsider": 403, "observer": 403, "expert": 201, "rapporteur": 201,
               "chair": 201, "admin": 201, "other_chair": 403}


def comment_count():
    return db.session.execute(db.select(db.func.count(Comment.id))).scalar_one()


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_posting_comments(world, api, role):
    response = api(world.users[role]).post(f"/clauses/{world.op.id}/comments", json={"body": "A thought."})
    assert response.status_code == POST_STATUS[role]
    assert comment_count() == (1 if POST_STATUS[role] == 201 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_reading_comments(world, api, role):
    expected = {"anonymous": 401, "outsider": 403, "other_chair": 403}.get(role, 200)
    assert api(world.users[role]).get(f"/clauses/{world.op.id}/comments").status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_the_comment_form(world, login, client, role):
    login(world.users[role])
    response = client.post(f"/clauses/{world.op.id}/comments", data={"body": "From the page."})
    expected = 302 if role == "anonymous" or POST_STATUS[role] == 201 else POST_STATUS[role]
    assert response.status_code == expected
    if expected == 302 and role != "anonymous":
        assert "#comment-" in response.headers["Location"]


def test_a_comment_on_a_clause_of_another_meeting_is_refused(world, api):
    response = api(world.expert).post(f"/clauses/{world.other_clause.id}/comments", json={"body": "Hi"})
    assert response.status_code == 403 and comment_count() == 0


@pytest.mark.parametrize("body,status,message", [
    ({"body": ""}, 422, "Comment must not be empty"),
    ({"body": "x" * 10_001}, 422, "limit is 10,000"),
    ({"body": "ok", "quote": "not in the clause"}, 422, "not in the current text"),
    ({"body": "ok", "parent_id": 99999}, 422, "reply to a comment on this clause"),
    ({"body": "ok", "amendment_id": 99999}, 422, "not one of this clause"),
    ({"body": "ok", "parent_id": "abc"}, 422, "positive whole number"),
])
def test_bad_comments_are_refused(world, api, body, status, message):
    response = api(world.expert).post(f"/clauses/{world.op.id}/comments", json=body)
    assert response.status_code == status and message in response.get_json()["error"]["message"]
    assert comment_count() == 0


def test_markdown_is_sanitised(world, api):
    response = api(world.expert).post(f"/clauses/{world.op.id}/comments",
                                      json={"body": "**Yes** <script>alert(1)</script> [x](javascript:alert(1))"})
    html = response.get_json()["html"]
    assert "<strong>Yes</strong>" in html and "<script>" not in html and "javascript:" not in html


def test_an_anchored_comment_follows_its_words_and_is_marked_in_the_text(world, api, login, client):
    expert = api(world.expert)
    posted = expert.post(f"/clauses/{world.op.id}/comments", json={"body": "Which data?", "quote": "open data"})
    assert posted.status_code == 201 and posted.get_json()["anchor"]["state"] == "anchored"
    expert.post(f"/clauses/{world.op.id}/revisions", json={
        "base_revision_id": world.op.head_revision_id,
        "text": "Recommends that all cities and regions publish open data every year;"})
    thread = expert.get(f"/clauses/{world.op.id}/comments").get_json()["threads"][0]
    new_text = "Recommends that all cities and regions publish open data every year;"
    assert thread["anchor"]["state"] == "anchored"
    assert new_text[thread["anchor"]["start"]:thread["anchor"]["end"]] == "open data"
    login(world.observer)
    page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
    assert '<mark class="anchor"' in page and "open data</mark>" in page and "On the marked words" in page


def test_when_the_words_are_gone_the_comment_is_on_an_earlier_version(world, api, login, client):
    expert = api(world.expert)
    expert.post(f"/clauses/{world.op.id}/comments", json={"body": "Which data?", "quote": "open data"})
    expert.post(f"/clauses/{world.op.id}/revisions", json={
        "base_revision_id": world.op.head_revision_id, "text": "Recommends that cities share maps;"})
    thread = expert.get(f"/clauses/{world.op.id}/comments").get_json()["threads"][0]
    assert thread["anchor"]["state"] == "earlier_version" and thread["quote"] == "open data"
    login(world.expert)
    page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
    assert "On an earlier version" in page and "“open data”" in page and '<mark class="anchor"' not in page


def test_replies_thread_and_tell_the_author_and_mentions_tell_the_member(world, api):
    first = api(world.expert).post(f"/clauses/{world.op.id}/comments",
                                   json={"body": "What do you think, @Expert Two?"}).get_json()
    reply = api(world.expert2).post(f"/clauses/{world.op.id}/comments",
                                    json={"body": "Fine by me.", "parent_id": first["id"]}).get_json()
    # A reply to a reply answers the thread.
    api(world.chair).post(f"/clauses/{world.op.id}/comments", json={"body": "Noted.", "parent_id": reply["id"]})
    threads = api(world.expert).get(f"/clauses/{world.op.id}/comments").get_json()["threads"]
    assert len(threads) == 1 and [r["body"] for r in threads[0]["replies"]] == ["Fine by me.", "Noted."]
    kinds = {(n.user_id, n.kind) for n in db.session.execute(db.select(Notification)).scalars()}
    assert kinds == {(world.expert2.id, "mention"), (world.expert.id, "reply")}


def test_mentioning_someone_outside_the_meeting_tells_nobody(world, api):
    api(world.expert).post(f"/clauses/{world.op.id}/comments", json={"body": "@Outsider what do you think?"})
    assert db.session.execute(db.select(db.func.count(Notification.id))).scalar_one() == 0


RESOLVE_STATUS = {"anonymous": 401, "outsider": 403, "observer": 403, "expert": 200, "rapporteur": 200,
                  "chair": 200, "admin": 200, "other_chair": 403}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_resolving(world, api, role):
    # The comment's author here is expert2, so "expert" is someone else's comment: refused.
    comment = api(world.expert2).post(f"/clauses/{world.op.id}/comments", json={"body": "Hm"}).get_json()
    response = api(world.users[role]).post(f"/comments/{comment['id']}/resolve")
    expected = 403 if role == "expert" else RESOLVE_STATUS[role]
    assert response.status_code == expected
    if expected == 200:
        assert response.get_json()["resolved"] is True


def test_the_author_resolves_and_reopens(world, api, login, client):
    comment = api(world.expert).post(f"/clauses/{world.op.id}/comments", json={"body": "Hm"}).get_json()
    assert api(world.expert).post(f"/comments/{comment['id']}/resolve").get_json()["resolved"] is True
    login(world.expert)
    assert client.post(f"/comments/{comment['id']}/resolve", data={"resolved": "0"}).status_code == 302
    assert api(world.expert).get(f"/clauses/{world.op.id}/comments").get_json()["threads"][0]["resolved"] is False


def test_edit_and_delete_only_ones_own_and_deleting_keeps_an_audit_record(world, api, login, client):
    comment = api(world.expert).post(f"/clauses/{world.op.id}/comments", json={"body": "First words"}).get_json()
    assert api(world.expert2).put(f"/comments/{comment['id']}", json={"body": "Hijack"}).status_code == 403
    assert api(world.chair).delete(f"/comments/{comment['id']}").status_code == 403
    edited = api(world.expert).put(f"/comments/{comment['id']}", json={"body": "Better words"})
    assert edited.status_code == 200 and edited.get_json()["edited_at"]
    assert api(world.expert).put(f"/comments/{comment['id']}", json={"body": ""}).status_code == 422
    assert api(world.expert).delete(f"/comments/{comment['id']}").status_code == 204
    thread = api(world.expert).get(f"/clauses/{world.op.id}/comments").get_json()["threads"][0]
    assert thread["deleted"] is True and thread["body"] == ""
    event = db.session.execute(db.select(Event).filter_by(type="comment.deleted")).scalar_one()
    assert event.payload["body"] == "Better words" and event.actor_id == world.expert.id
    assert api(world.expert).delete(f"/comments/{comment['id']}").status_code == 409
    assert api(world.expert).delete("/comments/99999").status_code == 404
    login(world.expert2)
    assert "This comment was deleted." in client.get(f"/clauses/{world.op.id}").get_data(as_text=True)


def test_the_form_reshows_a_bad_comment_with_the_message(world, login, client):
    login(world.expert)
    response = client.post(f"/clauses/{world.op.id}/comments", data={"body": "Look", "quote": "not there"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "not in the current text" in page and 'value="not there"' in page


def test_comments_close_when_the_document_is_adopted(world, api, advance):
    advance(world.document, world.chair, "adopted")
    commit()
    response = api(world.expert).post(f"/clauses/{world.op.id}/comments", json={"body": "Late"})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "wrong_phase"
