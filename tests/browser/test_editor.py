"""The clause editor: track changes while one types, the same words the server marks, shortcuts, keys."""
import pytest

from drafting.domain.diffing import raw_diff

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect

PAIRS = [
    ("Recommends that cities publish open data;", "Recommends that all cities publish their open data promptly;"),
    ("Recognizing the role of cities,", "Recognizing the essential role of local governments (SDG 11.3),"),
    ("Urges Member States to act; (a) now; (b) later;", "Urges States to act: (a) soon; (c) later, annually;"),
    ("Calls upon naïve café owners—and «others»", "Calls upon café owners — and others"),
    ("", "A new text."),
    ("An old text.", ""),
]


def test_the_editor_marks_the_same_words_as_the_server(world, person):
    expert = person(world.expert)
    page = expert.go(f"/clauses/{world.op.id}")
    page.locator("[data-editor-for=text]").wait_for()
    module = page.evaluate_handle("import('/static/build/text-editor.js')")
    for before, after in PAIRS:
        assert module.evaluate("(m, [a, b]) => m.wordDiff(a, b)", [before, after]) == [list(d) for d in raw_diff(before, after)]
    assert expert.errors == []


def test_typing_shows_track_changes_and_the_shortcuts_add_sub_paragraphs_and_footnotes(world, person):
    expert = person(world.expert)
    page = expert.go(f"/clauses/{world.op.id}", live=True)
    editor = page.get_by_role("textbox", name="Clause text")
    editor.click()
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.type(" every year")
    expect(editor.locator("ins.tc-ins")).to_have_text(" every year")
    # deleting a word shows it struck through, read out as deleted
    page.keyboard.press("ControlOrMeta+Home")
    for _ in range(len("Recommends ")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Delete")
    expect(editor.locator("del.tc-del")).to_have_attribute("aria-label", "deleted: Recommends ")
    page.keyboard.type("Urges ")
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.press("Alt+Shift+A")
    page.keyboard.type("in their budgets;")
    page.keyboard.press("Alt+Shift+A")
    page.keyboard.type("in their plans;")
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.press("Alt+Shift+F")
    page.keyboard.type("See the U4SSC report.")
    assert page.locator("#text").input_value() == (
        "Urges that cities publish open data every year;\n\n(a) in their budgets;\n\n(b) in their plans;[^1]"
        "\n\n[^1]: See the U4SSC report.")
    expect(page.locator(".text-editor__help")).to_contain_text("Alt+Shift+A new lettered sub-paragraph")
    assert editor.get_attribute("aria-describedby").endswith("text-keys")
    # Tab leaves the editor for the next field: the editor is no keyboard trap
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "rationale"
    expert.shoot("editor-track-changes")
    assert expert.axe() == []
    page.get_by_role("button", name="Save revision").click()
    expect(page.locator(f"#clause-{world.op.id} [data-role=text]")).to_contain_text("Urges that cities publish")
    assert expert.errors == []


def test_another_experts_cursor_shows_in_the_clause_being_edited(world, person):
    a, b = person(world.expert), person(world.expert2)
    b.go(f"/clauses/{world.op.id}", live=True)
    a.go(f"/clauses/{world.op.id}", live=True)
    b.page.get_by_role("textbox", name="Clause text").click()
    a.page.get_by_role("textbox", name="Clause text").click()
    a.page.keyboard.press("ControlOrMeta+Home")
    for _ in range(3):
        a.page.keyboard.press("Shift+ArrowRight")
    caret = b.page.locator(".cm-content .remote-caret[data-initials=EO]")
    expect(caret).to_have_count(1, timeout=4000)
    expect(b.page.locator(".cm-content .remote-selection")).to_have_text("Rec")
    assert caret.get_attribute("aria-hidden") == "true"  # the names are in "Also editing now"
    expect(b.page.locator("[data-editing-now]")).to_contain_text("Expert One")
    assert a.errors == b.errors == []
