"""The outcome document as a Word file in UN document form.

A4; the masthead (body, symbol, distribution, date, original language, session, agenda item); the
symbol in the header of every page after the first and the page number in the footer; the formula;
italic lead words in resolution style and none in declaration style; sub-paragraphs indented; real
footnotes (Word's footnotes part); each annex on a new page with its own numbering; the closing
formula; the provenance annex laid out as text. Every paragraph is on a named style of its own
("UN Operative", "UN Subparagraph" …) so that a secretariat can restyle the whole document.
"""
import re
from html import unescape
from io import BytesIO

from docx import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from lxml import etree

from drafting.domain import un_text
from drafting.domain.characters import xml_safe
from drafting.domain.rendering import plain_text
from drafting.exports.annex import annex_rows

FONT = "Times New Roman"
INDENT = Cm(1.27)  # the UN's half inch
EMPHASIS = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*|_[^_]+_|\[\^[A-Za-z0-9_-]{1,20}\])")
STYLES = {  # name: (size, bold, italic, alignment, left indent, first line, space after)
    "UN Masthead": (10, False, False, None, 0, 0, 0),
    "UN Masthead Body": (17, True, False, None, 0, 0, 0),
    "UN Session": (10, False, False, None, 0, 0, 0),
    "UN Title": (14, True, False, None, INDENT, 0, 12),
    "UN Formula": (10, False, False, None, INDENT, INDENT, 6),
    "UN Preambular": (10, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, INDENT, INDENT, 6),
    "UN Operative": (10, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, INDENT, INDENT, 6),
    "UN Declaration": (10, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, INDENT, INDENT, 6),
    "UN Subparagraph": (10, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, INDENT, INDENT * 2, 6),
    "UN Subparagraph 2": (10, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, INDENT, INDENT * 3, 6),
    "UN Heading 1": (12, True, False, WD_ALIGN_PARAGRAPH.CENTER, INDENT, 0, 12),
    "UN Heading 2": (11, True, False, None, INDENT, 0, 6),
    "UN Heading 3": (10, True, False, None, INDENT, 0, 6),
    "UN Heading 4": (10, False, True, None, INDENT, 0, 6),
    "UN Annex Label": (12, True, False, None, 0, 0, 12),
    "UN Closing": (10, False, True, WD_ALIGN_PARAGRAPH.RIGHT, 0, 0, 0),
    "UN Footnote Text": (9, False, False, None, INDENT, 0, 0),
    "UN Provenance Heading": (12, True, False, None, 0, 0, 12),
    "UN Provenance Paragraph": (10, True, False, None, 0, 0, 2),
    "UN Provenance": (9, False, False, None, Cm(3.5), Cm(-3.0), 1),
}
# The UN resolution layout, as the PDF prints it (static/css/outcome-print.css): the text column is
# indented one step; a paragraph's first line one step more, its number in that indent and its text
# from a tab stop one step further; a sub-paragraph's label where the text above starts; every
# runover line back at the column. Tab stops are measured from the page margin.
TAB_STOPS = {"UN Operative": INDENT * 3, "UN Declaration": INDENT * 3,
             "UN Subparagraph": INDENT * 4, "UN Subparagraph 2": INDENT * 5}


def render(outcome):
    """The .docx file as bytes."""
    word = WordDocument()
    _setup(word)
    notes = _Notes(dict(outcome.footnotes))
    _masthead(word, outcome)
    if outcome.formula:
        _formula(_add(word, "UN Formula"), outcome.formula)
    for annex, sections in outcome.parts:
        if annex:
            _add(word, "UN Annex Label", annex, page_break=True)
        for section in sections:
            if section.show_heading:
                _add(word, f"UN Heading {min(section.level, 4)}", section.title)
            for paragraph in section.paragraphs:
                _paragraph(word, paragraph, notes)
        if not annex and outcome.closing:
            _closing(word, outcome)
    _provenance(word, outcome)
    notes.attach(word)
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


class _Para:
    """One Word paragraph built straight in lxml: python-docx's add_paragraph scans the whole body each time."""

    def __init__(self, anchor, style, text="", tabs=(), left=None, page_break=False, space_before=None):
        self.p = etree.Element(qn("w:p"))
        ppr = etree.SubElement(self.p, qn("w:pPr"))
        etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), STYLE_IDS.get(style, style))
        if page_break:
            etree.SubElement(ppr, qn("w:pageBreakBefore"))
        if tabs:
            container = etree.SubElement(ppr, qn("w:tabs"))
            for position, align in tabs:
                tab = etree.SubElement(container, qn("w:tab"))
                tab.set(qn("w:val"), align)
                tab.set(qn("w:pos"), str(int(position.twips if hasattr(position, "twips") else position / 635)))
        if space_before is not None:
            etree.SubElement(ppr, qn("w:spacing")).set(qn("w:before"), str(int(space_before.pt * 20)))
        if left is not None:
            etree.SubElement(ppr, qn("w:ind")).set(qn("w:left"), str(int(left / 635)))
        anchor.addprevious(self.p)
        if text:
            self.add_run(text)

    def add_run(self, text, italic=False, bold=False, superscript=False):
        run = etree.SubElement(self.p, qn("w:r"))
        if italic or bold or superscript:
            rpr = etree.SubElement(run, qn("w:rPr"))
            if bold:
                etree.SubElement(rpr, qn("w:b"))
            if italic:
                etree.SubElement(rpr, qn("w:i"))
            if superscript:
                etree.SubElement(rpr, qn("w:vertAlign")).set(qn("w:val"), "superscript")
        for index, part in enumerate(text.split("\t")):
            if index:
                etree.SubElement(run, qn("w:tab"))
            if part:
                t = etree.SubElement(run, qn("w:t"))
                t.text = xml_safe(part)  # text stored before the rule, or an entity that made a control character
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return run

    def add_break(self):
        etree.SubElement(etree.SubElement(self.p, qn("w:r")), qn("w:br"))

    def add_footnote(self, number):
        run = etree.SubElement(self.p, qn("w:r"))
        etree.SubElement(etree.SubElement(run, qn("w:rPr")), qn("w:vertAlign")).set(qn("w:val"), "superscript")
        etree.SubElement(run, qn("w:footnoteReference")).set(qn("w:id"), str(number))


def _add(word, style, text="", **options):
    anchor = getattr(word, "_un_anchor", None)
    if anchor is None:
        anchor = word._un_anchor = word.element.body.sectPr
    return _Para(anchor, style, text, **options)


STYLE_IDS = {name: name.replace(" ", "") for name in STYLES}


def _setup(word):
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name, (size, bold, italic, align, left, first, after) in STYLES.items():
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.name, style.font.size, style.font.bold, style.font.italic = FONT, Pt(size), bold, italic
        fmt = style.paragraph_format
        fmt.left_indent, fmt.first_line_indent, fmt.space_after = left, first, Pt(after)
        fmt.line_spacing = Pt(12) if size <= 10 else None
        if align is not None:
            fmt.alignment = align
        if name in TAB_STOPS:
            fmt.tab_stops.add_tab_stop(TAB_STOPS[name])
        if name.startswith("UN Heading") or name in ("UN Annex Label", "UN Provenance Heading"):
            fmt.keep_with_next = True
            level = int(name[-1]) - 1 if name[-1].isdigit() else 0
            style.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{level}"/>'))
    settings = word.settings.element
    settings.append(parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/>'
                              '</w:footnotePr>'))


def _masthead(word, outcome):
    section = word.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = outcome.symbol
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs and setattr(header.runs[0].font, "bold", True)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)
    first_footer = section.first_page_footer.paragraphs[0]
    first_footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(first_footer)
    width = section.page_width - section.left_margin - section.right_margin
    top = _add(word, "UN Masthead", tabs=[(width, "right")])
    top.add_run("United Nations\t")
    symbol = top.add_run(outcome.symbol, bold=True)
    size = etree.SubElement(symbol.find(qn("w:rPr")), qn("w:sz"))
    size.set(qn("w:val"), "28")
    _border(top, "bottom", 6)
    _add(word, "UN Masthead Body", outcome.issuing_body)
    distribution = _add(word, "UN Masthead", left=Cm(11.5))
    lines = [f"Distr.: {outcome.distribution}"] + ([outcome.issued_on] if outcome.issued_on else []) \
        + [f"Original: {outcome.original_language}"]
    for index, line in enumerate(lines):
        if index:
            distribution.add_break()
        distribution.add_run(line)
    _border(distribution, "bottom", 24)
    for line in (outcome.session, outcome.agenda_item):
        if line:
            _add(word, "UN Session", line)
    _add(word, "UN Session")
    _add(word, "UN Title", outcome.title)


def _border(paragraph, side, size):
    p_pr = paragraph.p.find(qn("w:pPr"))
    p_pr.append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{size}" w:space="2" '
                          'w:color="000000"/></w:pBdr>'))


def _page_field(paragraph):
    for xml in ('<w:r {0}><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r {0}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
                '<w:r {0}><w:fldChar w:fldCharType="separate"/></w:r>', '<w:r {0}><w:t>1</w:t></w:r>',
                '<w:r {0}><w:fldChar w:fldCharType="end"/></w:r>'):
        paragraph._p.append(parse_xml(xml.format(nsdecls("w"))))


def _formula(paragraph, formula):
    words = formula.rstrip().rstrip(",")
    paragraph.add_run(words, italic=True)
    paragraph.add_run(",")


def _paragraph(word, paragraph, notes):
    declaration = paragraph.style == "declaration"
    for index, (lead, rest, block) in enumerate(paragraph.blocks):
        if block.level:
            out = _add(word, "UN Subparagraph" if block.level == 1 else "UN Subparagraph 2")
            out.add_run(block.shown_label + "\t")
        elif index == 0:
            # The number in the first line's indent, the text from the style's tab stop, running back
            # to the column (TAB_STOPS); declaration style differs only in its italics.
            style = "UN Declaration" if declaration and paragraph.label else (
                "UN Operative" if paragraph.label else "UN Preambular")
            out = _add(word, style)
            if paragraph.label:
                out.add_run(paragraph.label + "\t")
        else:  # a further block of the paragraph: indented as a paragraph of its own, without a number
            out = _add(word, "UN Declaration" if declaration else "UN Operative")
        if index == 0 and paragraph.bracketed:
            out.add_run("[")
        if lead:
            out.add_run(lead, italic=True)
        _runs(out, rest, paragraph.notes, notes)
        if index == len(paragraph.blocks) - 1 and paragraph.bracketed:
            out.add_run("]")


def _runs(out, text, numbers, notes):
    """Clause Markdown as runs: *italic*, **bold**, footnote markers as Word footnote references."""
    for piece in EMPHASIS.split(text):
        if not piece:
            continue
        ref = un_text.FOOTNOTE_REF.fullmatch(piece)
        if ref:
            notes.reference(out, numbers.get(ref.group("id")))
        elif piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            out.add_run(_plain_keep_space(piece[2:-2]), bold=True)
        elif piece[0] in "*_" and piece[-1] == piece[0] and len(piece) > 2:
            out.add_run(_plain_keep_space(piece[1:-1]), italic=True)
        else:
            out.add_run(_plain_keep_space(piece))


def _closing(word, outcome):
    closing = outcome.closing
    first = _add(word, "UN Closing", space_before=Pt(12))
    lines = [closing.meeting] if closing.meeting else []
    lines += [", ".join(p for p in (closing.place, closing.date) if p)] if (closing.place or closing.date) else []
    for index, line in enumerate(lines):
        if index:
            first.add_break()
        first.add_run(line)


def _provenance(word, outcome):
    _add(word, "UN Provenance Heading", "Provenance of each paragraph", page_break=True)
    for paragraph, (label, authors, amendments, tally, reservations) in zip(outcome.paragraphs, annex_rows(outcome)):
        start = (paragraph.lead_and_rest[0] + paragraph.lead_and_rest[1])[:80]
        entry = _add(word, "UN Provenance Paragraph", label)
        entry.add_run(" — " + _plain_keep_space(start) + ("…" if len(paragraph.text) > 80 else ""))
        for name, value in (("Authors", authors), ("Amendments", amendments), ("Tally", tally),
                            ("Reservations", reservations)):
            line = _add(word, "UN Provenance", tabs=[(Cm(3.5), "left")])
            line.add_run(name, bold=True)
            line.add_run("\t" + value)
    if outcome.participation:
        _add(word, "UN Provenance Paragraph", "Who took part")
        for label, n in outcome.participation:
            if n:
                _add(word, "UN Provenance", f"{label}\t{n}")


class _Notes:
    """Footnotes written into Word's footnotes part, numbered as the outcome numbers them."""

    def __init__(self, notes):
        self.notes = notes  # number -> text
        self.texts = {}

    def reference(self, out, number):
        if not number:
            return
        out.add_footnote(number)
        self.texts.setdefault(number, None)

    def attach(self, word):
        if not self.texts:
            return
        body = "".join(
            f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="UNFootnoteText"/></w:pPr>'
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {_xml_escape(_plain(self.notes.get(n, "")))}</w:t></w:r></w:p></w:footnote>'
            for n in sorted(self.texts))
        xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {nsdecls("w")}>'
               '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
               '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
               f'</w:p></w:footnote>{body}</w:footnotes>')
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), word.part.package)
        word.part.relate_to(part, RT.FOOTNOTES)


def _xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text):
    """Clause Markdown as the words a reader sees (emphasis markers and entities resolved)."""
    return xml_safe(unescape(plain_text(text)))


def _plain_keep_space(text):
    """A run of clause text between emphasis markers, as it reads (no Markdown block rules applied)."""
    return xml_safe(unescape(re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r"\1", text)))
