"""Deliberation closes when the silence procedure starts: after that only objections, and after adoption
only reservations (issue 6). Found by the authorization matrix: these actions used to go through."""
import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Amendment, AmendmentVote, Clause, Comment, Declaration
from drafting.services import amendments, comments


@pytest.fixture
def threads_and_amendments(world, advance):
    """A comment and an open amendment by the expert, made while the text was deliberated."""
    advance(world.document, world.chair, "amendments")
    comment = comments.post(world.expert, world.op, "Which data?")
    amendment = amendments.propose(world.expert, world.op, world.op.head_revision_id,
                                   "Recommends that cities publish open data every year;", "Say how often.")
    commit()
    return comment.id, amendment.id


def _attempts(world, comment_id, amendment_id):
    """(who, method, path, body) for everything but objections and reservations."""
    return [
        ("expert", "post", f"/clauses/{world.op.id}/comments", {"body": "One more thought"}),
        ("expert", "put", f"/comments/{comment_id}", {"body": "Which open data?"}),
        ("expert", "delete", f"/comments/{comment_id}", None),
        ("chair", "post", f"/comments/{comment_id}/resolve", None),
        ("expert2", "put", f"/amendments/{amendment_id}/vote", {"position": "agree"}),
        ("expert", "post", f"/amendments/{amendment_id}/withdraw", None),
        ("chair", "post", f"/clauses/{world.op.id}/declare", {"status": "agreed"}),
    ]


def _state(world):
    db.session.expire_all()
    return ([(c.body, c.deleted_at, c.resolved_at) for c in db.session.execute(db.select(Comment)).scalars()],
            [a.status for a in db.session.execute(db.select(Amendment)).scalars()],
            db.session.execute(db.select(db.func.count(AmendmentVote.id))).scalar_one(),
            db.session.execute(db.select(db.func.count(Declaration.id))).scalar_one(),
            db.session.get(Clause, world.op.id).status)


@pytest.mark.parametrize("phase", ["final_reading", "adopted", "published"])
def test_comments_amendment_votes_withdrawals_and_declarations_close_with_the_silence_procedure(
        world, api, advance, threads_and_amendments, phase):
    advance(world.document, world.chair, phase)
    before = _state(world)
    users = dict(world.users, expert2=world.expert2)
    for who, method, path, body in _attempts(world, *threads_and_amendments):
        response = getattr(api(users[who]), method)(path, **({"json": body} if body is not None else {}))
        assert response.status_code == 409, (phase, method, path, response.get_json())
        error = response.get_json()["error"]
        assert error["code"] == "wrong_phase"
        assert ("object in writing" if phase == "final_reading" else "only reservations") in error["message"]
    assert _state(world) == before


def test_they_are_open_while_the_text_is_consolidated(world, api, advance, threads_and_amendments):
    advance(world.document, world.chair, "consolidation")
    users = dict(world.users, expert2=world.expert2)
    for who, method, path, body in _attempts(world, *threads_and_amendments):
        response = getattr(api(users[who]), method)(path, **({"json": body} if body is not None else {}))
        assert response.status_code in (200, 201, 204), (method, path, response.get_json())


def test_the_clause_page_offers_none_of_them_once_adopted(world, login, client, advance, threads_and_amendments):
    advance(world.document, world.chair, "adopted")
    for user in (world.expert, world.chair):
        login(user)
        page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
        for form in ("Resolve thread", "Withdraw my amendment", "Declare, recording the tally", "Edit or delete"):
            assert form not in page, (user.name, form)
