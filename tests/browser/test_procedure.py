"""From an accepted amendment to a published outcome document that anyone can read and download."""
import io
import re
from datetime import timedelta

import docx
import pytest
import pypdf

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Document
from drafting.services import amendments, declarations, procedure
from tests.conftest import make_ready
from tests.servers import writing

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect

AMENDED = "Recommends that cities publish open data under an open licence;"


@pytest.fixture
def amendment(world, advance):
    """The document in the amendments phase, with an expert's amendment to the operative paragraph."""
    advance(world.document, world.chair, "amendments")
    proposed = amendments.propose(world.expert, world.op, world.op.head_revision_id, AMENDED,
                                  "Open data needs a licence that says so.")
    commit()
    return proposed


def move_phase(chair, document, label):
    page = chair.go(f"/documents/{document.id}")
    page.get_by_label("Phase", exact=True).select_option(label=label)
    page.get_by_role("button", name="Move to phase").click()
    expect(page.locator(".doc-head .badge--phase")).to_have_text(label)


def test_accepted_amendment_silence_procedure_publication_and_public_downloads(world, amendment, person, tmp_path):
    rapporteur, chair = person(world.rapporteur), person(world.chair)

    # the rapporteur accepts the amendment: it becomes the clause's text, credited to its author
    page = rapporteur.go(f"/clauses/{world.op.id}")
    page.locator(f"#amendment-{amendment.id}").get_by_role("button", name="Accept and apply").click()
    expect(page.locator(".clause-current [data-role=text]")).to_have_text(AMENDED)
    expect(page.locator("#amendments")).to_contain_text("No open amendments.")

    # the chair moves to consolidation; the checklist says what stands in the way of the final reading
    move_phase(chair, world.document, "Consolidation")
    page = chair.go(f"/documents/{world.document.id}/procedure")
    expect(page.locator("#checklist")).to_contain_text("Never declared")
    with writing():
        declarations.declare(world.chair, world.pp, "agreed")
        commit()
    page = chair.go(f"/clauses/{world.op.id}")
    page.select_option("#declare-status", label="Agreed")
    page.get_by_role("button", name="Declare, recording the revision and tally").click()
    page = chair.go(f"/documents/{world.document.id}/procedure")
    expect(page.locator("#checklist")).to_contain_text("Nothing stands in the way")
    page.fill("#silence-hours", "1")
    page.get_by_role("button", name="Start the silence procedure").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Final reading")
    expect(page.locator(".notice")).to_contain_text("The silence procedure runs until")
    chair.shoot("procedure-silence")
    assert chair.axe() == []

    # an hour passes without objection: the deadline is moved into the past rather than waiting
    with writing():
        document = db.session.get(Document, world.document.id)
        document.silence_deadline = procedure.now() - timedelta(minutes=1)
        db.session.commit()
    page.reload()
    expect(page.locator("[aria-current=step]")).to_contain_text("Adopted")

    page.get_by_label("Publicly, for anyone").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Published")

    # an anonymous visitor reads the outcome document and downloads it
    visitor = person()
    page = visitor.go(f"/documents/{world.document.id}/outcome")
    expect(page.locator(".outcome__state")).to_contain_text("published")
    expect(page.locator(".outcome")).to_contain_text("open data under an open licence")
    visitor.shoot("outcome-public")
    assert visitor.axe() == []

    for link, content_type, extension in [("Word (DOCX)", "application/vnd.openxmlformats-officedocument"
                                           ".wordprocessingml.document", "docx"), ("PDF", "application/pdf", "pdf")]:
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        assert download.value.suggested_filename.endswith(f".{extension}")
        path = tmp_path / f"outcome.{extension}"
        download.value.save_as(path)
        href = page.get_by_role("link", name=link).get_attribute("href")
        answer = visitor.context.request.get(visitor.server.url + href)
        assert answer.status == 200 and answer.headers["content-type"] == content_type
        if extension == "docx":
            text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        else:
            text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)
        assert "open licence" in re.sub(r"\s+", " ", text), extension
    assert rapporteur.errors == chair.errors == visitor.errors == []


def test_a_written_objection_breaks_silence_and_returns_the_text_to_consolidation(world, amendment, person):
    with writing():
        procedure.set_phase(world.chair, world.document, "consolidation")
        make_ready(world.document, world.chair)
        procedure.start_silence(world.chair, world.document, hours=24)
        commit()
    expert = person(world.expert2)
    page = expert.go(f"/documents/{world.document.id}/procedure")
    expect(page.locator(".notice")).to_contain_text("The silence procedure runs until")
    assert expert.axe() == []
    page.fill("#objection-text", "Paragraph 1 needs a privacy safeguard before we can agree.")
    page.get_by_role("button", name="Object and break silence").click()
    # breaking silence is asked once more, with the objection's words
    expect(page.locator("main")).to_contain_text("Break silence on")
    page.get_by_role("button", name="Yes, object and break silence").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Consolidation")
    expect(page.locator("main")).to_contain_text("Paragraph 1 needs a privacy safeguard")
    expert.shoot("procedure-objection")
    assert expert.errors == []
