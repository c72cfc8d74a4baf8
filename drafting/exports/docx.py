"""The outcome document as a Word file: styled title, numbered paragraphs, italic lead words, annex table."""
from html import unescape
from io import BytesIO

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from drafting.domain.characters import xml_safe
from drafting.domain.rendering import plain_text
from drafting.exports.annex import ANNEX_HEADINGS, annex_rows


def render(outcome):
    """The .docx file as bytes."""
    word = WordDocument()
    style = word.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    if outcome.symbol:
        symbol = word.add_paragraph(outcome.symbol)
        symbol.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph(outcome.title, style="Title")
    meta = word.add_paragraph()
    meta.add_run(outcome.meeting).bold = True
    for line in (outcome.subtitle, ", ".join(p for p in (outcome.place, outcome.date) if p)):
        if line:
            meta.add_run().add_break()
            meta.add_run(line)
    for section in outcome.sections:
        word.add_heading(section.title, level=1)
        for paragraph in section.paragraphs:
            _paragraph(word, paragraph)
    _annex(word, outcome)
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _paragraph(word, paragraph):
    lead, rest = paragraph.lead_and_rest
    out = word.add_paragraph()
    out.paragraph_format.space_after = Pt(8)
    if paragraph.label:
        out.paragraph_format.left_indent = Cm(1.5)
        out.paragraph_format.first_line_indent = Cm(-1.5)
        out.add_run(paragraph.label + "\t")
    else:
        out.paragraph_format.first_line_indent = Cm(1.0)
    if paragraph.bracketed:
        out.add_run("[")
    if lead:
        out.add_run(_plain(lead)).italic = True
    out.add_run(" " * (rest[:1] == " ") + _plain(rest))
    if paragraph.bracketed:
        out.add_run("]")


def _annex(word, outcome):
    word.add_page_break()
    word.add_heading("Annex: provenance of each paragraph", level=1)
    rows = annex_rows(outcome)
    table = word.add_table(rows=1, cols=len(ANNEX_HEADINGS))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, ANNEX_HEADINGS):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value


def _plain(text):
    """Clause Markdown as the words a reader sees (emphasis markers and entities resolved)."""
    return xml_safe(unescape(plain_text(text)))
