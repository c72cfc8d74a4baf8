"""The consensus dashboard follows votes, text changes and comments while it is open."""
import re
import time

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect


def test_the_dashboard_changes_in_place_as_experts_vote_edit_and_comment(world, person, author):
    chair = person(world.chair)
    page = chair.go(f"/documents/{world.document.id}/dashboard", live=True)
    fetched = []
    page.on("request", lambda request: "/dashboard/fragment" in request.url and fetched.append(time.monotonic()))
    expect(page.locator(".live-status")).to_contain_text("Live")
    row = page.locator(f"#dashboard-row-{world.op.id}")
    expect(row.locator(".tally__words")).to_have_text("0 agree · 0 abstain · 0 disagree · 0 block · 0 of 4 voted")

    # an expert votes in another browser
    expert = person(world.expert)
    clause = expert.go(f"/clauses/{world.op.id}")
    clause.get_by_role("radio", name=re.compile("^Agree —")).check()
    clause.locator("#vote").get_by_role("button", name="Vote").click()
    expect(row.locator(".tally__words")).to_have_text("1 agree · 0 abstain · 0 disagree · 0 block · 1 of 4 voted")
    expect(row.locator(".badge--state")).to_have_text("Quorum not met")
    expect(row).to_have_class(re.compile("is-updated"))
    expect(page.locator("#live-region")).to_have_text(
        "Consensus dashboard updated: 2 clauses: 1 no votes, 1 quorum not met; 0 need attention.")

    # a burst of votes: the dashboard asks the server at most about once a second
    started, before = time.monotonic(), len(fetched)
    voters = [author(chair.server, user) for user in (world.expert2, world.rapporteur, world.chair)]
    for round_ in range(4):
        for voter in voters:
            position = "block" if voter is voters[1] and round_ == 3 else ("agree", "abstain")[round_ % 2]
            voter.http.put(f"{voter.url}/clauses/{world.op.id}/vote",
                           json={"position": position, "reason": "No privacy safeguard."}).raise_for_status()
    expect(page.locator("#attention")).to_contain_text("Blocked")
    expect(page.locator("#attention .count")).to_have_text("1")
    expect(page.locator(f"#attention a[href='/clauses/{world.op.id}#vote']")).to_have_text("OP 1")
    expect(page.locator("#dashboard-by-state figcaption")).to_contain_text("Blocked 1")
    expect(row.locator(".tally__words")).to_have_text("1 agree · 2 abstain · 0 disagree · 1 block · 4 of 4 voted")
    page.wait_for_timeout(1500)
    burst = fetched[before:]
    assert len(burst) <= (fetched[-1] - started) + 2, burst  # 12 votes, not 12 requests
    assert all(b - a >= 0.9 for a, b in zip(burst, burst[1:])), burst

    # the text changes: the votes on it become stale; a comment opens a thread
    writer = author(chair.server, world.expert2)
    writer.revise(world.op.id, "Recommends that cities publish open data with privacy safeguards;")
    expect(page.locator("#attention")).to_contain_text("Stale votes")
    writer.http.post(f"{writer.url}/clauses/{world.pp.id}/comments", json={"body": "Which role?"}).raise_for_status()
    expect(page.locator("#attention")).to_contain_text("Unresolved comments")
    expect(page.locator(f"#attention a[href='/clauses/{world.pp.id}#comments']")).to_have_text("PP 1")

    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert chair.axe() == []
    chair.shoot("live-dashboard")
    assert chair.errors == expert.errors == []
