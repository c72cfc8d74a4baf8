"""Reading a UN text: Markdown, text pasted from a PDF or Word, or the lines of a Word file.

Pure: lines in, a ReadDocument out, with a report of what was recognised (counts per kind) and of
every line that was not understood, by line number. Nothing is dropped without a line in the report.
"""
import re
from dataclasses import dataclass, field

from drafting.domain import un_text
from drafting.domain.numbering import LATIN
from drafting.domain.outcome import split_lead, wraps_whole

LATIN_RE = "|".join(LATIN)
# "12.", "12 bis.", "12 Alt 2.", "12 alt.", "[12. …]", "1.\t" (tabs are made spaces first), "PP3.", "OP 4."
NUMBERED = re.compile(
    rf"^(?P<open>\[)?(?:(?P<kind>PP|OP) ?)?(?P<number>\d{{1,4}})(?: (?P<latin>{LATIN_RE}))?"
    rf"(?: [Aa]lt\.?(?: ?(?P<alt>\d+))?)?\.(?:\s+|$)(?P<rest>.*)\Z", re.DOTALL)
ALT_ONLY = re.compile(r"^(?P<open>\[)?Alt (?P<alt>\d+)\.\s+(?P<rest>.*)\Z", re.DOTALL)
SUB = re.compile(r"^\((?:[a-z]{1,3}|[ivxlc]{1,6})\)\s")
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<id>[A-Za-z0-9_-]{1,20})\]:\s*(?P<text>.*)\Z", re.DOTALL)
HEADING_MD = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
ANNEX = re.compile(r"^(?:\*\*)?(?P<annex>(?:ANNEX|Annex)(?: [IVXLC]+| \d+)?)(?:\*\*)?$")
FORMULA = re.compile(r"^\*?(?P<formula>(?:The|We,?) [^.;:]{3,150}?)\*?\s?,\*?$")
CLOSING_MEETING = re.compile(r"^\*?(?P<meeting>\d+(?:st|nd|rd|th) (?:plenary |closing )?meeting)\*?$", re.IGNORECASE)
DATE = re.compile(r"^\*?(?:(?P<place>[A-Z][A-Za-z .'-]+), )?(?P<day>\d{1,2}) (?P<month>January|February|March|"
                  r"April|May|June|July|August|September|October|November|December) (?P<year>\d{4})\*?$")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SYMBOL = re.compile(r"^(?P<symbol>(?:A|E|S|UNEP|HSP|ST|E/CN\.\d+|A/C\.\d)(?:/[A-Z0-9.\-]+)+)\*?$")
META_MD = re.compile(r"^\*\*(?P<key>[A-Za-z ]+):\*\*\s*(?P<value>.*)$")
DISTR = re.compile(r"^Distr\.?:?\s*(?P<value>General|Limited|Restricted|GENERAL|LIMITED|RESTRICTED)?$")
ORIGINAL = re.compile(r"^(?:Original|ORIGINAL): (?P<value>[A-Za-z]+)$")
SESSION = re.compile(r"^(?P<value>[A-Z][a-z]+(?:-[a-z]+)? (?:special |regular )?session)$")
AGENDA = re.compile(r"^(?P<value>(?:Agenda item|Item) [\w ()]+(?: of the (?:provisional )?agenda)?\*?)$")
BODIES = ("General Assembly", "Security Council", "Economic and Social Council", "Human Rights Council",
          "Commission on Population and Development", "Commission on the Status of Women",
          "Commission for Social Development", "Commission on Sustainable Development")
FURNITURE = re.compile(r"^(?:\d{1,3}/\d{1,3}|\d{2}-\d{5}\*?(?: \(E\))?.*|\*\d{7}\*|Please recycle|United Nations|"
                       r"UNITED NATIONS)$")
SEPARATOR = re.compile(r"^_{5,}$")
RESOLUTION_NUMBER = re.compile(r"^(?P<number>\d{1,3}/\d{1,4})\.\s+(?P<title>.+)$")


@dataclass
class Line:
    number: int  # 1-based, in the source
    text: str
    heading: int | None = None  # a Word heading style's level (1 = the title)
    label: str = ""  # a Word numbering label ("1.", "(a)") not in the text
    continued: bool = False  # indented four spaces in Markdown: a further block of the paragraph before


@dataclass
class ReadSection:
    title: str
    kind: str = "custom"  # preamble | operative | custom
    level: int = 1
    annex: str = ""
    style: str = ""
    number_from: int | None = None


@dataclass
class ReadParagraph:
    section: int  # index into sections
    kind: str  # PP | OP
    text: str
    line: int
    number: str = ""  # as in the source
    bracketed: bool = False
    late: bool = False
    alternative: bool = False


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    not_understood: list = field(default_factory=list)  # [(line, text, why)]
    notes: list = field(default_factory=list)  # [(line, what was done)]

    def count(self, kind, n=1):
        self.counts[kind] = self.counts.get(kind, 0) + n

    def as_dict(self):
        return {"counts": dict(self.counts),
                "not_understood": [{"line": n, "text": t[:200], "why": w} for n, t, w in self.not_understood],
                "notes": [{"line": n, "note": t} for n, t in self.notes]}


@dataclass
class ReadDocument:
    title: str = ""
    meta: dict = field(default_factory=dict)  # Document columns: symbol, style, formula, issuing_body …
    sections: list = field(default_factory=list)
    paragraphs: list = field(default_factory=list)
    footnotes: dict = field(default_factory=dict)  # id -> text, not yet attached
    report: Report = field(default_factory=Report)


def lines_of_text(text):
    """Markdown or pasted text as logical lines: a paragraph's wrapped lines are joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u200b", "")
    out, current, start = [], [], 0
    raw = text.split("\n")
    indented = False

    def flush():
        if current:
            out.append(Line(start, _join(current), continued=indented))
            current.clear()

    separate = False  # the line before was a heading of its own: a heading may follow it
    clean = [re.sub(r"[ \t]+", " ", line.replace("\t", " ")).strip() for line in raw]
    for index, stripped in enumerate(clean, 1):
        if not stripped:
            flush()
            continue
        following = next((c for c in clean[index:] if c), "")
        if plain_heading(stripped) and (NUMBERED.match(following) or plain_heading(following)) \
                and (not current or current[-1].endswith((".", ";", ":", ",")) or separate):
            flush()
            out.append(Line(index, stripped))
            separate = True
            continue
        separate = stands_alone(stripped) and not FURNITURE.match(stripped)
        opens = bool(NUMBERED.match(stripped) or ALT_ONLY.match(stripped) or SUB.match(stripped)
                     or FOOTNOTE_DEF.match(stripped) or HEADING_MD.match(stripped) or META_MD.match(stripped)
                     or SEPARATOR.match(stripped))
        ends = bool(current) and (stands_alone(current[-1]) or stands_alone(stripped))
        if current and (opens or ends) and not _label_only(current):
            flush()
        if not current:
            start = index
            indented = raw[index - 1].startswith("    ") and bool(out)
        current.append(stripped)
    flush()
    return out


def plain_heading(text):
    """A heading in text without markup: short, capitalised, and without the punctuation that ends a paragraph."""
    return (0 < len(text) < 120 and text[0].isupper() and not text.rstrip("]").endswith((".", ",", ";", ":"))
            and not text.endswith("]")
            and not NUMBERED.match(text) and not SUB.match(text) and not stands_alone(text))


def _label_only(current):
    """A number alone on its line ("7." in text from a PDF): its paragraph follows on the next line."""
    return len(current) == 1 and bool(re.fullmatch(r"\[?(?:(?:PP|OP) ?)?\d{1,4}\.|\((?:[a-z]{1,3})\)", current[0]))


def stands_alone(line):
    """Masthead and closing lines are lines of their own even without a blank line around them."""
    return bool(SYMBOL.match(line) or DISTR.match(line) or RESOLUTION_NUMBER.match(line)
                or re.match(r"^(?:Resolution adopted by|\[without reference|\[on the report)", line) or ORIGINAL.match(line) or SESSION.match(line)
                or AGENDA.match(line) or CLOSING_MEETING.match(line) or DATE.match(line) or ANNEX.match(line)
                or FURNITURE.match(line) or FORMULA.match(line) or SEPARATOR.match(line) or line in BODIES)


def _join(lines):
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].islower():
            text = text[:-1] + line
        else:
            text += " " + line
    return text


def read(lines, style_hint=None):
    """A ReadDocument from logical lines."""
    doc = ReadDocument()
    reader = _Reader(doc)
    for line in lines:
        reader.line(line)
    reader.finish()
    if style_hint:
        doc.meta["style"] = style_hint
    return doc


class _Reader:
    def __init__(self, doc):
        self.doc = doc
        self.report = doc.report
        self.part = ""
        self.section = None
        self.last = None  # the paragraph being read
        self.expected = {}  # part -> next operative number
        self.in_body = False  # past the masthead: the formula or a first paragraph was read
        self.after_operative = False
        self.in_footnotes = False
        self.pending_title = []  # unrecognised masthead lines: the last is the title
        self.closing_seen = False

    # --- the masthead ----------------------------------------------------------------------------------

    def _masthead(self, line, text):
        meta, report = self.doc.meta, self.report
        md = META_MD.match(text)
        if md:
            key, value = md.group("key").strip().lower(), md.group("value").strip()
            names = {"symbol": "symbol", "issued by": "issuing_body", "session": "session",
                     "agenda item": "agenda_item", "distribution": "distribution", "original": "original_language",
                     "style": "style", "meeting": "meeting", "place and date": "place_and_date", "date": "issued_on"}
            if key in names:
                meta[names[key]] = _iso(value) if key == "date" else value
                report.count("masthead")
                return True
        for pattern, key in ((DISTR, "distribution"), (ORIGINAL, "original_language"), (SESSION, "session"),
                             (AGENDA, "agenda_item")):
            match = pattern.match(text)
            if match:
                value = (match.group("value") or "").strip().rstrip("*")
                if key == "distribution":
                    value = value.capitalize() or meta.get("distribution", "")
                elif key == "original_language":
                    value = value.capitalize()
                if value:
                    meta[key] = value
                report.count("masthead")
                return True
        if text.upper() in ("LIMITED", "GENERAL") and "distribution" not in meta:
            meta["distribution"] = text.capitalize()
            report.count("masthead")
            return True
        symbol = SYMBOL.match(text)
        if symbol:
            if not meta.get("symbol"):
                meta["symbol"] = symbol.group("symbol")
                report.count("masthead")
            else:
                report.count("page furniture")
            return True
        if text in BODIES or text.title() in BODIES:
            meta.setdefault("issuing_body", text if text in BODIES else text.title())
            report.count("masthead")
            return True
        date = DATE.match(text)
        if date and not meta.get("issued_on"):
            meta["issued_on"] = _iso(text)
            report.count("masthead")
            return True
        adopted = re.match(r"^Resolution adopted by the (?P<body>.+?) on (?P<date>\d{1,2} \w+ \d{4})$", text)
        if adopted:
            meta.setdefault("issuing_body", adopted.group("body"))
            meta.setdefault("closing_date", _iso(adopted.group("date")))
            report.notes.append((line.number, f"adopted on {adopted.group('date')}"))
            report.count("masthead")
            return True
        if re.match(r"^\[(?:without reference to a Main Committee|on the report of the .+)\s?\(?[^)]*\)?\]$", text):
            report.notes.append((line.number, "reference to the Main Committee kept as a note: " + text))
            report.count("masthead")
            return True
        number = RESOLUTION_NUMBER.match(text)
        if number:
            self.doc.title = number.group("title")
            meta["resolution_number"] = number.group("number")
            report.count("title")
            return True
        return False

    # --- each line -------------------------------------------------------------------------------------

    def line(self, line):
        text = line.text.strip()
        report = self.report
        if line.label:
            text = f"{line.label} {text}"
        if not text:
            return
        if FURNITURE.match(text) or (self.in_body and self.doc.meta.get("symbol")
                                     and text.rstrip("*") == self.doc.meta["symbol"]):
            report.count("page furniture")
            report.notes.append((line.number, f"page furniture skipped: {text[:60]}"))
            return
        if self.in_body and self.doc.title and text == self.doc.title and self.last is not None \
                and not line.heading:
            report.count("page furniture")
            report.notes.append((line.number, f"running title skipped: {text[:60]}"))
            return
        if SEPARATOR.match(text):
            self.in_footnotes = True
            return
        definition = FOOTNOTE_DEF.match(text)
        if definition:
            self.doc.footnotes[definition.group("id")] = definition.group("text").strip()
            self._attach_note(definition.group("id"), definition.group("text").strip(), line)
            return
        if self.in_footnotes:
            plain = re.match(r"^(?P<id>\d{1,3})\s+(?P<text>.+)$", text)
            if plain and self._place_plain_footnote(plain.group("id"), plain.group("text"), line):
                return
            if re.match(r"^\*?\s?Reissued for technical reasons", text):
                report.notes.append((line.number, text))
                report.count("masthead")
                return
            self.in_footnotes = False
        heading = HEADING_MD.match(text)
        level = line.heading
        if heading:
            level, text = len(heading.group("hashes")), heading.group("text")
        annex = ANNEX.match(text)
        if annex and (self.in_body or level):
            self._annex(annex.group("annex"), line)
            return
        if level == 1 and not self.doc.title:
            self.doc.title = text
            report.count("title")
            return
        if level:
            self._heading(text, max(1, min(level - 1, 4)), line)
            return
        if not self.in_body:
            if self._masthead(line, text):
                return
        formula = FORMULA.match(text)
        if formula and self.last is None or (formula and self.part and self._part_empty()):
            self._formula(formula.group("formula").strip().rstrip(" *") + ",", line)
            return
        closing = CLOSING_MEETING.match(text)
        if closing and self.in_body:
            self.doc.meta["closing_meeting"] = closing.group("meeting")
            self.closing_seen = True
            report.count("closing formula")
            return
        date = DATE.match(text)
        if date and self.in_body and (self.closing_seen or self.after_operative):
            self.doc.meta["closing_date"] = _iso(text)
            if date.group("place"):
                self.doc.meta["closing_place"] = date.group("place")
            if not self.closing_seen:
                report.count("closing formula")
            self.closing_seen = True
            return
        if not self.in_body and not (NUMBERED.match(text) or SUB.match(text)) and self._title_like(text):
            self.pending_title.append((line.number, text))
            return
        if self.in_body and plain_heading(text) and not line.continued:
            roman = re.match(r"^(?P<n>[IVX]+|[A-H])\.\s+(?P<title>.+)$", text)
            self._heading(text, 2 if roman and len(roman.group("n")) == 1 and roman.group("n") in "ABCDEFGH" else 1,
                          line)
            return
        self._paragraph(text, line)

    def _title_like(self, text):
        bare = text.rstrip("]").rstrip()
        return len(text) < 200 and not bare.endswith((",", ";", ".")) and not text.startswith(("[", "*"))

    def _part_empty(self):
        return not any(p.section >= 0 and self.doc.sections[p.section].annex == self.part
                       for p in self.doc.paragraphs)

    def _enter_body(self):
        if self.in_body:
            return
        self.in_body = True
        if self.pending_title:
            *others, (number, title) = self.pending_title
            if not self.doc.title:
                self.doc.title = title
                self.report.count("title")
            else:
                others.append((number, title))
            for n, text in others:
                self.report.not_understood.append((n, text, "a line of the masthead that is none of symbol, "
                                                   "body, distribution, date, original, session or agenda item"))
            self.pending_title = []

    def _formula(self, formula, line):
        self._enter_body()
        if self.part:
            self.report.notes.append((line.number, f"formula of {self.part} kept as its first paragraph"))
            self._paragraph(formula, line, force_kind="PP")
            return
        self.doc.meta["formula"] = formula
        self.report.count("formula")

    def _annex(self, label, line):
        self._enter_body()
        self.part = label
        self.section = None
        self.last = None
        self.after_operative = False
        self.report.count("annexes")

    def _heading(self, text, level, line):
        self._enter_body()
        kind = {"preamble": "preamble", "operative part": "operative"}.get(text.lower(), "custom")
        self.doc.sections.append(ReadSection(title=text, kind=kind, level=level, annex=self.part))
        self.section = len(self.doc.sections) - 1
        if kind == "custom":
            self.report.count(f"headings, level {level}")
        self.last = None if kind == "custom" else self.last

    def _current_section(self, kind):
        """The section a paragraph of this kind goes into, opening the body's default ones as needed."""
        if self.section is not None:
            current = self.doc.sections[self.section]
            if not (current.kind == "preamble" and kind == "OP" and not self.part):
                return self.section
        title, section_kind = ("Preamble", "preamble") if kind == "PP" else ("Operative part", "operative")
        if self.part:
            title, section_kind = "", "custom"
        self.doc.sections.append(ReadSection(title=title, kind=section_kind, annex=self.part))
        self.section = len(self.doc.sections) - 1
        return self.section

    def _paragraph(self, text, line, force_kind=None):
        self._enter_body()
        report = self.report
        if line.continued and self.last is not None and not SUB.match(text):
            self.last.text += "\n\n" + text
            report.count("continuation blocks")
            return
        if SUB.match(text):
            if self.last is None:
                report.not_understood.append((line.number, text, "a sub-paragraph with no paragraph before it"))
                return
            self.last.text += "\n\n" + text
            report.count("sub-paragraphs")
            return
        match, alt_only = NUMBERED.match(text), ALT_ONLY.match(text)
        number, latin, alt, kind, body, opened = "", None, None, force_kind, text, False
        if match:
            number, latin, alt = match.group("number"), match.group("latin"), match.group("alt")
            kind = match.group("kind") or "OP"
            body, opened = match.group("rest"), bool(match.group("open"))
            if re.search(r" [Aa]lt\.?(?: ?\d+)?\.", text[:20]) and alt is None:
                alt = "2"
        elif alt_only:
            alt, body, opened, kind = alt_only.group("alt"), alt_only.group("rest"), bool(alt_only.group("open")), "OP"
            number = self.last.number if self.last else ""
        kind = kind or ("OP" if self.after_operative else "PP")
        if not match and not alt_only and self.last is not None and self.after_operative:
            self.last.text += "\n\n" + text
            report.notes.append((line.number, f"unnumbered text joined to paragraph {self.last.number or '(preambular)'}"))
            report.count("continuation blocks")
            return
        if opened:
            body = "[" + body
        bracketed = wraps_whole(body)
        if bracketed:
            body = body.strip()[1:-1]
            report.count("bracketed paragraphs")
        if body.startswith("*"):
            lead = re.match(r"^\*(?P<lead>[A-Za-z][^*\n]*)\*(?!\*)", body)
            if lead and split_lead(lead.group("lead") + body[lead.end():])[0] == lead.group("lead"):
                body = lead.group("lead") + body[lead.end():]  # the lead words the renderer finds itself
        if not body.strip():
            report.not_understood.append((line.number, text, "a paragraph number with no text"))
            return
        alternative = bool(alt and int(alt) > 1)
        section = self._current_section(kind)
        if kind == "OP" and number and not latin and not alternative:
            section = self._check_number(int(number), section, line)
        paragraph = ReadParagraph(section=section, kind=kind, text=body, line=line.number, number=number,
                                  bracketed=bracketed, late=bool(latin), alternative=alternative)
        self.doc.paragraphs.append(paragraph)
        self.last = paragraph
        if kind == "OP":
            self.after_operative = True
        report.count("alternatives" if alternative else ("operative paragraphs" if kind == "OP"
                                                        else "preambular paragraphs"))
        if latin:
            report.count("late paragraphs (bis, ter …)")

    def _check_number(self, number, section, line):
        expected = self.expected.get(self.part, 1)
        current = self.doc.sections[section]
        first_in_section = not any(p.section == section and p.kind == "OP" for p in self.doc.paragraphs)
        if number != expected:
            if not first_in_section:
                # A gap inside a section (an excerpt): an untitled section goes on from the source's number.
                self.doc.sections.append(ReadSection(title="", kind="custom", level=current.level,
                                                     annex=self.part))
                section = self.section = len(self.doc.sections) - 1
                current = self.doc.sections[section]
            current.number_from = number
            self.report.notes.append((line.number, f"numbered {number} as in the source ({expected} was next)"))
        self.expected[self.part] = number + 1
        return section

    def _attach_note(self, fid, text, line):
        for paragraph in reversed(self.doc.paragraphs):
            if f"[^{fid}]" in paragraph.text and f"[^{fid}]:" not in paragraph.text:
                paragraph.text += f"\n\n[^{fid}]: {text}"
                self.report.count("footnotes")
                return
        self.doc.footnotes[fid] = text  # placed when its reference comes, or reported at the end

    def _place_plain_footnote(self, fid, text, line):
        """A footnote from a PDF: its marker is the number left in the text after a word."""
        pattern = re.compile(rf"(?<=[A-Za-z.,;:”’)])\s?{fid}(?=[\s,.;:]|$)")
        for paragraph in self.doc.paragraphs[-40:]:
            if pattern.search(paragraph.text):
                paragraph.text = pattern.sub(f"[^{fid}]", paragraph.text, count=1) + f"\n\n[^{fid}]: {text}"
                self.report.count("footnotes")
                self.report.notes.append((line.number, f"footnote {fid} placed in the paragraph of line "
                                          f"{paragraph.line}"))
                return True
        self.report.not_understood.append((line.number, f"{fid} {text}", "a footnote whose marker was not found"))
        return True

    def _brackets_over_blocks(self, paragraph):
        """A paragraph of several blocks is bracketed when its brackets open the first and close the last."""
        blocks = un_text.split_blocks(paragraph.text)
        text_blocks = [i for i, b in enumerate(blocks) if not FOOTNOTE_DEF.match(b)]
        if paragraph.bracketed or len(text_blocks) < 2:
            return
        body = "\n\n".join(blocks[i] for i in text_blocks)
        if wraps_whole(body):
            blocks[text_blocks[0]] = blocks[text_blocks[0]][1:]
            blocks[text_blocks[-1]] = blocks[text_blocks[-1]][:-1]
            first = blocks[text_blocks[0]]
            lead = re.match(r"^\*(?P<lead>[A-Za-z][^*\n]*)\*(?!\*)", first)
            if lead and split_lead(lead.group("lead") + first[lead.end():])[0] == lead.group("lead"):
                blocks[text_blocks[0]] = lead.group("lead") + first[lead.end():]
            paragraph.text = "\n\n".join(blocks)
            paragraph.bracketed = True
            self.report.count("bracketed paragraphs")

    def finish(self):
        self._enter_body()
        doc = self.doc
        for paragraph in doc.paragraphs:
            self._brackets_over_blocks(paragraph)
        for fid, text in list(doc.footnotes.items()):
            placed = any(f"[^{fid}]:" in p.text for p in doc.paragraphs)
            if not placed:
                owner = next((p for p in doc.paragraphs if f"[^{fid}]" in p.text), None)
                if owner:
                    owner.text += f"\n\n[^{fid}]: {text}"
                    self.report.count("footnotes")
                else:
                    self.report.not_understood.append((0, f"[^{fid}]: {text}", "a footnote that no paragraph refers to"))
        for paragraph in doc.paragraphs:
            for problem in un_text.problems(un_text.parse(paragraph.text)):
                self.report.not_understood.append((paragraph.line, paragraph.text[:80], problem))
        _decide_styles(doc)
        if not doc.paragraphs:
            self.report.not_understood.append((0, "", "no paragraphs: each paragraph is a block of text, "
                                               "separated by a blank line or opening with its number"))


def _decide_styles(doc):
    """Declaration style where a part's paragraphs are all numbered and speak as "We" (no italic lead words)."""
    parts = {}
    for p in doc.paragraphs:
        parts.setdefault(doc.sections[p.section].annex, []).append(p)
    for part, paragraphs in parts.items():
        we = sum(1 for p in paragraphs if re.match(r"^(We\b|The New Urban Agenda|Our\b)", p.text))
        declaration = all(p.kind == "OP" for p in paragraphs) and we * 2 >= len(paragraphs)
        style = "declaration" if declaration else "resolution"
        if part == "":
            doc.meta.setdefault("style", style)
        else:
            for section in doc.sections:
                if section.annex == part:
                    section.style = style
        doc.report.counts.setdefault("style", {})
        doc.report.counts["style"][part or "body"] = style


def _iso(text):
    match = DATE.match(text.strip()) if text else None
    if not match:
        return text if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or "") else ""
    return f"{match.group('year')}-{MONTHS.index(match.group('month')) + 1:02d}-{int(match.group('day')):02d}"
