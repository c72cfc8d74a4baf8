"""Keyboard only: sign in, edit a clause, vote and comment with Tab, Enter, Space and arrows; focus is visible."""
import pytest

from tests.conftest import PASSWORD

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect

FOCUSED = """() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    return {id: e.id, tag: e.tagName.toLowerCase(), text: (e.innerText || e.value || "").trim().slice(0, 60),
            visible: style.outlineStyle !== "none" || style.boxShadow !== "none" || e === document.getElementById("main")};
}"""


def tab_to(page, selector, limit=80, backwards=False):
    """Press Tab (or Shift+Tab) until `selector` has focus; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["visible"], f"no visible focus on {focused}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return focused
    raise AssertionError(f"{selector} not reached in {limit} presses of Tab")


def focused_matches(page, selector):
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def test_edit_vote_and_comment_with_the_keyboard_alone(world, person):
    expert = person()
    page = expert.go("/login")
    assert focused_matches(page, "#email")  # the form is ready to type into
    page.keyboard.type(world.expert.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Expert One")).to_be_visible()

    # the skip link comes first and leads into the content
    page = expert.go(f"/documents/{world.document.id}", live=True)
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Skip to content"
    page.keyboard.press("Enter")
    assert focused_matches(page, "main#main")

    # edit in place: Enter opens the editor with the text box focused; saving returns focus to the clause
    tab_to(page, f"#clause-{world.op.id} [data-edit-inline]")
    page.keyboard.press("Enter")
    expect(page.locator(f"[data-editor-for=inline-text-{world.op.id}]")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Recommends that cities publish open data every year;")
    page.keyboard.press("Tab")
    assert focused_matches(page, f"#inline-rationale-{world.op.id}")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Save revision"
    page.keyboard.press("Enter")
    expect(page.locator(f"#clause-{world.op.id} [data-role=text]")).to_have_text(
        "Recommends that cities publish open data every year;")
    expect(page.locator(f"#clause-{world.op.id} [data-edit-inline]")).to_be_focused()

    # to the clause's own page, and vote: arrows move between positions, Space chooses
    tab_to(page, f"#clause-{world.op.id} .clause__link", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Operative paragraph 1")
    tab_to(page, "#vote input[type=radio]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "disagree"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused_matches(page, "#vote-reason")
    page.keyboard.type("Quarterly would serve cities better.")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Vote"
    page.keyboard.press("Enter")
    expect(page.locator("#vote .tally__words")).to_have_text("0 agree · 0 abstain · 1 disagree · 0 block · 1 of 4 voted")
    # back on the page at the vote: the next Tab continues inside it
    page.wait_for_load_state()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#vote') !== null")

    # comment on words of the text, typed into the quote field
    tab_to(page, "#comment-quote", backwards=True)
    page.keyboard.type("every year")
    page.keyboard.press("Tab")
    assert focused_matches(page, "#comment-body")
    page.keyboard.type("Why yearly?")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Post comment"
    page.keyboard.press("Enter")
    thread = page.locator("#comments .thread").first
    expect(thread).to_contain_text("Why yearly?")
    expect(page.locator(".clause-current mark.anchor")).to_have_text("every year")
    expert.shoot("keyboard-commented")
    assert expert.errors == []
