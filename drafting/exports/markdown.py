"""The outcome text as Markdown, and the same Markdown read back into paragraphs.

The format, which `parse` reads and `render` writes:

    # Title
    **Symbol:** … / **Meeting:** … / **Place and date:** …   (title block lines)
    ## Section heading
    *Recalling* the …,                                         (a preambular paragraph)
    7 bis. [*Recommends* that …;]                              (an operative paragraph, not agreed)
        a further paragraph of the same clause, indented four spaces
"""
import re
from dataclasses import dataclass

from drafting.domain import characters, un_text
from drafting.domain.outcome import wraps_whole

LABEL = re.compile(r"^(?:(?P<number>\d+(?: [a-z]+)?)(?: Alt (?P<alt_n>\d+))?|Alt (?P<alt>\d+))\. (?P<text>.*)\Z", re.S)
LEAD = re.compile(r"^\*(?P<lead>[A-Za-z][^*\n]*)\*")
BLOCK_LINES = ("**Symbol:**", "**Meeting:**", "**Place and date:**")
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def paragraph_text(paragraph):
    """One paragraph as it reads in the outcome: label, italic lead words, brackets, sub-paragraphs, notes."""
    lead, rest = paragraph.lead_and_rest
    body = characters.escape_heading_lines(f"*{lead}*{rest}" if lead else rest)
    body = un_text.renumber_footnotes(body, paragraph.notes) if paragraph.notes else body
    blocks = un_text.split_blocks(body)
    if paragraph.bracketed:
        # The brackets close over the text, before any footnote's definition.
        text_blocks = [i for i, b in enumerate(blocks) if not un_text.FOOTNOTE_DEF.match(b)]
        if text_blocks:
            blocks[text_blocks[0]] = "[" + blocks[text_blocks[0]]
            blocks[text_blocks[-1]] += "]"
    first, *more = blocks or [""]
    lines = [f"{paragraph.label} {first}" if paragraph.label else first]
    lines += ["\n".join("    " + line for line in block.split("\n")) for block in more]
    return "\n\n".join(lines)


def _formula(formula):
    words = formula.rstrip().rstrip(",")
    return f"*{words}*," if words else ""


def render(outcome):
    """The outcome text as Markdown (masthead, formula, headings, paragraphs, closing formula, annexes)."""
    out = [f"# {outcome.title}", ""]
    block = []
    for label, value in (("Symbol", outcome.symbol), ("Issued by", outcome.issuing_body if outcome.issuing_body != outcome.meeting else ""),
                         ("Session", outcome.session), ("Agenda item", outcome.agenda_item),
                         ("Distribution", outcome.distribution if outcome.distribution != "General" else ""),
                         ("Date", outcome.issued_on),
                         ("Original", outcome.original_language if outcome.original_language != "English" else ""),
                         ("Style", outcome.style if outcome.style != "resolution" else "")):
        if value:
            block.append(f"**{label}:** {value}")
    block.append(f"**Meeting:** {outcome.meeting}")
    place_date = ", ".join(p for p in (outcome.place, outcome.date) if p)
    if place_date:
        block.append(f"**Place and date:** {place_date}")
    out += ["  \n".join(block), ""]
    if outcome.formula:
        out += [_formula(outcome.formula), ""]
    for annex, sections in outcome.parts:
        if annex:
            out += [f"# {annex}", ""]
        for section in sections:
            if section.show_heading:
                out += ["#" * (section.level + 1) + " " + section.title, ""]
            elif section.kind == "custom" and not section.title:
                pass
            elif not annex and section.title.lower() not in ("preamble", "operative part"):
                out += [f"## {section.title}", ""]
            for paragraph in section.paragraphs:
                out += [paragraph_text(paragraph), ""]
        if not annex and outcome.closing:
            closing = [f"*{outcome.closing.meeting}*"] if outcome.closing.meeting else []
            place_date = ", ".join(p for p in (outcome.closing.place, outcome.closing.date) if p)
            closing += [f"*{place_date}*"] if place_date else []
            out += ["  \n".join(closing), ""]
    return "\n".join(out).rstrip("\n") + "\n"


@dataclass
class ParsedParagraph:
    section: str
    kind: str  # PP or OP
    text: str
    bracketed: bool
    late: bool
    alternative: bool  # Alt 2, Alt 3 …: an alternative to the paragraph before


@dataclass
class ParsedDocument:
    title: str
    symbol: str
    paragraphs: list

    @property
    def sections(self):
        return list(dict.fromkeys(p.section for p in self.paragraphs))


def parse(text):
    """Read outcome Markdown into a ParsedDocument. Pure: raises ValueError on what it cannot read."""
    title, symbol, section = "", "", None
    raw = []  # [section, text with its label], continuation blocks joined on
    for block in BLANK_LINE.split(text.replace("\r\n", "\n").strip()):
        if not block.strip():
            continue
        if block.startswith("    ") and raw:
            raw[-1][1] += "\n\n" + "\n".join(line[4:] if line.startswith("    ") else line.strip()
                                              for line in block.split("\n"))
            continue
        block = block.strip()
        if block.startswith("# ") and not title and "\n" not in block:
            title = block[2:].strip()
            continue
        if block.startswith("## ") and "\n" not in block:
            section = block[3:].strip()
            continue
        if block.startswith("#"):
            continue
        if block.startswith(BLOCK_LINES):
            for line in block.split("\n"):
                if line.startswith("**Symbol:**"):
                    symbol = line[len("**Symbol:**"):].strip()
            continue
        raw.append([section, block])
    paragraphs = [_paragraph(block, section) for section, block in raw]
    if not paragraphs:
        raise ValueError("The file has no paragraphs: write each paragraph as a block of text "
                         "separated by a blank line.")
    return ParsedDocument(title=title, symbol=symbol, paragraphs=paragraphs)


def _paragraph(block, section):
    match = LABEL.match(block)
    number, alt, body = None, None, block
    if match:
        number = match.group("number")
        alt = match.group("alt_n") or match.group("alt")
        body = match.group("text")
    bracketed = wraps_whole(body)
    if bracketed:
        body = body.strip()[1:-1]
    lead = LEAD.match(body)
    if lead:
        body = lead.group("lead") + body[lead.end():]
    kind = "OP" if number else "PP"
    return ParsedParagraph(
        section=section or ("Operative part" if kind == "OP" else "Preamble"), kind=kind, text=body,
        bracketed=bracketed, late=bool(number and " " in number),
        alternative=bool(alt and int(alt) > 1))
