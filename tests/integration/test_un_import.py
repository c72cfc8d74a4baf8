"""Real UN texts in: what each import recognises, what it reports, and what it refuses."""
import io
import zipfile
from pathlib import Path

import pytest

from drafting.extensions import db
from drafting.models import Clause, Declaration, Document, Section

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "un"


def fixture(name):
    return (FIXTURES / name).read_bytes()


def documents_count():
    return db.session.execute(db.select(db.func.count(Document.id))).scalar()


def post(api, world, data, query=""):
    return api(world.chair).post(f"/meetings/{world.meeting.id}/documents/import{query}", data=data)


def test_preview_of_the_new_urban_agenda_reports_its_structure_and_creates_nothing(world, api):
    before = documents_count()
    response = post(api, world, fixture("a-res-71-256-excerpt.md"), "?preview=1")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()["report"]
    assert report["title"] == "New Urban Agenda"
    assert report["metadata"]["symbol"] == "A/RES/71/256"
    assert report["metadata"]["formula"] == "The General Assembly,"
    assert report["metadata"]["closing_meeting"] == "68th plenary meeting"
    counts = report["counts"]
    assert (counts["preambular paragraphs"], counts["operative paragraphs"], counts["sub-paragraphs"]) == (1, 18, 3)
    assert counts["annexes"] == 1 and counts["headings, level 3"] == 4 and counts["headings, level 4"] == 1
    assert counts["style"] == {"body": "resolution", "Annex": "declaration"}
    assert report["not_understood"] == []
    assert documents_count() == before


def test_the_new_urban_agenda_imports_with_its_annex_numbering_and_as_proposed(world, api, login):
    response = post(api, world, fixture("a-res-71-256-excerpt.md"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["report"]["counts"]["operative paragraphs"] == 18
    document = db.session.get(Document, body["id"])
    assert (document.symbol, document.style, document.closing_date) == ("A/RES/71/256", "resolution", "2016-12-23")
    statuses = set(db.session.execute(db.select(Clause.status).filter_by(document_id=document.id)).scalars())
    assert statuses == {"proposed"}
    annex = db.session.execute(db.select(Section).filter_by(document_id=document.id, annex="Annex")).scalars().all()
    assert {s.style for s in annex} == {"declaration"} and max(s.level for s in annex) == 4
    text = login(world.chair).get(f"/documents/{document.id}/outcome.md").get_data(as_text=True)
    assert "\n# Annex\n" in text and "\n##### Sustainable urban development for social inclusion" in text
    assert "\n163. [We acknowledge the importance of local governments" in text  # proposed: in brackets
    assert "\n    (b) Ensure sustainable and inclusive urban economies" in text
    assert "*68th plenary meeting*  \n*23 December 2016*" in text
    assert "Preamble" not in text and "Operative part" not in text


def test_markdown_round_trip_of_a_real_text_gives_the_same_markdown(world, api, login):
    first_id = post(api, world, fixture("a-res-71-256-excerpt.md"), "?agreed=1").get_json()["id"]
    first = login(world.chair).get(f"/documents/{first_id}/outcome.md").get_data(as_text=True)
    second_id = post(api, world, first.encode(), "?agreed=1").get_json()["id"]
    second = login(world.chair).get(f"/documents/{second_id}/outcome.md").get_data(as_text=True)
    assert second == first
    assert "\n1. *Expresses its profound gratitude* to the Government" in first


def test_already_agreed_text_is_declared_agreed_with_a_declaration_on_record(world, api):
    document_id = post(api, world, fixture("cpd47-resolution-excerpt.txt"), "?agreed=1").get_json()["id"]
    clauses = db.session.execute(db.select(Clause).filter_by(document_id=document_id)).scalars().all()
    assert [c.status for c in clauses] == ["agreed"] * 4
    assert db.session.execute(db.select(db.func.count(Declaration.id)).where(
        Declaration.clause_id.in_([c.id for c in clauses]))).scalar() == 4


def test_text_pasted_from_the_pdf_keeps_source_numbers_and_lists_the_page_furniture(world, api):
    report = post(api, world, fixture("a-res-71-256-pasted-from-pdf.txt"), "?preview=1").get_json()["report"]
    assert report["title"] == "New Urban Agenda"
    assert report["metadata"]["distribution"] == "General" and report["metadata"]["issued_on"] == "2017-01-25"
    assert report["counts"]["operative paragraphs"] == 9 and report["counts"]["formula"] == 1
    notes = {n["line"]: n["note"] for n in report["notes"]}
    assert notes[8] == "page furniture skipped: 16-23021* (E)"
    assert notes[51] == "numbered 7 as in the source (3 was next)"
    response = post(api, world, fixture("a-res-71-256-pasted-from-pdf.txt"))
    numbers = [p["number"] for s in response.get_json()["sections"] for p in s["clauses"]]
    assert numbers == ["", "1", "2", "1", "2", "7", "8", "9", "10", "16"]


def test_a_limited_draft_resolution_reports_the_masthead_lines_it_does_not_know(world, api):
    report = post(api, world, fixture("a-c2-49-l67-excerpt.txt"), "?preview=1").get_json()["report"]
    assert report["metadata"]["symbol"] == "A/C.2/49/L.67"
    assert report["metadata"]["distribution"] == "Limited"
    assert report["metadata"]["original_language"] == "English"
    assert report["title"] == "Report of the International Conference on Population and Development"
    assert {"line": 15, "text": "SECOND COMMITTEE"} in [{k: v for k, v in item.items() if k != "why"}
                                                         for item in report["not_understood"]]


def test_commission_labels_pp_and_op_are_read(world, api):
    report = post(api, world, fixture("cpd47-resolution-excerpt.txt"), "?preview=1").get_json()["report"]
    assert report["counts"]["preambular paragraphs"] == 4
    assert report["metadata"]["formula"] == "The Commission on Population and Development,"


def test_the_word_draft_imports_numbering_italics_headings_and_its_footnote(world, api, login):
    response = post(api, world, fixture("a-res-71-256-excerpt.docx"))
    assert response.status_code == 201, response.get_json()
    report = response.get_json()["report"]
    assert report["format"] == "docx"
    assert report["counts"]["sub-paragraphs"] == 3 and report["counts"]["footnotes"] == 1
    assert report["not_understood"] == []
    page = login(world.chair).get(f"/documents/{response.get_json()['id']}/outcome").get_data(as_text=True)
    assert '<sup class="fn-ref"><a href="#fn-1" id="fnref-1">1</a></sup>' in page
    assert "<em>Expresses its profound gratitude</em>" in page
    assert "<em>We" not in page  # declaration style: no lead words in italics
    assert '<span class="para__sublabel">(c)</span>' in page


def test_our_own_word_file_imports_back_to_the_same_text(world, api, login):
    first_id = post(api, world, fixture("a-res-71-256-excerpt.docx")).get_json()["id"]
    markdown = login(world.chair).get(f"/documents/{first_id}/outcome.md").get_data(as_text=True)
    word = login(world.chair).get(f"/documents/{first_id}/outcome.docx").data
    again = post(api, world, word)
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["report"]["not_understood"] == []
    assert login(world.chair).get(f"/documents/{again.get_json()['id']}/outcome.md").get_data(as_text=True) == markdown


def _zip(parts, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD = [
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, 422, "binary data", id="not-a-document"),
    pytest.param(_zip({"hello.txt": "hi"}), 422, "no word/document.xml", id="zip-not-word"),
    pytest.param(_zip({"word/document.xml": "<w:document><w:body><w:p>"}), 422, "not well-formed XML",
                 id="broken-xml"),
    pytest.param(_zip({"word/document.xml": "<a/>", "word/media/bomb.bin": b"\x00" * (80 * 1024 * 1024)}), 413,
                 "unpacks to", id="zip-bomb"),
    pytest.param(_zip({"word/document.xml": "<a/>", "word/media/bomb.bin": b"\x00" * (20 * 1024 * 1024)}), 422,
                 "zip bomb", id="zip-bomb-ratio"),
    pytest.param(b"PK\x03\x04" + b"\x00" * (3 * 1024 * 1024), 413, "", id="20-mb-docx"),
    pytest.param("\n\n".join(f"{i}. Recommends measure {i};" for i in range(1, 10001)).encode(), 413,
                 "limit is", id="10000-paragraphs"),
]


@pytest.mark.parametrize("data, status, message", BAD)
@pytest.mark.parametrize("query", ["", "?preview=1"])
def test_bad_input_is_refused_with_a_clear_answer_and_nothing_is_created(world, api, data, status, message, query):
    before = documents_count()
    response = post(api, world, data, query)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert message in response.get_json()["error"]["message"]
    assert documents_count() == before


AKN = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


def test_akoma_ntoso_of_the_new_urban_agenda_follows_akn4un_and_validates(world, api, login):
    import os

    import xmlschema
    from lxml import etree

    schema = Path(os.environ.get("AKN_SCHEMA") or Path(__file__).resolve().parents[3] / "shared" / "schemas" /
                  "akomantoso30.xsd")
    document_id = post(api, world, fixture("a-res-71-256-excerpt.docx"), "?agreed=1").get_json()["id"]
    data = login(world.chair).get(f"/documents/{document_id}/outcome.xml").data
    if schema.exists():
        xmlschema.XMLSchema(str(schema)).validate(data.decode("utf-8"))
    tree = etree.fromstring(data)
    statement = tree.find("a:statement", AKN)
    assert statement.get("name") == "resolution"
    work = tree.find(".//a:FRBRWork/a:FRBRuri", AKN).get("value")
    assert work == "/akn/un/statement/deliberation/unga/2016-12-23/71-256"
    assert tree.find(".//a:FRBRWork/a:FRBRauthor", AKN).get("href") == "#unga"
    assert tree.find(".//a:references/a:TLCOrganization[@eId='unga']", AKN).get("showAs") == "General Assembly"
    assert tree.find(".//a:preamble/a:formula/a:p/a:i", AKN).text == "The General Assembly"
    assert [p.get("eId") for p in tree.findall("a:statement/a:mainBody/a:paragraph", AKN)] == ["para_1", "para_2"]
    note = tree.find(".//a:paragraph[@eId='para_2']//a:authorialNote", AKN)
    assert note.get("marker") == "1" and "made for this fixture" in note.find("a:p", AKN).text
    assert tree.find(".//a:conclusions//a:docDate", AKN).get("date") == "2016-12-23"
    annex = tree.find(".//a:attachments/a:attachment/a:doc[@name='annex']", AKN)
    points = annex.findall(".//a:paragraph[@eId='att_1__para_14']/a:list/a:point", AKN)
    assert [p.find("a:num", AKN).text for p in points] == ["(a)", "(b)", "(c)"]
    assert annex.find(".//a:paragraph[@eId='att_1__para_163']", AKN) is not None
    headings = annex.findall(".//a:hcontainer/a:heading", AKN)
    assert headings[0].text == "New Urban Agenda" and len(headings) == 8
    assert tree.find(".//a:workflow/a:step[@outcome='#declared-agreed']", AKN).get("refersTo") == "#preamble__recital_1"


def test_akoma_ntoso_records_votes_declarations_reservations_and_the_lifecycle(world, login, make_clause):
    import os

    import xmlschema
    from lxml import etree

    from drafting.boundary import commit
    from drafting.services import declarations, procedure, versions, votes

    d = world.document
    votes.cast(world.expert, world.op, "agree")
    votes.cast(world.expert2, world.op, "abstain")
    versions.snapshot(world.rapporteur, d, "Zero draft")
    declarations.declare(world.chair, world.pp, "agreed")
    declarations.declare(world.chair, world.op, "agreed")
    procedure.set_phase(world.chair, d, "amendments")
    procedure.set_phase(world.chair, d, "consolidation")
    procedure.adopt(world.chair, d)
    procedure.lodge_reservation(world.expert, world.op, "We read paragraph 1 as voluntary.")
    commit()
    data = login(world.chair).get(f"/documents/{d.id}/outcome.xml").data
    schema = Path(os.environ.get("AKN_SCHEMA") or Path(__file__).resolve().parents[3] / "shared" / "schemas" /
                  "akomantoso30.xsd")
    if schema.exists():
        xmlschema.XMLSchema(str(schema)).validate(data.decode("utf-8"))
    tree = etree.fromstring(data)
    adopted = d.adopted_at.date().isoformat()
    assert tree.find(".//a:FRBRWork/a:FRBRdate", AKN).attrib == {"date": adopted, "name": "adoption"}
    assert {e.get("eId") for e in tree.findall(".//a:lifecycle/a:eventRef", AKN)} == {
        "evt_created", "evt_version_1", "evt_adopted"}
    voting = tree.find(".//a:analysis/a:parliamentary/a:voting[@refersTo='#para_1']", AKN)
    counts = {c.get("refersTo"): c.get("value") for c in voting.findall("a:count", AKN)}
    assert counts["#vote-agree"] == "1" and counts["#vote-abstain"] == "1"
    steps = tree.findall(".//a:workflow/a:step[@refersTo='#para_1']", AKN)
    assert [s.get("outcome") for s in steps] == ["#declared-agreed"]
    assert tree.find(f".//a:references/a:TLCPerson[@showAs='{world.chair.name}']", AKN) is not None
    note = tree.find(".//a:notes/a:note", AKN)
    assert "voluntary" in "".join(note.itertext()) and note.find(".//a:ref", AKN).get("href") == "#para_1"


def _pdf_lines(data):
    """[(page number, x, y, text)] of each text run in the PDF, as pypdf reads them."""
    from pypdf import PdfReader

    lines = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, 1):
        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                lines.append((number, round(x), round(y), text.strip()))
        page.extract_text(visitor_text=visit)
    return lines


def test_the_pdf_is_in_un_document_form(world, api, login):
    document_id = post(api, world, fixture("a-res-71-256-excerpt.docx"), "?agreed=1").get_json()["id"]
    data = login(world.chair).get(f"/documents/{document_id}/outcome.pdf").data
    lines = _pdf_lines(data)
    pages = max(p for p, _x, _y, _t in lines)
    text = " ".join(t for _p, _x, _y, t in lines)
    assert "Preamble" not in text and "Operative part" not in text
    # The symbol heads every page after the first, at the top right; every page is numbered n/N.
    for page in range(2, pages + 1):
        top = [(x, y) for p, x, y, t in lines if p == page and t == "A/RES/71/256"]
        assert top and top[0][1] > 780 and top[0][0] > 400, page
        assert any(t == f"{page}/{pages}" and y < 60 for p, _x, y, t in lines if p == page), page
    first = [(x, y, t) for p, x, y, t in lines if p == 1]
    assert any(t.startswith("Distr.: General") for _x, _y, t in first)
    # The annex starts a page of its own, and its numbering starts again at 1.
    annex_page = next(p for p, _x, _y, t in lines if t == "Annex")
    assert annex_page > 1 and min(y for p, _x, y, t in lines if p == annex_page and t == "Annex") > 700
    # The footnote sits at the foot of the page that refers to it.
    note = next((p, y) for p, _x, y, t in lines if "made for this fixture" in t)
    assert note[0] == 1 and note[1] < 150


def test_the_word_file_is_in_un_document_form(world, api, login):
    import docx

    document_id = post(api, world, fixture("a-res-71-256-excerpt.md"), "?agreed=1").get_json()["id"]
    data = login(world.chair).get(f"/documents/{document_id}/outcome.docx").data
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.header.paragraphs[0].text == "A/RES/71/256" and section.different_first_page_header_footer
    assert "PAGE" in section.footer._element.xml
    by_style = {}
    for p in word.paragraphs:
        by_style.setdefault(p.style.name, []).append(p)
    assert by_style["UN Masthead Body"][0].text == "General Assembly"
    assert "Distr.: General" in by_style["UN Masthead"][1].text and "Original: English" in by_style["UN Masthead"][1].text
    assert [r.text for r in by_style["UN Formula"][0].runs if r.italic] == ["The General Assembly"]
    first = by_style["UN Operative"][0]
    assert first.text.startswith("1.\tExpresses its profound gratitude to")
    assert [r.text for r in first.runs if r.italic] == ["Expresses its profound gratitude"]
    assert all(not any(r.italic for r in p.runs) for p in by_style["UN Declaration"])  # "We …": no italics
    assert [p.text.split("\t")[0] for p in by_style["UN Subparagraph"]] == ["(a)", "(b)", "(c)"]
    annex = by_style["UN Annex Label"][0]
    assert annex.text == "Annex" and annex.paragraph_format.page_break_before
    assert [p.text for p in by_style["UN Heading 3"]][:2] == ["Our principles and commitments", "Call for action"]
    assert by_style["UN Closing"][0].text == "68th plenary meeting\n23 December 2016"
    assert by_style["UN Provenance Heading"][0].paragraph_format.page_break_before
    assert any(p.text.startswith("Authors\t") for p in by_style["UN Provenance"])
    assert round(section.left_margin.cm, 1) == 2.2


def test_word_footnotes_are_real_footnotes(world, api, login):
    document_id = post(api, world, fixture("a-res-71-256-excerpt.docx")).get_json()["id"]
    data = login(world.chair).get(f"/documents/{document_id}/outcome.docx").data
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert 'w:footnoteReference w:id="1"' in archive.read("word/document.xml").decode()
    assert "made for this fixture" in archive.read("word/footnotes.xml").decode()


def _without_ids(archive):
    """The archive as it must come back: everything but the import's own event."""
    return {**archive, "events": [e for e in archive["events"] if e["type"] != "document.imported"]}


def test_an_archive_moves_a_document_with_its_whole_history_and_comes_back_the_same(world, api, login, make_clause):
    from drafting.boundary import commit
    from drafting.services import amendments, declarations, procedure, versions, votes

    d = world.document
    votes.cast(world.expert, world.op, "agree")
    versions.snapshot(world.rapporteur, d, "Zero draft")
    procedure.set_phase(world.chair, d, "amendments")
    amendment = amendments.propose(world.expert2, world.op, world.op.head_revision_id,
                                   "Recommends that cities publish open data and code;", "Code matters too.")
    votes.cast(world.expert2, world.op, "abstain")
    procedure.set_phase(world.chair, d, "consolidation")
    amendments.accept(world.rapporteur, amendment)
    declarations.declare(world.chair, world.pp, "agreed")
    declarations.declare(world.chair, world.op, "agreed")
    procedure.adopt(world.chair, d)
    procedure.lodge_reservation(world.expert, world.op, "We read paragraph 1 as voluntary.")
    commit()
    chair = login(world.chair)
    first = chair.get(f"/documents/{d.id}/archive.json")
    assert first.status_code == 200 and first.mimetype == "application/json"
    archive = first.get_json()
    assert {p["email"] for p in archive["people"]} >= {world.expert.email, world.expert2.email, world.chair.email}
    preview = post(api, world, first.data, "?preview=1").get_json()["report"]
    assert preview["format"] == "archive" and preview["counts"]["votes"] == 2
    response = post(api, world, first.data)
    assert response.status_code == 201, response.get_json()
    new_id = response.get_json()["id"]
    again = chair.get(f"/documents/{new_id}/archive.json").get_json()
    assert _without_ids(again) == _without_ids(archive)
    for suffix in (".md", ""):
        old = chair.get(f"/documents/{d.id}/outcome{suffix}").get_data(as_text=True)
        new = chair.get(f"/documents/{new_id}/outcome{suffix}").get_data(as_text=True)
        if suffix == ".md":
            assert new == old  # the outcome document and its annex, exactly
        else:
            assert "We read paragraph 1 as voluntary." in new and world.expert2.name in new


def test_an_archive_that_is_broken_is_refused_and_nothing_is_created(world, api):
    before = documents_count()
    response = post(api, world, b'{"format": "drafting-room-archive/1", "document": {"title": "x"}}')
    assert response.status_code == 422 and "incomplete" in response.get_json()["error"]["message"]
    assert documents_count() == before


# Brackets a negotiator puts into the text of the New Urban Agenda: a choice of words, a phrase, one
# that runs from sub-paragraph (b) into (c), one inside another, and a symbol in brackets.
NEGOTIATED = [
    ("(b) Ensure sustainable and inclusive urban economies", "(b) Ensure [sustainable and inclusive/inclusive] urban economies"),
    ("people-centred, protects the planet, and is age-", "people-centred, [protects the planet,] and is age-"),
    ("by promoting full and productive employment", "[by promoting full and productive employment"),
    ("ecosystems and biodiversity,", "ecosystems and biodiversity],"),
    ("to achieve sustainable urban development.", "to achieve [sustainable [urban]] development."),
    ("the 2030 Agenda for Sustainable Development to ensure", "the 2030 Agenda for Sustainable Development [A/RES/70/1] to ensure"),
]


def test_akoma_ntoso_marks_the_brackets_inside_paragraphs_of_a_negotiated_new_urban_agenda(world, api, login):
    import os

    import xmlschema
    from lxml import etree

    text = fixture("a-res-71-256-excerpt.md").decode()
    for agreed, negotiated in NEGOTIATED:
        assert text.count(agreed) == 1, agreed
        text = text.replace(agreed, negotiated)
    document_id = post(api, world, text.encode()).get_json()["id"]
    data = login(world.chair).get(f"/documents/{document_id}/outcome.xml").data
    schema = Path(os.environ.get("AKN_SCHEMA") or Path(__file__).resolve().parents[3] / "shared" / "schemas" /
                  "akomantoso30.xsd")
    if schema.exists():
        xmlschema.XMLSchema(str(schema)).validate(data.decode("utf-8"))
    tree = etree.fromstring(data)

    def shown(element):
        return "".join(element.itertext())

    def bracketed(eid):
        return [shown(i) for i in tree.findall(f".//a:*[@eId='{eid}']//a:inline[@name='bracketed']", AKN)]

    assert bracketed("att_1__para_26") == ["[protects the planet,]"]
    assert bracketed("att_1__para_23") == ["[sustainable [urban]]", "[urban]"]
    assert bracketed("att_1__para_164") == ["[A/RES/70/1]"]  # a symbol, not a choice of words
    (), (choice, b_open), (c_close,) = [p.findall("a:inline[@name='bracketed']", AKN) for p in tree.findall(
        ".//a:paragraph[@eId='att_1__para_14']//a:point/a:content/a:p", AKN)]
    assert [shown(o) for o in choice.findall("a:inline[@name='alternative']", AKN)] == [
        "sustainable and inclusive", "inclusive"]
    # the bracket from (b) into (c) is marked in both, closed and opened where the sub-paragraphs meet
    assert shown(b_open).startswith("[by promoting full") and shown(b_open).endswith("where appropriate;")
    assert shown(c_close).startswith("Ensure environmental") and shown(c_close).endswith("biodiversity]")
    # what a reader sees is the text as negotiated, brackets included
    text = "".join(shown(p) for p in tree.iter(f"{{{AKN['a']}}}p"))
    for _agreed, negotiated in NEGOTIATED:
        assert negotiated.removeprefix("(b) ") in text
    ids = [e.get("eId") for e in tree.iter() if e.get("eId")]
    assert len(ids) == len(set(ids))
