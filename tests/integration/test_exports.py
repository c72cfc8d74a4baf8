"""The outcome document downloads: each opens in the tool it is meant for, and Markdown round-trips."""
import os
from io import BytesIO
from pathlib import Path

import pytest

from drafting.boundary import commit
from drafting.models import Document
from drafting.services import consolidation, events, procedure

REPO = Path(__file__).resolve().parents[2]
SCHEMA = Path(os.environ.get("AKN_SCHEMA") or REPO / ".." / "shared" / "schemas" / "akomantoso30.xsd")


@pytest.fixture
def outcome_world(world, make_clause):
    """The world's document with a bis paragraph, a bracketed span, an alternative, adopted."""
    d = world.document
    make_clause(d, world.expert2, "Encourages cities to publish open data on air quality;", tags=["11.6"])
    make_clause(d, world.expert, "Invites cities to report on progress,\n\nin particular on *air quality*.")
    procedure.set_phase(world.chair, d, "amendments")
    procedure.set_phase(world.chair, d, "consolidation")
    consolidation.bracket(world.rapporteur, world.op, world.op.head_revision_id, quote="open data")
    consolidation.add_alternative(world.rapporteur, world.op, "Recommends that cities share data openly;")
    commit()
    return world


def test_markdown_reads_like_the_outcome(outcome_world, login):
    w = outcome_world
    response = login(w.chair).get(f"/documents/{w.document.id}/outcome.md")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.startswith("# Outcome document\n")
    assert "**Symbol:** TEST/2016/1" in text
    assert "[*Recognizing* the role of cities,]" in text  # not agreed: in brackets, lead in italics
    assert "1 Alt 1. [*Recommends* that cities publish [open data];]" in text
    assert "1 Alt 2. [*Recommends* that cities share data openly;]" in text
    assert "2. [*Encourages* cities" in text
    assert "3. [*Invites* cities to report on progress,\n\n    in particular on *air quality*.]" in text


def test_markdown_round_trip_gives_the_same_text(outcome_world, login, api):
    w = outcome_world
    first = login(w.chair).get(f"/documents/{w.document.id}/outcome.md").get_data(as_text=True)
    response = api(w.chair).post(f"/meetings/{w.meeting.id}/documents/import", data=first.encode("utf-8"),
                                 content_type="text/markdown")
    assert response.status_code == 201, response.get_json()
    new_id = response.get_json()["id"]
    second = login(w.chair).get(f"/documents/{new_id}/outcome.md").get_data(as_text=True)
    assert second == first


def test_round_trip_keeps_bis_numbers_and_agreed_text(world, make_clause, login, api):
    from drafting.models import Clause, Version

    d = world.document
    world.pp.status = world.op.status = "agreed"
    from drafting.extensions import db

    db.session.add(Version(document_id=d.id, label="Zero draft"))
    commit()
    make_clause(d, world.expert, "Invites cities to report progress.")
    first = login(world.chair).get(f"/documents/{d.id}/outcome.md").get_data(as_text=True)
    assert "1. *Recommends* that cities publish open data;" in first
    assert "1 bis. [*Invites* cities to report progress.]" in first
    response = api(world.chair).post(f"/meetings/{world.meeting.id}/documents/import?agreed=1", data=first.encode())
    assert response.status_code == 201
    new_id = response.get_json()["id"]
    late = db.session.execute(db.select(Clause).filter_by(document_id=new_id, inserted_late=True)).scalars().all()
    assert len(late) == 1
    assert login(world.chair).get(f"/documents/{new_id}/outcome.md").get_data(as_text=True) == first


def test_docx_opens_with_python_docx(outcome_world, login):
    import docx

    w = outcome_world
    response = login(w.chair).get(f"/documents/{w.document.id}/outcome.docx")
    assert response.status_code == 200
    assert 'filename="TEST-2016-1.docx"' in response.headers["Content-Disposition"]
    word = docx.Document(BytesIO(response.data))
    title = next(p for p in word.paragraphs if p.style.name == "UN Title")
    assert title.text == "Outcome document"
    numbered = next(p for p in word.paragraphs if p.text.startswith("1 Alt 1.\t"))
    assert "[" in numbered.text and "[open data]" in numbered.text
    italic = [r.text for r in numbered.runs if r.italic]
    assert italic == ["Recommends"]
    preamble = next(p for p in word.paragraphs if "role of cities" in p.text)
    assert [r.text for r in preamble.runs if r.italic] == ["Recognizing"]
    authors = [p.text for p in word.paragraphs if p.style.name == "UN Provenance" and p.text.startswith("Authors")]
    assert any("Expert One" in line for line in authors)


def test_pdf_opens_with_pypdf(outcome_world, login):
    from pypdf import PdfReader

    w = outcome_world
    response = login(w.chair).get(f"/documents/{w.document.id}/outcome.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Outcome document" in text
    assert "share data openly" in text
    assert "Annex" in text
    assert "Download" not in text  # the page's controls are not printed


def test_akoma_ntoso_validates_against_the_schema(outcome_world, login):
    if not SCHEMA.exists():
        pytest.skip(f"The Akoma Ntoso schema is not at {SCHEMA}: copy akomantoso30.xsd there to run this test.")
    import xmlschema
    from lxml import etree

    w = outcome_world
    # Adopted as it stands, brackets and alternatives included, which the procedure would refuse:
    # the export must still be valid Akoma Ntoso for such a text.
    w.document.phase, w.document.adopted_at = "adopted", procedure.now()
    events.append(w.document, "document.adopted", w.chair, {"way": "in_session"})
    commit()
    response = login(w.chair).get(f"/documents/{w.document.id}/outcome.xml")
    assert response.status_code == 200
    xmlschema.XMLSchema(str(SCHEMA)).validate(response.data.decode("utf-8"))
    tree = etree.fromstring(response.data)
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    assert tree.find("a:statement", ns) is not None
    nums = [n.text for n in tree.findall(".//a:mainBody/a:paragraph/a:num", ns)]
    assert nums == ["1 Alt 1.", "1 Alt 2.", "2.", "3."]
    assert tree.find(".//a:FRBRWork/a:FRBRthis", ns) is not None
    assert "#sdg-11-6" in tree.findall(".//a:mainBody/a:paragraph", ns)[2].get("refersTo")
    outcomes = [s.get("outcome") for s in tree.findall(".//a:workflow/a:step", ns)]
    assert "#phase-consolidation" in outcomes
    assert tree.find(".//a:FRBRWork/a:FRBRdate", ns).get("name") == "adoption"


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe not utf-8 \x81", "not valid UTF-8"),
    (b"# Only a title\n\n## And a heading\n", "no paragraphs"),
    (b"   \n\n  ", "no paragraphs"),
])
def test_bad_import_files_are_refused_and_nothing_is_created(world, api, data, message):
    from drafting.extensions import db

    before = db.session.execute(db.select(db.func.count(Document.id))).scalar()
    response = api(world.chair).post(f"/meetings/{world.meeting.id}/documents/import", data=data)
    assert response.status_code == 422
    assert message in response.get_json()["error"]["message"]
    assert db.session.execute(db.select(db.func.count(Document.id))).scalar() == before


def test_import_form_shows_the_error(world, login):
    from io import BytesIO as Bytes

    response = login(world.chair).post(f"/meetings/{world.meeting.id}/import",
                                       data={"file": (Bytes(b"\xc3\x28"), "outcome.md")},
                                       content_type="multipart/form-data")
    assert response.status_code == 422
    assert "not valid UTF-8" in response.get_data(as_text=True)


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("outsider", 403), ("observer", 403),
                                         ("expert", 403), ("rapporteur", 403), ("chair", 200),
                                         ("admin", 200), ("other_chair", 403)])
def test_import_page_is_for_the_chair(world, login, who, status):
    assert login(world.users[who]).get(f"/meetings/{world.meeting.id}/import").status_code == status


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("outsider", 403), ("observer", 200),
                                         ("expert", 200), ("rapporteur", 200), ("chair", 200),
                                         ("admin", 200), ("other_chair", 403)])
@pytest.mark.parametrize("suffix", ["", ".md", ".docx", ".xml"])
def test_outcome_of_an_unpublished_document_is_for_members(world, login, who, status, suffix):
    response = login(world.users[who]).get(f"/documents/{world.document.id}/outcome{suffix}")
    assert response.status_code == status


def test_outcome_page_reads_like_the_outcome_and_filters_by_tag(outcome_world, login):
    w = outcome_world
    from drafting.models import Declaration, Vote

    from drafting.extensions import db

    db.session.add(Vote(clause_id=w.pp.id, user_id=w.expert.id, revision_id=w.pp.head_revision_id, position="agree"))
    db.session.add(Declaration(clause_id=w.pp.id, status="agreed", revision_id=w.pp.head_revision_id,
                               tally={"agree": 1}, declared_by_id=w.chair.id))
    w.pp.status = "agreed"
    commit()
    page = login(w.expert).get(f"/documents/{w.document.id}/outcome").get_data(as_text=True)
    assert "<em>Recognizing</em> the role of cities," in page  # agreed: no brackets
    assert '<span class="para__num">1 Alt 2.</span>' in page
    assert "Geneva, 21 July 2016" in page and "TEST/2016/1" in page
    assert 'href="#annex"' in page  # table of contents
    annex = page.split('id="annex"')[1]
    assert "Preambular paragraph 1" in annex
    assert "1 agree" in annex and "declared agreed on" in annex and "by The Chair" in annex
    filtered = login(w.expert).get(f"/documents/{w.document.id}/outcome?tag=11.6").get_data(as_text=True)
    text = filtered.split('id="annex"')[0]
    assert "air quality" in text and "role of cities" not in text
    assert '<span class="para__num">2.</span>' in text  # the real number, not 1
    assert login(w.expert).get(f"/documents/{w.document.id}/outcome?tag=nonsense").status_code == 200


def test_api_description_lists_the_procedure_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/documents/{document_id}/silence", "/documents/{document_id}/objections",
                 "/clauses/{clause_id}/split", "/meetings/{meeting_id}/documents/import"):
        assert path in paths
