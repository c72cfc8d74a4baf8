"""The outcome text as Markdown; exports/reading.py reads it back (with any other UN text).

The format `render` writes:

    # Title
    **Symbol:** … / **Session:** … / **Meeting:** … / **Place and date:** …   (masthead lines)
    *The General Assembly*,                                    (the formula)
    *Recalling* the …,                                         (a preambular paragraph)
    7 bis. [*Recommends* that …:                               (an operative paragraph, not agreed)
        (a) a sub-paragraph, indented four spaces as every further block of the paragraph
        [^1]: a footnote's text]
    *68th plenary meeting*  / *23 December 2016*               (the closing formula)
    # Annex                                                    (an annex, numbered from 1)
    ## Heading … ##### Heading                                 (headings at levels 1 to 4)
"""
from drafting.domain import characters, un_text


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
