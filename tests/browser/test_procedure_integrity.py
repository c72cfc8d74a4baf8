"""The chair's checklist, withdrawal and reopening, at desktop and phone width."""
import pytest

from drafting.boundary import commit
from drafting.services import amendments, declarations, procedure
from tests.servers import writing

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect

WIDTHS = [1280, 390]


@pytest.fixture
def consolidating(world):
    """The document in consolidation with an open amendment and nothing declared yet."""
    with writing():
        procedure.set_phase(world.chair, world.document, "amendments")
        amendments.propose(world.expert, world.op, world.op.head_revision_id,
                           "Recommends that cities publish open data yearly;", "Say how often.")
        procedure.set_phase(world.chair, world.document, "consolidation")
        commit()
    return world


@pytest.mark.parametrize("width", WIDTHS)
def test_the_chairs_checklist_links_each_paragraph_and_empties_as_the_chair_works(consolidating, person, width):
    w = consolidating
    chair = person(w.chair, width=width)
    page = chair.go(f"/documents/{w.document.id}")
    checklist = page.locator("#checklist")
    expect(checklist).to_contain_text("Open amendments")
    expect(checklist).to_contain_text("Never declared")
    expect(page.locator("main")).not_to_contain_text("Start the silence procedure")
    chair.shoot(f"checklist-{width}")
    assert chair.axe() == []
    # A link leads to the paragraph in question.
    checklist.get_by_role("link", name="Paragraph 1: 1 open amendment", exact=False).click()
    assert page.url.endswith(f"#clause-{w.op.id}")
    with writing():
        for amendment in amendments.of_clause(w.op):
            amendments.reject(w.chair, amendment, "Not taken up.")
        declarations.declare(w.chair, w.pp, "agreed")
        declarations.declare(w.chair, w.op, "agreed")
        commit()
    page = chair.go(f"/documents/{w.document.id}/procedure")
    expect(page.locator("#checklist")).to_contain_text("Nothing stands in the way")
    expect(page.get_by_role("button", name="Adopt in session")).to_be_visible()
    page.get_by_role("button", name="Adopt in session").click()
    page = chair.go(f"/documents/{w.document.id}")
    expect(page.locator(".badge--vote-closed")).to_have_count(2)
    expect(page.locator(".clause .badge--proposed")).to_have_count(0)
    chair.shoot(f"adopted-{width}")
    assert chair.errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_an_author_withdraws_a_clause_and_the_chair_restores_it(world, person, width):
    expert, chair = person(world.expert, width=width), person(world.chair, width=width)
    page = expert.go(f"/clauses/{world.op.id}")
    page.get_by_role("link", name="Withdraw this clause").click()
    page.fill("#withdraw-reason", "A duplicate of the preambular paragraph.")
    page.get_by_role("button", name="Withdraw the clause").click()
    expect(page.locator(f"#clause-{world.op.id}")).to_have_class("clause clause--op clause--withdrawn")
    expect(page.locator(f"#clause-{world.op.id} .clause__num")).to_have_text("")
    expert.shoot(f"withdrawn-{width}")
    page = chair.go(f"/documents/{world.document.id}/outcome")
    expect(page.locator("#annex-withdrawn")).to_be_visible()
    expect(page.locator(".withdrawn")).to_contain_text("A duplicate of the preambular paragraph.")
    page = chair.go(f"/clauses/{world.op.id}/consolidate")
    expect(page.locator("#withdraw")).to_contain_text("Expert One")
    chair.shoot(f"restore-{width}")
    assert chair.axe() == []
    page.get_by_role("button", name="Restore the clause").click()
    expect(page.locator(f"#clause-{world.op.id} .clause__num")).to_have_text("1.")
    assert expert.errors == chair.errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_agreed_text_offers_no_edit_until_the_chair_reopens_it_with_a_reason(world, person, width):
    with writing():
        declarations.declare(world.chair, world.op, "agreed")
        commit()
    expert, chair = person(world.expert, width=width), person(world.chair, width=width)
    page = expert.go(f"/clauses/{world.op.id}")
    expect(page.locator("#frozen-note")).to_contain_text("on revision 1")
    expect(page.locator("#edit-form")).to_have_count(0)
    page = expert.go(f"/documents/{world.document.id}", live=True)
    expect(page.locator(f"#clause-{world.op.id} [data-edit-inline]")).to_have_count(0)
    expert.shoot(f"frozen-{width}")
    page = chair.go(f"/clauses/{world.op.id}")
    page.select_option("#declare-status", label="Reopened")
    page.get_by_role("button", name="Declare, recording the revision and tally").click()
    expect(page.locator("main")).to_contain_text("needs a reason")
    page.select_option("#declare-status", label="Reopened")
    page.fill("#declare-reason", "The delegation of Kenya asked to revisit it.")
    page.get_by_role("button", name="Declare, recording the revision and tally").click()
    expect(page.locator("#declare")).to_contain_text("The delegation of Kenya asked to revisit it.")
    chair.shoot(f"reopened-{width}")
    assert chair.axe() == []
    page = expert.go(f"/clauses/{world.op.id}")
    expect(page.locator("#edit-form")).to_be_visible()
    assert expert.errors == chair.errors == []
