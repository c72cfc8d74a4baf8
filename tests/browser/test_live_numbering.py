"""Paragraph numbers and order follow insertions, moves, splits, merges and withdrawals on open pages."""
import re

import pytest

from drafting.boundary import commit
from tests.servers import writing
from drafting.services import documents, versions

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect

NAVIGATIONS = "performance.getEntriesByType('navigation').length"


@pytest.fixture
def consolidating(world, make_clause, advance):
    """Three operative paragraphs after a Zero draft, the document in consolidation."""
    world.op2 = make_clause(world.document, world.expert, "Encourages open standards;")
    world.op3 = make_clause(world.document, world.expert2, "Invites cities to share what works.")
    versions.snapshot(world.rapporteur, world.document, "Zero draft")
    commit()
    advance(world.document, world.chair, "consolidation")
    return world


def test_rapporteurs_changes_renumber_other_readers_pages_in_place(consolidating, person, author):
    w = consolidating
    section = f"#s-{w.document.sections[-1].id} li.clause"
    reader = person(w.expert2)
    page = reader.go(f"/documents/{w.document.id}", live=True)
    watcher = person(w.expert)
    clause_page = watcher.go(f"/clauses/{w.op3.id}", live=True)
    rapporteur = person(w.rapporteur)
    mine = rapporteur.go(f"/documents/{w.document.id}", live=True)
    texts, numbers = page.locator(f"{section} [data-role=text]"), page.locator(f"{section} .clause__num")
    expect(numbers).to_have_text(["1.", "2.", "3."])

    # the rapporteur moves paragraph 3 up, with the button in their own browser
    mine.get_by_role("button", name="Move paragraph 3 up").click()
    expect(texts).to_have_text(["Recommends that cities publish open data;", "Invites cities to share what works.",
                                "Encourages open standards;"])
    expect(numbers).to_have_text(["1.", "2.", "3."])
    expect(page.locator(f"#clause-{w.op3.id} .clause__num")).to_have_class(re.compile("renumbered"))
    expect(page.locator(f"#clause-{w.op.id} .clause__num")).not_to_have_class(re.compile("renumbered"))
    expect(page.get_by_role("link", name="Open paragraph 2")).to_have_attribute("href", f"/clauses/{w.op3.id}")
    expect(page.locator("#live-region")).to_have_text("Rapporteur moved paragraph 3. 2 paragraphs renumbered.")
    expect(clause_page.locator("h1")).to_have_text("Operative paragraph 2")
    expect(clause_page.locator("h1")).to_have_class(re.compile("renumbered"))
    assert clause_page.title().startswith("Paragraph 2 · ")
    reader.shoot("live-renumbered-move")

    # a split after the Zero draft inserts "1 bis"; the chair's renumbering makes it 2
    writer = author(reader.server, w.rapporteur)
    split = writer.http.post(f"{writer.url}/clauses/{w.op.id}/split", json={
        "base_revision_id": w.op.head_revision_id, "before": "publish"}).json()
    expect(texts).to_have_text(["Recommends that cities", "publish open data;", "Invites cities to share what works.",
                                "Encourages open standards;"])
    expect(numbers).to_have_text(["1.", "1 bis.", "2.", "3."])
    chair = author(reader.server, w.chair)
    chair.http.post(f"{chair.url}/documents/{w.document.id}/renumber").raise_for_status()
    expect(numbers).to_have_text(["1.", "2.", "3.", "4."])
    expect(page.locator(f"#clause-{split['new_clause']['id']} .clause__num")).to_have_class(re.compile("renumbered"))
    expect(page.locator("#live-region")).to_have_text("The Chair renumbered the document. 3 paragraphs renumbered.")
    expect(clause_page.locator("h1")).to_have_text("Operative paragraph 3")

    # a merge: the merged paragraph takes the first one's place, the two it replaces lose their numbers
    merged = writer.http.post(f"{writer.url}/documents/{w.document.id}/merge", json={
        "clause_ids": [w.op.id, split["new_clause"]["id"]]}).json()
    expect(page.locator(f"#clause-{merged['id']} .clause__num")).to_have_text("1.")
    expect(page.locator(f"#clause-{w.op.id} .badge--merged")).to_be_visible()
    expect(page.locator(f"#clause-{split['new_clause']['id']} .badge--merged")).to_be_visible()
    expect(numbers).to_have_text(["1.", "", "", "2.", "3."])
    expect(page.locator(f"#clause-{w.op3.id} .clause__num")).to_have_text("2.")

    # an alternative, then the choice of it: the original is withdrawn and the alternative numbered
    alternative = writer.http.post(f"{writer.url}/clauses/{w.op3.id}/alternatives",
                                   json={"text": "Invites cities to share what works and what does not."}).json()
    expect(page.locator(f"#clause-{alternative['id']} .alt-label")).to_have_text("Alt 2")
    expect(page.locator(f"#clause-{w.op3.id} .alt-label")).to_have_text("Alt 1")
    expect(page.locator(f"#clause-{alternative['id']} .clause__num")).to_have_text("2.")
    writer.http.post(f"{writer.url}/clauses/{alternative['id']}/choose").raise_for_status()
    expect(page.locator(f"#clause-{w.op3.id} .badge--withdrawn")).to_be_visible()
    expect(page.locator(f"#clause-{alternative['id']} .alt-label")).to_have_count(0)
    expect(numbers).to_have_text(["1.", "", "", "2.", "", "3."])  # the chosen one takes the place of Alt 1
    expect(page.locator(f"#clause-{w.op2.id} .clause__num")).to_have_text("3.")

    assert page.evaluate(NAVIGATIONS) == 1 and clause_page.evaluate(NAVIGATIONS) == 1  # never reloaded
    assert reader.axe() == []
    reader.shoot("live-renumbered")
    assert reader.errors == watcher.errors == rapporteur.errors == []


def test_a_clause_added_in_the_middle_renumbers_the_paragraphs_after_it(world, make_clause, person):
    with writing():  # the server is running
        annex = documents.add_section(world.chair, world.document, "Annex: indicators")
        commit()
        indicator = make_clause(world.document, world.expert, "Recommends an indicator on open data;",
                                section=annex)
    reader, writer = person(world.expert2), person(world.expert)
    page = reader.go(f"/documents/{world.document.id}", live=True)
    expect(page.locator(f"#clause-{indicator.id} .clause__num")).to_have_text("2.")

    form = writer.go(f"/documents/{world.document.id}/clauses/new?section_id={world.document.sections[1].id}")
    form.get_by_label("Operative paragraph").check()
    form.get_by_label("Text", exact=True).fill("Urges cities to publish budgets;")
    form.get_by_role("button", name="Add clause").click()

    added = page.locator(f"#s-{world.document.sections[1].id} li.clause", has_text="Urges cities to publish budgets;")
    expect(added.locator(".clause__num")).to_have_text("2.")
    expect(page.locator(f"#clause-{indicator.id} .clause__num")).to_have_text("3.")
    expect(page.locator(f"#clause-{indicator.id} .clause__num")).to_have_class(re.compile("renumbered"))
    expect(page.locator(f"#clause-{indicator.id}").get_by_role("link", name="Open paragraph 3")).to_be_visible()
    assert page.evaluate(NAVIGATIONS) == 1
    assert reader.errors == writer.errors == []
