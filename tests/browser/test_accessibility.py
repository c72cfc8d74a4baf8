"""axe-core on every main page: no serious or critical WCAG 2.1 AA violation; track changes not by colour alone."""
import pytest

from drafting.boundary import commit
from drafting.services import clauses, comments, versions, votes

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect


@pytest.fixture
def drafted(world):
    """The world's document with a history: two versions, an edit between them, a comment, votes, an amendment."""
    world.zero = versions.snapshot(world.rapporteur, world.document, "Zero draft")
    clauses.save_edit(world.expert2, world.op, world.op.head_revision_id,
                      "Recommends that cities publish open data and share it widely;")
    comments.post(world.expert, world.op, "Which data?", quote="open data")
    votes.cast(world.expert, world.op, "agree")
    votes.cast(world.expert2, world.op, "disagree", "Too vague.")
    commit()
    world.rev1 = versions.snapshot(world.rapporteur, world.document, "Rev.1")
    commit()
    return world


PAGES = [
    ("login", None, "/login"),
    ("meetings", "expert", "/"),
    ("meeting", "chair", "/meetings/{meeting}"),
    ("document", "chair", "/documents/{document}"),
    ("clause", "expert", "/clauses/{op}"),
    ("clause-history", "expert", "/clauses/{op}/history"),
    ("clause-authors", "expert", "/clauses/{op}/authors"),
    ("versions", "rapporteur", "/documents/{document}/versions"),
    ("compare", "rapporteur", "/documents/{document}/compare?from={zero}&to={rev1}"),
    ("dashboard", "chair", "/documents/{document}/dashboard"),
    ("activity", "chair", "/documents/{document}/activity"),
    ("procedure", "chair", "/documents/{document}/procedure"),
    ("outcome", "chair", "/documents/{document}/outcome"),
    ("account", "expert", "/account"),
    ("admin", "admin", "/admin/accounts"),
    ("notifications", "expert", "/notifications"),
]


def test_every_main_page_passes_axe_and_is_saved_as_a_screenshot(drafted, person):
    w = drafted
    ids = {"meeting": w.meeting.id, "document": w.document.id, "op": w.op.id,
           "zero": w.zero.id, "rev1": w.rev1.id}
    people = {}
    found = {}
    for name, role, path in PAGES:
        if role not in people:
            people[role] = person(getattr(w, role) if role else None)
        someone = people[role]
        response = someone.page.goto(someone.server.url + path.format(**ids))
        assert response.status == 200, (name, response.status)
        someone.shoot(name)
        violations = someone.axe()
        if violations:
            found[name] = violations
        if name == "clause-history":
            track_changes_are_spoken_and_not_colour_alone(someone.page)
    phone = person(w.expert, width=390)
    for name in ("document", "clause", "outcome"):
        path = next(p for n, _r, p in PAGES if n == name)
        phone.page.goto(phone.server.url + path.format(**ids))
        phone.shoot(f"{name}-390")
        if violations := phone.axe():
            found[f"{name} at 390 px"] = violations
    assert found == {}, "\n".join(f"{page}: {line}" for page, lines in found.items() for line in lines)
    assert all(p.errors == [] for p in [*people.values(), phone])


def test_the_conflict_view_passes_axe_and_marks_changes_in_words(world, person, author):
    expert = person(world.expert2)
    page = expert.go(f"/clauses/{world.op.id}")
    # The editor replaces the textarea once its script has loaded: type into the editor, not into
    # a textarea that may be hidden the moment before the keys arrive.
    page.locator("[data-editor-for=text]").wait_for()
    page.get_by_role("textbox", name="Clause text").fill("Recommends that cities publish open data quickly;")
    author(expert.server, world.expert).revise(world.op.id, "Recommends that cities publish open data monthly;")
    page.get_by_role("button", name="Save revision").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("Someone saved this clause while you were editing")
    assert expert.axe() == []
    # each side's changes are spoken as words, not only shown in colour
    spoken = [" ".join(side.text_content().split()) for side in conflict.locator(".track-changes").all()]
    assert spoken == ["Recommends that cities publish open data[inserted: monthly];",
                      "Recommends that cities publish open data[inserted: quickly];"]
    expert.shoot("conflict")
    assert expert.errors == []


def track_changes_are_spoken_and_not_colour_alone(page):
    inserted = page.locator(".track-changes ins").first
    assert " ".join(inserted.text_content().split()) == "[inserted: and share it widely]"
    assert "underline" in inserted.evaluate("e => getComputedStyle(e).textDecorationLine")
    hidden = inserted.locator(".visually-hidden").first
    assert hidden.evaluate("e => getComputedStyle(e).position") == "absolute"  # read aloud, not shown
