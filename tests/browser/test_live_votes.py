"""Votes and comments reach open document pages from the event itself, not by every page asking the server."""
import pytest

from drafting.boundary import commit
from drafting.services import documents

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect

SETTLE_MS = 1500  # longer than the one-second pace of the fetches a page may still make


def fragments_fetched(person):
    fetched = []
    person.page.on("request", lambda request: "/fragment" in request.url and fetched.append(request.url))
    return fetched


def vote(author, server, user, clause, position, reason=""):
    voter = author(server, user)
    response = voter.http.put(f"{voter.url}/clauses/{clause.id}/vote", json={"position": position, "reason": reason})
    assert response.status_code == 200, response.text


def test_votes_and_comments_change_a_readers_rows_without_a_request(world, person, author):
    reader = person(world.observer)
    page = reader.go(f"/documents/{world.document.id}", live=True)
    fetched = fragments_fetched(reader)
    row = page.locator(f"#clause-{world.op.id} .clause__meta")

    vote(author, reader.server, world.expert, world.op, "agree")
    vote(author, reader.server, world.expert2, world.op, "agree")
    expect(row.locator(".badge--state")).to_have_text("Consensus")
    vote(author, reader.server, world.rapporteur, world.op, "block", "A privacy safeguard is missing.")
    expect(row.locator(".badge--state")).to_have_text("Blocked")
    expect(row.locator(".tally-inline")).to_have_text("2 agree · 0 abstain · 0 disagree · 1 block · 3 of 4 voted")
    expect(page.locator("#live-region")).to_have_text("Rapporteur voted on paragraph 1. Consensus state: Blocked.")

    commenter = author(reader.server, world.expert)
    commenter.http.post(f"{commenter.url}/clauses/{world.op.id}/comments", json={"body": "Which safeguard?"}).raise_for_status()
    expect(row.locator(".comment-count")).to_have_text("1 open comment")
    expect(row.locator(".comment-count")).to_have_attribute("href", f"/clauses/{world.op.id}#comments")

    page.wait_for_timeout(SETTLE_MS)
    assert fetched == []
    assert reader.errors == []


@pytest.fixture
def hidden_tallies(world):
    documents.set_rules(world.chair, world.document, 0.5, 0.75, True, True)
    commit()
    return world


def test_hidden_tallies_the_chair_sees_them_counted_others_see_them_hidden(hidden_tallies, person, author):
    w = hidden_tallies
    chair, expert = person(w.chair), person(w.expert2)
    chair_page = chair.go(f"/documents/{w.document.id}", live=True)
    expert_page = expert.go(f"/documents/{w.document.id}", live=True)
    by_chair, by_expert = fragments_fetched(chair), fragments_fetched(expert)
    expect(chair_page.locator(f"#clause-{w.op.id} .tally-inline")).to_have_text(
        "0 agree · 0 abstain · 0 disagree · 0 block · 0 of 4 voted")

    for user, position in [(w.expert, "agree"), (w.rapporteur, "agree"), (w.chair, "disagree")]:
        vote(author, chair.server, user, w.op, position)

    # the event cannot tell the chair what the chair may see: the row is fetched, once or twice, not per vote
    expect(chair_page.locator(f"#clause-{w.op.id} .tally-inline")).to_have_text(
        "2 agree · 0 abstain · 1 disagree · 0 block · 3 of 4 voted")
    expect(chair_page.locator(f"#clause-{w.op.id} .badge--state")).to_have_text("Contested")
    expect(expert_page.locator(f"#clause-{w.op.id} .tally-inline")).to_have_text("Tally hidden until the vote closes")
    expect(expert_page.locator(f"#clause-{w.op.id} .badge--state")).to_have_count(0)
    chair_page.wait_for_timeout(SETTLE_MS)
    assert 1 <= len(by_chair) <= 2, by_chair
    assert by_expert == []
    assert chair.errors == expert.errors == []
