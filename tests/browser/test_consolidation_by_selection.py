"""Consolidation by selection on the document page, at desktop and phone width: select words and bracket
them, split there, reorder by keyboard and by drag and drop, merge chosen paragraphs, write a compromise
— each previewed as track changes, applied without a page reload."""
import re

import pytest

from drafting.boundary import commit
from drafting.services import amendments, documents, procedure
from tests.browser.test_layout import PROBLEMS
from tests.servers import writing

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect

WIDTHS = [1280, 390]
SECOND = "Encourages regions to share data and to train their staff;"
THIRD = "Calls upon cities to report every year;"

SELECT = """([element, words]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const at = walker.currentNode.textContent.indexOf(words);
    if (at === -1) continue;
    const range = document.createRange();
    range.setStart(walker.currentNode, at);
    range.setEnd(walker.currentNode, at + words.length);
    document.getSelection().removeAllRanges();
    document.getSelection().addRange(range);
    return true;
  }
  return false;
}"""


@pytest.fixture
def consolidating(world):
    with writing():
        section = world.op.section
        world.second = documents.add_clause(world.chair, world.document, section.id, "OP", "recommendation", SECOND, [])
        world.third = documents.add_clause(world.chair, world.document, section.id, "OP", "recommendation", THIRD, [])
        procedure.set_phase(world.chair, world.document, "amendments")
        world.amendment = amendments.propose(world.expert, world.op, world.op.head_revision_id,
                                             "Recommends that cities publish open data yearly;", "Say how often.")
        procedure.set_phase(world.chair, world.document, "consolidation")
        commit()
    return world


def select(page, clause, words):
    """Select the words in the paragraph's text, as a person does with the mouse."""
    found = page.locator(f"#clause-{clause.id} [data-role=text]").evaluate(f"(element, words) => ({SELECT})([element, words])", words)
    assert found, words


def order(page):
    """The ids of the paragraphs on the page that are neither merged nor withdrawn, in page order."""
    return page.evaluate(
        "() => [...document.querySelectorAll('ol.clauses > li.clause:not(.clause--merged):not(.clause--withdrawn)')]"
        ".map((li) => Number(li.dataset.clauseId))")


def drag(page, handle, target):
    """Drag the handle onto the top edge of the target, with the mouse, both in view."""
    target.evaluate("(element) => element.scrollIntoView({block: 'start'})")
    handle.hover()
    page.mouse.down()
    box = target.bounding_box()
    page.mouse.move(box["x"] + 60, box["y"] + 6, steps=8)
    page.mouse.move(box["x"] + 62, box["y"] + 5, steps=2)
    page.mouse.up()


@pytest.mark.parametrize("width", WIDTHS)
def test_bracket_split_reorder_and_merge_by_selection(consolidating, person, width):
    w = consolidating
    rapporteur = person(w.rapporteur, width=width)
    page = rapporteur.go(f"/documents/{w.document.id}", live=True)
    live = page.locator("#live-region")

    # select words, bracket them: the preview marks the brackets as insertions, then applies
    select(page, w.op, "open data")
    tools = page.get_by_role("toolbar", name="Consolidate the selected words")
    expect(tools).to_contain_text("“open data”")
    tools.get_by_role("button", name="Bracket").click()
    preview = page.locator(f"#clause-{w.op.id} .consolidate-preview")
    expect(preview.locator("ins")).to_have_count(2)
    expect(preview.locator(".track")).to_have_text("Recommends that cities publish [inserted: []open data[inserted: ]];")
    rapporteur.shoot(f"selection-bracket-preview-{width}")
    assert page.evaluate(PROBLEMS) == []
    preview.get_by_role("button", name="Bracket").click()
    expect(page.locator(f"#clause-{w.op.id} [data-role=text]")).to_have_text("Recommends that cities publish [open data];")
    expect(live).to_contain_text("Bracketed “open data” in paragraph 1.")
    expect(preview).to_have_count(0)

    # split here: both paragraphs previewed, then a new paragraph after it
    select(page, w.second, "and to train")
    tools.get_by_role("button", name="Split here").click()
    preview = page.locator(f"#clause-{w.second.id} .consolidate-preview")
    expect(preview).to_contain_text("A new paragraph after it")
    expect(preview.locator("del")).to_contain_text("and to train their staff;")
    rapporteur.shoot(f"selection-split-preview-{width}")
    preview.get_by_role("button", name="Split").click()
    expect(page.locator(f"#clause-{w.second.id} [data-role=text]")).to_have_text("Encourages regions to share data")
    new_paragraph = page.locator(f"li.clause:not(#clause-{w.second.id})", has_text="and to train their staff;")
    expect(new_paragraph).to_have_count(1)
    expect(new_paragraph).to_have_attribute("data-number", "3")
    split_id = int(new_paragraph.get_attribute("data-clause-id"))
    assert order(page)[1:] == [w.op.id, w.second.id, split_id, w.third.id]

    # reorder with the keyboard: the up button moves it in place, keeps focus, says where it went
    third = page.locator(f"#clause-{w.third.id}")
    up = third.get_by_role("button", name="Move paragraph 4 up")
    up.focus()
    page.keyboard.press("Enter")
    expect(live).to_contain_text("Moved paragraph 4: it is now paragraph 3.")
    expect(third).to_have_attribute("data-number", "3")
    assert order(page)[1:] == [w.op.id, w.second.id, w.third.id, split_id]
    focused = page.evaluate("() => document.activeElement.closest('li.clause').id")
    assert focused == f"clause-{w.third.id}"

    # reorder by drag and drop: the third paragraph dropped on the top edge of the second
    drag(page, third.locator("[data-drag-handle]"), page.locator(f"#clause-{w.second.id}"))
    expect(third).to_have_attribute("data-number", "2")
    assert order(page)[1:] == [w.op.id, w.third.id, w.second.id, split_id]
    expect(live).to_contain_text("Moved paragraph 3: it is now paragraph 2.")
    rapporteur.shoot(f"selection-reordered-{width}")

    # merge by choosing paragraphs: a preview, then one paragraph in their place
    page.locator(f"#clause-{w.second.id}").get_by_label("Merge paragraph 3").check()
    page.locator(f"#clause-{split_id}").get_by_label("Merge paragraph 4").check()
    bar = page.get_by_role("region", name="Merge paragraphs")
    expect(bar).to_contain_text("2 paragraphs chosen: paragraph 3, paragraph 4.")
    bar.get_by_role("button", name="Merge selected").click()
    preview = page.locator(".merge-preview")
    expect(preview.get_by_label("Merged text")).to_have_value("Encourages regions to share data\n\nand to train their staff;")
    preview.get_by_label("Merged text").fill("Encourages regions to share data and to train their staff;")
    preview.get_by_role("button", name="Update preview").click()
    expect(preview.locator("del")).to_have_count(1)
    rapporteur.shoot(f"selection-merge-preview-{width}")
    assert page.evaluate(PROBLEMS) == []
    preview.get_by_role("button", name="Merge into one paragraph").click()
    expect(live).to_contain_text("Merged paragraph 3, paragraph 4 into one paragraph.")
    merged = page.locator(f"ol.clauses > li.clause:not(#clause-{w.second.id}):not(#clause-{split_id})", has_text=SECOND)
    expect(merged).to_have_count(1)
    expect(merged).to_have_attribute("data-number", "3")
    expect(page.locator(f"#clause-{w.second.id}")).to_have_class(re.compile(r"\bclause--merged\b"))

    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # never reloaded
    assert rapporteur.errors == []
    assert rapporteur.axe() == []


def test_alternative_and_compromise_from_selected_suggestions(consolidating, person, author):
    w = consolidating
    rapporteur = person(w.rapporteur)
    page = rapporteur.go(f"/documents/{w.document.id}", live=True)

    select(page, w.op, "publish")
    tools = page.get_by_role("toolbar", name="Consolidate the selected words")
    tools.get_by_role("button", name="Compromise from selected suggestions").click()
    preview = page.locator(f"#clause-{w.op.id} .consolidate-preview")
    expect(preview.get_by_label("Amendment 1 by Expert One")).to_be_checked()
    text = preview.get_by_label("Compromise text", exact=False)
    expect(text).to_have_value("Recommends that cities publish open data yearly;")
    expect(preview.locator("ins")).to_contain_text("yearly")
    text.fill("Recommends that cities publish open data every year;")
    # someone tags the paragraph meanwhile: the server draws it again, the preview and its text stay
    tagged = author(rapporteur.server, w.chair).http.put(
        f"{rapporteur.server.url}/api/v1/clauses/{w.op.id}/tags", json={"tags": ["11.3", "economy", "11.7"]})
    assert tagged.status_code == 200, tagged.text
    expect(page.locator(f"#clause-{w.op.id} .tags")).to_contain_text("11.7")
    expect(text).to_have_value("Recommends that cities publish open data every year;")
    preview.get_by_role("button", name="Update preview").click()
    expect(preview.locator("ins")).to_contain_text("every year")
    rapporteur.shoot("selection-compromise-preview-1280")
    preview.get_by_role("button", name="Save the compromise").click()
    expect(preview.locator(".form-error")).to_contain_text("Write a rationale")
    preview.get_by_label("Rationale", exact=False).fill("Yearly, in words.")
    preview.get_by_role("button", name="Save the compromise").click()
    expect(page.locator(f"#clause-{w.op.id} [data-role=text]")).to_have_text(
        "Recommends that cities publish open data every year;")
    expect(page.locator(f"#clause-{w.op.id} li.suggestion")).to_have_count(0)

    # make an alternative of some words: Alt 2 follows with them reworded
    select(page, w.third, "every year")
    tools.get_by_role("button", name="Make an alternative").click()
    preview = page.locator(f"#clause-{w.third.id} .consolidate-preview")
    preview.get_by_label("Alternative wording for the selected words").fill("each quarter")
    preview.get_by_role("button", name="Update preview").click()
    expect(preview.locator("ins")).to_have_text("[inserted: each quarter]")
    preview.get_by_role("button", name="Add the alternative").click()
    alternative = page.locator("li.clause", has_text="Calls upon cities to report each quarter;")
    expect(alternative.locator(".alt-label")).to_have_text("Alt 2")
    expect(page.locator(f"#clause-{w.third.id} .alt-label")).to_have_text("Alt 1")
    assert rapporteur.errors == []


def test_an_expert_gets_no_consolidation_tools_and_frozen_text_none(consolidating, person):
    w = consolidating
    expert = person(w.expert)
    page = expert.go(f"/documents/{w.document.id}", live=True)
    select(page, w.op, "open data")
    expect(page.get_by_role("toolbar", name="Consolidate the selected words")).to_have_count(0)
    expect(page.locator("[data-merge-check]")).to_have_count(0)
    expect(page.locator("[data-drag-handle]")).to_have_count(0)
