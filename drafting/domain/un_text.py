"""The structure inside a UN paragraph's text: lettered sub-paragraphs and footnotes.

A clause's text is one string that edits, diffs, anchors and votes work on; its structure is read
from it, never stored beside it, so every path that changes the text keeps the structure:

    *We envisage* cities and human settlements that:[^12]

    (a) Fulfil their social function …;

    (i) Reinvigorating long-term and integrated urban and territorial planning …;

    [^12]: See resolution 55/2.

Blocks are separated by blank lines (or start on a line of their own with a label): a block that
opens with "(a)", "(b)" … is a sub-paragraph, "(i)", "(ii)" … one level deeper under a letter.
`[^id]` marks a footnote; `[^id]: text` defines it. Pure: no flask, no database.
"""
import re
from dataclasses import dataclass

SUB_LABEL = re.compile(r"^\((?P<label>[a-z]{1,3}|[ivxlc]{1,6})\)[ \t]+")
FOOTNOTE_REF = re.compile(r"\[\^(?P<id>[A-Za-z0-9_-]{1,20})\](?!:)")
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<id>[A-Za-z0-9_-]{1,20})\]:[ \t]*(?P<text>.*)\Z", re.DOTALL)
ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


@dataclass(frozen=True)
class Block:
    text: str
    label: str = ""  # "a", "ii" … for a sub-paragraph; "" for the paragraph's own text
    level: int = 0  # 0 the paragraph's text, 1 a lettered sub-paragraph, 2 a roman one under it

    @property
    def shown_label(self):
        return f"({self.label})" if self.label else ""


@dataclass(frozen=True)
class Structure:
    blocks: tuple  # Block, in order
    footnotes: tuple  # (id, text), in order of definition

    @property
    def references(self):
        """Footnote ids in the order the text refers to them (each once)."""
        seen = []
        for block in self.blocks:
            for match in FOOTNOTE_REF.finditer(block.text):
                if match.group("id") not in seen:
                    seen.append(match.group("id"))
        return seen

    @property
    def subparagraphs(self):
        return [b for b in self.blocks if b.level]

    @property
    def intro(self):
        return self.blocks[0].text if self.blocks and not self.blocks[0].level else ""


EXPLICIT_LEAD = re.compile(r"^\*(?P<lead>[A-Za-z][^*\n]*)\*(?!\*)")


def lead_of(text, split):
    """(lead words, rest): an italic run written at the start of the text, else what `split` finds."""
    explicit = EXPLICIT_LEAD.match(text)
    if explicit:
        return explicit.group("lead"), text[explicit.end():]
    return split(text)


def _is_roman(label, previous_letter):
    """(i) is roman unless it follows (h) as the next letter; likewise (v) after (u), (x) after (w)."""
    if not ROMAN.match(label):
        return False
    if previous_letter and len(label) == 1 and len(previous_letter) == 1 \
            and ord(label) == ord(previous_letter) + 1:
        return False
    return True


def split_blocks(text):
    """The text's blocks: split at blank lines and before any line that opens with a label."""
    blocks, current = [], []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        starts = bool(SUB_LABEL.match(line.strip()) or FOOTNOTE_DEF.match(line.strip()))
        if not line.strip() or (starts and current):
            if current:
                blocks.append("\n".join(current).strip())
            current = [] if not line.strip() else [line.strip()]
            continue
        current.append(line.strip() if not current else line.rstrip())
    if current:
        blocks.append("\n".join(current).strip())
    return [b for b in blocks if b]


def parse(text):
    """The Structure of a paragraph's text."""
    blocks, footnotes = [], []
    previous_letter = ""
    for raw in split_blocks(text):
        definition = FOOTNOTE_DEF.match(raw)
        if definition:
            footnotes.append((definition.group("id"), definition.group("text").strip()))
            continue
        label = SUB_LABEL.match(raw)
        if label:
            name = label.group("label")
            roman = _is_roman(name, previous_letter)
            level = 2 if roman and previous_letter else 1
            if not roman:
                previous_letter = name
            blocks.append(Block(text=raw[label.end():], label=name, level=level))
            continue
        blocks.append(Block(text=raw))
    return Structure(blocks=tuple(blocks), footnotes=tuple(footnotes))


def compose(structure):
    """The text again from a Structure (parse and compose are inverse up to spacing)."""
    parts = [f"({b.label}) {b.text}" if b.label else b.text for b in structure.blocks]
    parts += [f"[^{fid}]: {note}" for fid, note in structure.footnotes]
    return "\n\n".join(parts)


def renumber_footnotes(text, numbers):
    """The text with its footnote ids replaced by their numbers in the document ({id: n})."""
    def ref(match):
        return f"[^{numbers.get(match.group('id'), match.group('id'))}]"

    def definition(match):
        return f"[^{numbers.get(match.group('id'), match.group('id'))}]:"

    text = re.sub(r"(?m)^\[\^(?P<id>[A-Za-z0-9_-]{1,20})\]:", definition, text)
    return FOOTNOTE_REF.sub(ref, text)


def without_footnote_markers(text):
    return FOOTNOTE_REF.sub("", text)


def has_open_brackets(text):
    """True when square brackets remain in the text once footnote markers are set aside."""
    return "[" in without_footnote_markers(text) or "]" in without_footnote_markers(text)


def problems(structure):
    """What is wrong in a paragraph's structure, as sentences (empty when nothing is)."""
    found = []
    defined = [fid for fid, _ in structure.footnotes]
    for fid in structure.references:
        if fid not in defined:
            found.append(f"footnote [^{fid}] is referred to but not defined")
    for fid in defined:
        if fid not in structure.references:
            found.append(f"footnote [^{fid}] is defined but not referred to")
    return found


class FootnoteCounter:
    """Numbers footnotes 1, 2, … across a document in the order the text refers to them."""

    def __init__(self):
        self.count = 0
        self.notes = []  # (number, text)

    def number(self, structure):
        """{id: number} for one paragraph's footnotes; their texts join the document's list."""
        texts = dict(structure.footnotes)
        numbers = {}
        for fid in structure.references:
            self.count += 1
            numbers[fid] = self.count
            self.notes.append((self.count, texts.get(fid, "")))
        return numbers


_MARK = "\u2063fn{}\u2063"
_MARK_RE = re.compile("\u2063fn(\\d+)\u2063")


def render_block(text, notes, italic_lead="", note_texts=None):
    """One block as safe inline HTML: Markdown through rendering.py, footnote markers as superscripts.

    With `note_texts` ({number: text}) each note's text follows its marker, for print to set at the
    foot of the page.
    """
    from markupsafe import Markup, escape

    from drafting.domain.rendering import render_markdown

    marked = FOOTNOTE_REF.sub(lambda m: _MARK.format(notes.get(m.group("id"), 0)), text)
    html = str(render_markdown(marked, inline=True)) if marked.strip() else ""
    def call(match):
        number = match.group(1)
        out = f'<sup class="fn-ref"><a href="#fn-{number}" id="fnref-{number}">{number}</a></sup>'
        if note_texts is not None:
            out += f'<span class="fn-print">{render_markdown(note_texts.get(int(number), ""), inline=True)}</span>'
        return out

    html = _MARK_RE.sub(call, html)
    lead = f"<em>{escape(italic_lead)}</em>" if italic_lead else ""
    space = " " if text[:1].isspace() and html else ""
    return Markup(lead + space + html)


def inline_from_html(html, lead, rest):
    """A block's inline HTML from the HTML already rendered for its whole text, when it can be cut
    safely: one <p>, the lead words at its very start as plain text. None when it cannot."""
    from markupsafe import Markup, escape

    if not (html.startswith("<p>") and html.endswith("</p>")):
        return None
    inner = html[3:-4]
    if lead:
        escaped = str(escape(lead))
        if not inner.startswith(escaped):
            return None
        return Markup(f"<em>{escaped}</em>" + inner[len(escaped):])
    return Markup(inner)
