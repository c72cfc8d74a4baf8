"""Two experts at once in two browsers: edits appear in place, typing is never overwritten, votes show live."""
import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect


def test_an_edit_by_one_expert_appears_for_the_other_within_two_seconds(world, person):
    a, b = person(world.expert), person(world.expert2)
    b.go(f"/documents/{world.document.id}", live=True)
    a.go(f"/clauses/{world.op.id}", live=True)

    a.page.fill("[data-editor-for=text]", "Recommends that cities publish open data under an open licence;")
    a.page.get_by_role("button", name="Save revision").click()

    row = b.page.locator(f"#clause-{world.op.id}")
    expect(row.locator("[data-role=text]")).to_contain_text("under an open licence", timeout=2000)
    expect(row.locator("mark.changed", has_text="licence;")).to_be_visible()
    expect(row).to_contain_text("rev. 2")
    expect(b.page.locator("#live-region")).to_contain_text("Expert One changed paragraph 1.")
    assert b.page.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload
    b.shoot("live-edit-arrived")
    assert a.errors == b.errors == []


def test_typing_is_untouched_when_another_expert_saves_and_the_merged_text_can_be_taken(world, person):
    a, b = person(world.expert), person(world.expert2)
    b.go(f"/clauses/{world.op.id}", live=True)
    a.go(f"/documents/{world.document.id}", live=True)

    box = b.page.locator("#text")  # the form's textarea, which the editor keeps up to date
    typing = b.page.locator("[data-editor-for=text]")
    typing.click()
    b.page.keyboard.press("End")
    b.page.keyboard.press("ArrowLeft")
    b.page.keyboard.type(" promptly")
    mine = "Recommends that cities publish open data promptly;"
    assert box.input_value() == mine

    a.page.locator(f"#clause-{world.op.id} [data-edit-inline]").click()
    a.page.fill(f"[data-editor-for=inline-text-{world.op.id}]", "Recommends that all cities publish open data;")
    a.page.get_by_role("button", name="Save revision").click()

    notice = b.page.locator(".edit-notice")
    expect(notice).to_contain_text("Expert One saved revision 2 of this clause while you were editing. Your text is untouched.")
    expect(b.page.locator(".clause-current [data-role=text]")).to_contain_text("all cities")
    assert box.input_value() == mine
    assert b.axe() == []
    b.shoot("edit-notice")

    # from the keyboard: Enter on each button, and focus stays in the notice, then returns to the text
    notice.get_by_role("button", name="Show merged text").focus()
    b.page.keyboard.press("Enter")
    expect(notice.locator(".text-block")).to_have_text("Recommends that all cities publish open data promptly;")
    expect(notice.get_by_role("button", name="Use merged text")).to_be_focused()
    assert box.input_value() == mine  # showing the merge changes nothing yet
    b.page.keyboard.press("Enter")
    expect(box).to_have_value("Recommends that all cities publish open data promptly;")
    expect(typing).to_be_focused()

    b.page.get_by_role("button", name="Save revision").click()
    saved = b.page.locator(f"#clause-{world.op.id}")  # saving leads back to the clause in its document
    expect(saved.locator("[data-role=text]")).to_have_text("Recommends that all cities publish open data promptly;")
    expect(saved).to_contain_text("rev. 3")
    expect(a.page.locator(f"#clause-{world.op.id} [data-role=text]")).to_contain_text("open data promptly;")
    assert a.errors == b.errors == []


def test_an_edit_in_place_on_the_document_page_is_never_overwritten(world, person, author):
    reader = person(world.expert2)
    page = reader.go(f"/documents/{world.document.id}", live=True)
    writer = author(reader.server, world.expert)

    page.locator(f"#clause-{world.op.id} [data-edit-inline]").click()
    box = page.locator(f"#inline-text-{world.op.id}")
    expect(page.locator(f"[data-editor-for=inline-text-{world.op.id}]")).to_be_focused()
    page.fill(f"[data-editor-for=inline-text-{world.op.id}]", "Recommends that cities publish open data promptly;")
    writer.revise(world.op.id, "Recommends that all cities publish open data;")
    notice = page.locator(".edit-notice")
    expect(notice).to_contain_text("Expert One saved revision 2")
    assert box.input_value() == "Recommends that cities publish open data promptly;"
    notice.get_by_role("button", name="Show merged text").click()
    page.locator(".edit-notice .text-block").wait_for()
    expect(page.locator("[data-presence]")).to_contain_text("Expert Two — editing paragraph 1")
    assert box.input_value() == "Recommends that cities publish open data promptly;"
    assert reader.axe() == []  # the scripted parts too: editor, notice, presence panel
    reader.shoot("document-editing-in-place")

    # a new clause arrives in its section
    writer.http.post(f"{writer.url}/documents/{world.document.id}/clauses", json={
        "section_id": world.document.sections[-1].id, "kind": "OP", "category": "guideline",
        "text": "Invites cities to share what works;"}).raise_for_status()
    page.locator("li.clause", has_text="Invites cities to share what works;").wait_for()
    assert reader.errors == []


def test_votes_change_the_tally_and_consensus_state_on_the_chairs_open_pages(world, person):
    chair_document, chair_clause = person(world.chair), person(world.chair)
    chair_document.go(f"/documents/{world.document.id}", live=True)
    chair_clause.go(f"/clauses/{world.op.id}", live=True)
    row = chair_document.page.locator(f"#clause-{world.op.id} .clause__meta")
    panel = chair_clause.page.locator("#vote")
    expect(row).to_contain_text("No votes")

    def vote(user, position, reason=""):
        expert = person(user)
        expert.go(f"/clauses/{world.op.id}")
        expert.page.get_by_role("radio", name=re.compile(f"^{position} —")).check()
        if reason:
            expert.page.fill("#vote-reason", reason)
        expert.page.locator("#vote").get_by_role("button", name="Vote").click()
        expect(expert.page.locator("#vote .tally__words")).to_contain_text("voted")
        assert expert.errors == []

    vote(world.expert, "Agree")
    expect(row.locator(".badge--state")).to_have_text("Quorum not met")
    expect(row).to_contain_text("1 agree · 0 abstain · 0 disagree · 0 block · 1 of 4 voted")
    expect(panel.locator(".badge--state")).to_have_text("Quorum not met")
    expect(panel.locator(".tally__words")).to_have_text("1 agree · 0 abstain · 0 disagree · 0 block · 1 of 4 voted")
    expect(chair_clause.page.locator("#live-region")).to_contain_text("Expert One voted “agree”. Consensus state: Quorum not met.")

    vote(world.expert2, "Agree")
    expect(row.locator(".badge--state")).to_have_text("Consensus")
    expect(panel.locator(".badge--state")).to_have_text("Consensus")
    expect(panel.locator("svg.tally__bar rect[fill='url(#pat-agree)']")).to_have_attribute("width", "50.00%")
    expect(chair_document.page.locator("#live-region")).to_contain_text("Expert Two voted on paragraph 1. Consensus state: Consensus.")

    vote(world.rapporteur, "Block", reason="The data clause needs a privacy safeguard.")
    expect(row.locator(".badge--state")).to_have_text("Blocked")
    expect(panel.locator(".badge--state")).to_have_text("Blocked")
    expect(panel.locator(".tally__words")).to_have_text("2 agree · 0 abstain · 0 disagree · 1 block · 3 of 4 voted")
    assert chair_clause.page.evaluate("performance.getEntriesByType('navigation').length") == 1
    chair_clause.shoot("live-tally")
    assert chair_document.errors == chair_clause.errors == []
