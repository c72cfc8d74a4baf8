"""A comment anchored on words selected with the mouse stays on those words as the text changes around them."""
import pytest

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect


def select_words(page, container, words, occurrence=1):
    """Drag the mouse across the n-th `words` inside `container`, as a person selects them."""
    box = page.evaluate("""([selector, words, occurrence]) => {
        const root = document.querySelector(selector);
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let seen = 0;
        while (walker.nextNode()) {
            let at = -1;
            do { at = walker.currentNode.textContent.indexOf(words, at + 1); } while (at >= 0 && ++seen < occurrence);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(walker.currentNode, at);
            range.setEnd(walker.currentNode, at + words.length);
            const r = range.getBoundingClientRect();
            return {left: r.left, right: r.right, y: r.top + r.height / 2};
        }
        return null;
    }""", [container, words, occurrence])
    assert box, f"{words!r} is not in {container}"
    page.mouse.move(box["left"] + 1, box["y"])
    page.mouse.down()
    page.mouse.move(box["right"] - 1, box["y"], steps=5)
    page.mouse.up()


def test_a_comment_on_selected_words_stays_on_them_after_another_expert_edits_around_them(world, person):
    commenter, editor = person(world.expert), person(world.expert2)
    page = commenter.go(f"/clauses/{world.op.id}", live=True)
    text = ".clause-current [data-role=text]"

    select_words(page, text, "open data")
    quote_button = page.get_by_role("button", name="Comment on “open data”")
    quote_button.click()
    expect(page.locator("#comment-quote")).to_have_value("open data")
    expect(page.locator("#comment-body")).to_be_focused()
    page.keyboard.type("Which datasets count as open data?")
    page.get_by_role("button", name="Post comment").click()

    thread = page.locator("#comments .thread").first
    expect(thread).to_contain_text("On the marked words [1]")
    expect(thread).to_contain_text("Which datasets count as open data?")
    expect(page.locator(f"{text} mark.anchor")).to_have_text("open data")
    page.wait_for_selector("[data-live-status=live]")

    # another expert edits before and after the quoted words
    editor.go(f"/clauses/{world.op.id}")
    editor.page.fill("[data-editor-for=text]", "Recommends that all cities publish their open data every year;")
    editor.page.get_by_role("button", name="Save revision").click()

    # the commenter's open page shows the new text with the same words still marked, live
    expect(page.locator(text)).to_contain_text("all cities publish their open data", timeout=3000)
    expect(page.locator(f"{text} mark.anchor")).to_have_text("open data")
    page.reload()
    expect(page.locator(f"{text} mark.anchor")).to_have_text("open data")
    expect(page.locator("#comments .thread").first).to_contain_text("On the marked words [1]")
    commenter.shoot("comment-anchored")
    assert commenter.axe() == []
    assert commenter.errors == editor.errors == []


def test_the_occurrence_selected_with_the_mouse_is_the_one_marked(world, person):
    from drafting.boundary import commit
    from drafting.services import clauses
    from tests.servers import writing

    with writing():
        clauses.save_edit(world.expert, world.op, world.op.head_revision_id,
                          "Recommends that cities publish data, and that data be open;")
        commit()
    commenter = person(world.expert)
    page = commenter.go(f"/clauses/{world.op.id}")
    select_words(page, ".clause-current [data-role=text]", "data", occurrence=2)
    page.get_by_role("button", name="Comment on “data”").click()
    page.keyboard.type("Which data?")
    page.get_by_role("button", name="Post comment").click()
    marked = page.locator(".clause-current [data-role=text]")
    expect(marked.locator("mark.anchor")).to_have_text("data")
    # the second "data" (in "that data be open") is marked, not the first
    assert marked.locator("p").evaluate("p => p.innerHTML.indexOf('<mark') > p.innerHTML.indexOf('publish data,')")
    assert commenter.errors == []
