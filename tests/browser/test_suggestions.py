"""Suggestion mode on the document page: suggest in place, others see it live, decide it in place."""
import pytest

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect


def test_suggest_vote_and_accept_without_leaving_the_document_page(world, person):
    expert, rapporteur = person(world.expert), person(world.rapporteur)
    rapporteur_page = rapporteur.go(f"/documents/{world.document.id}", live=True)
    page = expert.go(f"/documents/{world.document.id}", live=True)
    row = page.locator(f"#clause-{world.op.id}")
    row.get_by_role("button", name="Suggest a change").click()
    editor = page.get_by_role("textbox", name="Suggested text")
    expect(editor).to_be_focused()
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.type(" and budgets")
    expect(editor.locator("ins.tc-ins")).to_have_text(" and budgets")
    row.get_by_label("Rationale").fill("Budgets matter too.")
    row.get_by_role("button", name="Propose suggestion").click()
    suggestion = row.locator("li.suggestion")
    expect(suggestion).to_contain_text("by Expert One")
    expect(suggestion.locator("ins")).to_contain_text("and budgets")
    expect(row.locator("[data-role=text]")).to_have_text("Recommends that cities publish open data;")  # unchanged
    expect(page.locator("#live-region")).to_contain_text("Your suggestion is recorded")

    # the rapporteur sees it arrive, and accepts it in place; the text credits its author
    theirs = rapporteur_page.locator(f"#clause-{world.op.id} li.suggestion")
    expect(theirs).to_contain_text("and budgets", timeout=3000)
    theirs.get_by_role("button", name="Agree with Amendment 1", exact=True).click()
    expect(rapporteur_page.locator(f"#clause-{world.op.id} li.suggestion")).to_contain_text("yours: agree")
    rapporteur_page.locator(f"#clause-{world.op.id} li.suggestion").get_by_role("button", name="Accept").click()
    expect(rapporteur_page.locator(f"#clause-{world.op.id} [data-role=text]")).to_have_text(
        "Recommends that cities publish open data and budgets;")
    expect(row.locator("[data-role=text]")).to_have_text("Recommends that cities publish open data and budgets;")
    expect(row.locator("li.suggestion")).to_have_count(0)
    assert rapporteur_page.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload
    assert expert.axe() == []
    assert expert.errors == rapporteur.errors == []


def test_a_vote_from_the_document_page_and_confirming_it_after_the_text_changed(world, person, author):
    expert = person(world.expert2)
    page = expert.go(f"/documents/{world.document.id}", live=True)
    row = page.locator(f"#clause-{world.op.id}")
    row.locator(".para-vote").get_by_role("button", name="Agree", exact=True).click()
    expect(row.locator(".para-vote")).to_contain_text("Your vote: agree")
    author(expert.server, world.expert).revise(world.op.id, "Recommends that all cities publish open data;")
    expect(row.locator("[data-role=text]")).to_contain_text("all cities")
    page.reload()
    row.get_by_role("button", name="Confirm “agree” for the current text").click()
    expect(row.locator(".para-vote")).not_to_contain_text("on an earlier text")
    assert expert.errors == []


def test_comment_on_selected_words_from_the_document_page(world, person):
    expert = person(world.expert2)
    page = expert.go(f"/documents/{world.document.id}", live=True)
    text = page.locator(f"#clause-{world.op.id} [data-role=text]")
    text.evaluate("""(element) => {
      const node = element.querySelector("p").firstChild;
      const range = document.createRange();
      range.setStart(node, node.textContent.indexOf("open data"));
      range.setEnd(node, node.textContent.indexOf("open data") + "open data".length);
      document.getSelection().removeAllRanges();
      document.getSelection().addRange(range);
    }""")
    page.get_by_role("button", name="Comment on “open data”").click()
    page.get_by_label("Your comment on “open data”").fill("Which licence?")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(f"#clause-{world.op.id} .comment-count")).to_have_text("1 open comment")
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert expert.errors == []


def test_without_javascript_the_votes_under_a_paragraph_post_and_return_to_it(world, person):
    expert = person(world.expert2, javascript=False)
    page = expert.go(f"/documents/{world.document.id}")
    page.locator(f"#clause-{world.op.id} .para-vote").get_by_role("button", name="Agree", exact=True).click()
    assert page.url.endswith(f"/documents/{world.document.id}#clause-{world.op.id}")
    expect(page.locator(f"#clause-{world.op.id} .para-vote")).to_contain_text("Your vote: agree")
