"""With JavaScript off, the core actions still work: sign in, edit a clause, resolve a conflict, comment, vote."""
import re

import pytest

from tests.conftest import PASSWORD

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect


def test_sign_in_edit_comment_and_vote_without_javascript(world, person):
    expert = person(javascript=False)
    page = expert.go("/login")
    page.get_by_label("Email").fill(world.expert.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Expert One")).to_be_visible()

    page.get_by_role("link", name="Expert group meeting").click()
    page.get_by_role("link", name="Outcome document").first.click()
    page.get_by_role("link", name=re.compile("^Open paragraph 1")).click()
    expect(page.locator("[data-live-status]")).to_have_count(0)  # nothing scripted on this page

    page.get_by_label("Clause text").fill("Recommends that cities publish open data every year;")
    page.get_by_label(re.compile("^Rationale")).fill("A rhythm people can rely on.")
    page.get_by_role("button", name="Save revision").click()
    expect(page.locator(f"#clause-{world.op.id} [data-role=text]")).to_have_text(
        "Recommends that cities publish open data every year;")
    expect(page.locator(f"#clause-{world.op.id}")).to_contain_text("rev. 2")

    page.goto(f"{expert.server.url}/clauses/{world.op.id}")
    page.get_by_label(re.compile("^Words you comment on")).fill("every year")
    page.get_by_role("textbox", name=re.compile("^Comment \\(")).fill("Why yearly and not quarterly?")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments .thread").first).to_contain_text("On the marked words [1]")
    expect(page.locator(".clause-current mark.anchor")).to_have_text("every year")

    page.get_by_role("radio", name=re.compile("^Disagree —")).check()
    page.get_by_label(re.compile("^Reason")).fill("Quarterly would be better.")
    page.locator("#vote").get_by_role("button", name="Vote").click()
    expect(page.locator("#vote .tally__words")).to_have_text("0 agree · 0 abstain · 1 disagree · 0 block · 1 of 4 voted")
    expect(page.locator("#vote")).to_contain_text("Expert One: disagree")
    expert.shoot("no-javascript-clause")
    assert expert.errors == []


def test_a_stale_edit_without_javascript_is_merged_or_shows_both_texts(world, person, author):
    expert = person(world.expert2, javascript=False)
    writer = author(expert.server, world.expert)

    # edits that do not overlap are merged by the server
    page = expert.go(f"/clauses/{world.op.id}")
    page.get_by_label("Clause text").fill("Recommends that cities publish open data promptly;")
    writer.revise(world.op.id, "Recommends that all cities publish open data;")
    page.get_by_role("button", name="Save revision").click()
    expect(page.locator(f"#clause-{world.op.id} [data-role=text]")).to_have_text(
        "Recommends that all cities publish open data promptly;")

    # edits of the same words: both texts are shown, nothing is lost, the person decides
    page = expert.go(f"/clauses/{world.op.id}")
    page.get_by_label("Clause text").fill("Recommends that all cities publish open data quickly;")
    writer.revise(world.op.id, "Recommends that all cities publish open data monthly;")
    page.get_by_role("button", name="Save revision").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("Someone saved this clause while you were editing")
    expect(conflict).to_contain_text("Theirs: revision 4 by Expert One (now current)")
    expect(conflict.locator("ins", has_text="quickly")).to_contain_text("[inserted: quickly")
    result = page.get_by_label(re.compile("^Proposed result"))
    expect(result).to_have_value(re.compile(r"monthly.*quickly|quickly.*monthly"))
    expert.shoot("no-javascript-conflict")
    result.fill("Recommends that all cities publish open data monthly and quickly;")
    page.get_by_role("button", name="Save the result above").click()
    expect(page.locator(f"#clause-{world.op.id} [data-role=text]")).to_have_text(
        "Recommends that all cities publish open data monthly and quickly;")
    assert expert.errors == []
