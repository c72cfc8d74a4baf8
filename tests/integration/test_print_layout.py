"""The outcome document's indents on paper: the PDF and the DOCX lay out a UN resolution alike.

UN resolution layout (A/RES/71/256 and the Editorial Manual's example): the text column is indented
1.27 cm from the margin; a paragraph's first line one step more, with its number in that indent and
its text from the next step; a sub-paragraph's label where the text above starts; runover lines
back at the column.
"""
import io

import pytest

from tests.integration.test_un_import import _pdf_lines, fixture, post

CM = 72 / 2.54  # PDF points in a centimetre
MARGIN, STEP = 2.2 * CM, 1.27 * CM


def _column(x):
    """The distance from the text column, in steps of 1.27 cm."""
    return round((x - MARGIN - STEP) / STEP, 1)


@pytest.fixture
def resolution(world, api):
    return post(api, world, fixture("a-res-71-256-excerpt.md"), "?agreed=1").get_json()["id"]


def test_pdf_numbers_sit_in_the_first_line_indent_and_the_text_runs_back_to_the_column(resolution, world, login):
    lines = _pdf_lines(login(world.chair).get(f"/documents/{resolution}/outcome.pdf").data)
    runs = [(p, x, y, " ".join(t.split())) for p, x, y, t in lines]  # justified lines space words out

    def first(text):
        return next(r for r in runs if r[3].startswith(text))

    page, x, y, _ = first("1.")
    assert _column(x) == 1.0  # the number in the first line's indent
    text = next(r for r in runs if r[0] == page and r[2] == y and r[3].startswith("Expresses"))
    assert _column(text[1]) == 2.0  # the text from the next step
    runover = [r for r in runs if r[0] == page and y - 20 < r[2] < y]
    assert runover and _column(min(r[1] for r in runover)) == 0.0  # and back at the column
    preamble = first("Recalling")
    assert _column(preamble[1]) == 1.0

    page, x, y, _ = first("(a)")
    assert _column(x) == 2.0  # the label where the paragraph's text starts
    text = next(r for r in runs if r[0] == page and r[2] == y and r[3].startswith("Leave no one"))
    assert _column(text[1]) == 3.0
    runover = [r for r in runs if r[0] == page and y - 20 < r[2] < y]
    assert runover and _column(min(r[1] for r in runover)) == 0.0
    annex_number = first("14.")
    assert _column(annex_number[1]) == 1.0  # declaration style: the same layout, without italics


def test_docx_has_the_same_indents_as_the_pdf(resolution, world, login):
    import docx

    word = docx.Document(io.BytesIO(login(world.chair).get(f"/documents/{resolution}/outcome.docx").data))
    left_margin = word.sections[0].left_margin.cm

    def layout(style_name):
        style = word.styles[style_name].paragraph_format
        column = style.left_indent.cm
        tabs = [t.position.cm for t in style.tab_stops]
        return (round(left_margin + column - 2.2, 2), round(style.first_line_indent.cm / 1.27, 1),
                [round((t - column) / 1.27, 1) for t in tabs])

    # (column's distance from the margin in cm, first line in steps, tab stops in steps from the column)
    assert layout("UN Preambular") == (1.27, 1.0, [])
    assert layout("UN Operative") == layout("UN Declaration") == (1.27, 1.0, [2.0])
    assert layout("UN Subparagraph") == (1.27, 2.0, [3.0])
    assert layout("UN Subparagraph 2") == (1.27, 3.0, [4.0])
    sub = next(p for p in word.paragraphs if p.style.name == "UN Subparagraph")
    assert sub.text.startswith("(a)\tLeave no one behind") and sub.paragraph_format.left_indent is None
    number = next(p for p in word.paragraphs if p.text.startswith("1.\tExpresses"))
    assert number.style.name == "UN Operative" and not number.paragraph_format.tab_stops


def test_the_contents_list_names_the_documents_headings_not_the_tools_sections(resolution, world, login):
    import re

    page = login(world.chair).get(f"/documents/{resolution}/outcome").get_data(as_text=True)
    toc = page[page.index('<nav class="outcome__toc"'):page.index("</nav>", page.index('<nav class="outcome__toc"'))]
    entries = [re.sub(r"<[^>]+>", "", e).strip() for e in re.findall(r"<li[^>]*>(.*?)</li>", toc, re.S)]
    assert entries[0] == "Text of the resolution" and 'href="#outcome-text"' in toc and 'id="outcome-text"' in page
    assert "Preamble" not in entries and "Operative part" not in entries
    assert "Annex: New Urban Agenda" in entries  # the annex with its first heading
    assert "Our principles and commitments" in entries and entries[-1] == "Annex: provenance of each paragraph"
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{anchor}"' in page
