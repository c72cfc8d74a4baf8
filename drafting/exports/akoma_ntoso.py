"""The outcome document as Akoma Ntoso 3.0 following AKN4UN (the UN System's guidelines).

A `statement name="resolution"` (or "declaration"), named by the AKN4UN naming convention:
/akn/un/statement/deliberation/{author}/{date}/{number}, the expression at /eng@{version date} and
the manifestation /!main.xml. Dates mean what they say: the work's date is the adoption (or, for a
draft, the day it was started), the expression's the day of this version of the text, the
manifestation's the day the file was made. The issuing body is the author (TLCOrganization), the
people who wrote, declared and reserved are TLCPerson with their TLCRole; the lifecycle records
creation, versions and adoption; the workflow the phases and declarations; the analysis each
paragraph's vote. Paragraphs carry eIds from their numbers (para_7bis, para_7_alt2), sub-paragraphs
are list/point, footnotes authorialNote, the annex an attachment with its own numbering, and
brackets and alternatives are marked with refersTo concepts a machine can read: a bracketed or
alternative paragraph on the paragraph itself, square brackets inside the text as
<inline name="bracketed" refersTo="#bracketed">, each wording of a bracketed choice ("[shall/should]")
as <inline name="alternative" refersTo="#alternative">. AKN's generic named inline is used because
no element or @status value of the vocabulary means "not agreed" (ins/del are editorial
insertions and deletions); the brackets stay in the text, so what a reader sees is unchanged.
Valid against the OASIS schema.
"""
import re

from lxml import etree

from drafting.domain import un_text
from drafting.domain.characters import xml_safe
from drafting.domain.vocabulary import SDG11_TARGETS, tag_label

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
E = "{%s}" % NS
SOURCE = "#draftingroom"
BODIES = {"General Assembly": "unga", "Security Council": "unsc", "Economic and Social Council": "ecosoc",
          "Human Rights Council": "unhrc"}
STEP_OUTCOMES = {"document.created": "created", "silence.started": "silenceStarted",
                 "silence.broken": "silenceBroken", "document.adopted": "adopted",
                 "document.published": "published", "document.renumbered": "renumbered"}
EMPHASIS = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*|\[\^[A-Za-z0-9_-]{1,20}\])")
BRACKET = re.compile(r"([\[\]])")
# A slash in brackets that is not a choice of words: a symbol (A/RES/70/1), a date, an address.
OPTION_GUARD = re.compile(r"\d|://|/\s*/")


def _el(parent, element, text=None, **attributes):
    element = etree.SubElement(parent, E + element, {k.rstrip("_"): xml_safe(str(v)) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _slug(value):
    return re.sub(r"[^a-z0-9]+", "-", (value or "").lower()).strip("-") or "x"


def _tag_id(tag):
    return "sdg-" + tag.replace(".", "-") if tag in SDG11_TARGETS else "u4ssc-" + tag.replace("_", "-")


def number_in_uri(symbol, document_id):
    """The number part of the work IRI: "71-256" for A/RES/71/256, the symbol's parts for a draft."""
    resolution = re.match(r"^[A-Z]+/RES/(\d+)/(\d+)", symbol or "")
    if resolution:
        return f"{resolution.group(1)}-{resolution.group(2)}"
    if symbol:
        return re.sub(r"[^A-Za-z0-9.]+", "-", symbol).strip("-")
    return f"draft-{document_id}"


def author_id(outcome):
    return BODIES.get(outcome.issuing_body) or _slug(outcome.issuing_body)


def para_eid(paragraph, recital_index):
    if paragraph.number:
        eid = "para_" + paragraph.number.replace(" ", "")
    else:
        eid = f"preamble__recital_{recital_index}"
    if paragraph.alt:
        eid += f"_alt{paragraph.alt}"
    return eid


def _day(stamp):
    return stamp.date().isoformat() if stamp else None


def render(outcome, base_date):
    """The XML as bytes. `base_date` (YYYY-MM-DD) is the day the file is made (the manifestation's date)."""
    root = etree.Element(E + "akomaNtoso", nsmap={None: NS})
    name = "declaration" if outcome.style == "declaration" else "resolution"
    statement = _el(root, "statement", name=name,
                    contains="originalVersion" if not outcome.versions else "singleVersion")
    people = _People()
    ids = _eids(outcome)
    meta = _el(statement, "meta")
    work = _identification(meta, outcome, base_date)
    if outcome.published_at:
        _el(meta, "publication", date=_day(outcome.published_at), name="draftingRoom",
            showAs="Published in Drafting Room")
    _lifecycle(meta, outcome)
    _workflow(meta, outcome, people, ids)
    _analysis(meta, outcome, ids)
    references = _el(meta, "references", source=SOURCE)
    _notes(meta, outcome, people, ids)
    _preface(statement, outcome)
    body_sections = next((sections for annex, sections in outcome.parts if not annex), [])
    _preamble_and_body(statement, outcome, body_sections, ids, "")
    _conclusions(statement, outcome)
    annexes = [(annex, sections) for annex, sections in outcome.parts if annex]
    if annexes:
        attachments = _el(statement, "attachments")
        for index, (annex, sections) in enumerate(annexes, 1):
            attachment = _el(attachments, "attachment", eId=f"att_{index}")
            doc = _el(attachment, "doc", name="annex")
            _annex_meta(_el(doc, "meta"), outcome, work, index, base_date)
            _el(_el(doc, "preface"), "p").append(_inline("docNumber", annex))
            body = _el(doc, "mainBody")
            _sections(body, sections, ids, outcome, f"att_{index}__")
    _references(references, outcome, people)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _inline(tag, text, **attributes):
    element = etree.Element(E + tag, {k: xml_safe(str(v)) for k, v in attributes.items()})
    element.text = xml_safe(text) if text is not None else None
    return element


def _eids(outcome):
    """{clause_id: eId}, preambular paragraphs counted per part; each annex prefixed att_N__."""
    ids, recitals, annex_index = {}, 0, 0
    for annex, sections in outcome.parts:
        prefix = ""
        if annex:
            annex_index += 1
            prefix, recitals = f"att_{annex_index}__", 0
        for paragraph in (p for s in sections for p in s.paragraphs):
            if not paragraph.number and (paragraph.alt or 1) == 1:
                recitals += 1
            ids[paragraph.clause_id] = prefix + para_eid(paragraph, recitals)
    return ids


def _identification(meta, outcome, base_date):
    identification = _el(meta, "identification", source=SOURCE)
    adopted = _day(outcome.adopted_at) if outcome.adopted else None
    work_date = adopted or outcome.closing_date_iso or _day(outcome.created_at) or base_date
    version_date = adopted or _day(outcome.changed_at) or work_date
    work = f"/akn/un/statement/deliberation/{author_id(outcome)}/{work_date}/" \
           f"{number_in_uri(outcome.symbol, outcome.document_id)}"
    expression = f"{work}/eng@{version_date}"
    frbr = _el(identification, "FRBRWork")
    _el(frbr, "FRBRthis", value=work + "/!main")
    _el(frbr, "FRBRuri", value=work)
    if outcome.symbol:
        _el(frbr, "FRBRalias", value=outcome.symbol, name="symbol")
    _el(frbr, "FRBRdate", date=work_date, name="adoption" if adopted else "draft")
    _el(frbr, "FRBRauthor", href="#" + author_id(outcome), as_="#author")
    _el(frbr, "FRBRcountry", value="un")
    _el(frbr, "FRBRsubtype", value="resolution" if outcome.style != "declaration" else "declaration")
    if outcome.symbol:
        _el(frbr, "FRBRnumber", value=outcome.symbol)
    _el(frbr, "FRBRname", value=outcome.title)
    _el(frbr, "FRBRprescriptive", value="false")
    frbr = _el(identification, "FRBRExpression")
    _el(frbr, "FRBRthis", value=expression + "/!main")
    _el(frbr, "FRBRuri", value=expression)
    _el(frbr, "FRBRdate", date=version_date, name="adoption" if adopted else "version")
    _el(frbr, "FRBRauthor", href="#" + author_id(outcome), as_="#author")
    _el(frbr, "FRBRlanguage", language="eng")
    frbr = _el(identification, "FRBRManifestation")
    _el(frbr, "FRBRthis", value=expression + "/!main.xml")
    _el(frbr, "FRBRuri", value=expression + "/.xml")
    _el(frbr, "FRBRdate", date=base_date, name="generation")
    _el(frbr, "FRBRauthor", href="#draftingroom", as_="#editor")
    return work


def _annex_meta(meta, outcome, work, index, base_date):
    identification = _el(meta, "identification", source=SOURCE)
    for level, uri in (("FRBRWork", work), ("FRBRExpression", work + "/eng"), ("FRBRManifestation", work + "/eng")):
        frbr = _el(identification, level)
        _el(frbr, "FRBRthis", value=f"{uri}/!annex_{index}" + (".xml" if level == "FRBRManifestation" else ""))
        _el(frbr, "FRBRuri", value=uri)
        _el(frbr, "FRBRdate", date=base_date if level == "FRBRManifestation" else (
            _day(outcome.adopted_at) if outcome.adopted else _day(outcome.created_at) or base_date), name="annex")
        _el(frbr, "FRBRauthor", href="#" + author_id(outcome), as_="#author")
        if level == "FRBRWork":
            _el(frbr, "FRBRcountry", value="un")
        if level == "FRBRExpression":
            _el(frbr, "FRBRlanguage", language="eng")


def _lifecycle(meta, outcome):
    lifecycle = _el(meta, "lifecycle", source=SOURCE)
    _el(lifecycle, "eventRef", eId="evt_created", date=_day(outcome.created_at), source="#original",
        type="generation", refersTo="#created")
    for index, (label, when) in enumerate(outcome.versions, 1):
        _el(lifecycle, "eventRef", eId=f"evt_version_{index}", date=_day(when), source="#original",
            type="amendment", refersTo="#version-" + _slug(label))
    if outcome.adopted:
        _el(lifecycle, "eventRef", eId="evt_adopted", date=_day(outcome.adopted_at), source="#original",
            type="amendment", refersTo="#adopted")


def _workflow(meta, outcome, people, ids):
    steps = []
    for when, kind, who, payload in outcome.workflow:
        outcome_word = STEP_OUTCOMES.get(kind) or "phase-" + _slug(str(payload.get("to", "changed")))
        steps.append((when, people.ref(who) if who else "#" + author_id(outcome), "#" + outcome_word, None))
    for paragraph in outcome.paragraphs:
        for status, when, by, _tally in paragraph.provenance.declarations:
            steps.append((when, people.ref(by) if by else "#" + author_id(outcome),
                          "#declared-" + _slug(status), "#" + ids[paragraph.clause_id]))
    if not steps:
        return
    workflow = _el(meta, "workflow", source=SOURCE)
    for when, by, result, refers in sorted(steps, key=lambda s: s[0]):
        attributes = {"date": when.date().isoformat(), "by": by, "outcome": result}
        if refers:
            attributes["refersTo"] = refers
        _el(workflow, "step", **attributes)


def _analysis(meta, outcome, ids):
    votes = [(p, p.provenance.tally) for p in outcome.paragraphs if any(p.provenance.tally.values())]
    if not votes:
        return
    parliamentary = _el(_el(meta, "analysis", source=SOURCE), "parliamentary")
    for paragraph, tally in votes:
        eid = ids[paragraph.clause_id]
        voting = _el(parliamentary, "voting", eId=f"voting_{eid}", refersTo="#" + eid,
                     outcome="#" + _slug(paragraph.status))
        for position, count in tally.items():
            _el(voting, "count", eId=f"voting_{eid}__{position}", value=count, refersTo="#vote-" + position)


def _notes(meta, outcome, people, ids):
    reservations = [(p, r) for p in outcome.paragraphs for r in p.provenance.reservations]
    if not reservations:
        return
    notes = _el(meta, "notes", source=SOURCE)
    for index, (paragraph, (who, kind, text)) in enumerate(reservations, 1):
        note = _el(notes, "note", eId=f"reservation_{index}", class_=_slug(kind))
        p = _el(note, "p", f"{kind} on ")
        ref = _el(p, "ref", paragraph.annex_label, href="#" + ids[paragraph.clause_id])
        ref.tail = " by "
        person = _el(p, "person", who, refersTo=people.ref(who), as_="#reserving")
        person.tail = ": " + xml_safe(text)


def _preface(statement, outcome):
    preface = _el(statement, "preface")
    container = _el(preface, "container", name="masthead", eId="masthead")
    for tag, text, attributes in (
            ("organization", outcome.issuing_body, {"refersTo": "#" + author_id(outcome)}),
            ("docNumber", outcome.symbol, {}),
            ("docStatus", f"Distr.: {outcome.distribution}", {"refersTo": "#distribution-" + _slug(outcome.distribution)}),
            ("docDate", outcome.issued_on, {"date": outcome.issued_on_iso} if outcome.issued_on_iso else None),
            ("docStage", outcome.session, {}), ("docStage", outcome.agenda_item, {}),
            ("docStatus", f"Original: {outcome.original_language}", {"refersTo": "#original-language"})):
        if text and attributes is not None:
            _el(container, "p").append(_inline(tag, text, **attributes))
    _el(_el(preface, "p"), "docTitle", outcome.title)


def _preamble_and_body(statement, outcome, sections, ids, prefix):
    preambular = [p for s in sections for p in s.paragraphs if not p.number]
    if outcome.formula or preambular:
        preamble = _el(statement, "preamble")
        if outcome.formula:
            formula = _el(_el(preamble, "formula", name="enactingFormula"), "p")
            _el(formula, "i", outcome.formula.rstrip().rstrip(",")).tail = ","
        if preambular:
            recitals = _el(preamble, "recitals", eId="preamble__recitals")
            for paragraph in preambular:
                recital = _el(recitals, "recital", eId=ids[paragraph.clause_id], **_refers(paragraph))
                if paragraph.alt:
                    _el(recital, "num", f"Alt {paragraph.alt}")
                _blocks(recital, paragraph, ids[paragraph.clause_id], outcome)
    body = _el(statement, "mainBody")
    operative = [s for s in sections if any(p.number for p in s.paragraphs) or s.show_heading]
    if not operative:
        _el(body, "p", "This document has no operative paragraphs.")
    _sections(body, operative, ids, outcome, prefix, operative_only=True)


def _sections(body, sections, ids, outcome, prefix, operative_only=False):
    """Headings nest as hcontainers by level; paragraphs go into the innermost one."""
    stack = [(0, body)]
    for index, section in enumerate(sections, 1):
        if section.show_heading:
            while stack[-1][0] >= section.level:
                stack.pop()
            container = _el(stack[-1][1], "hcontainer", name=f"level{section.level}",
                            eId=f"{prefix}hcontainer_{index}")
            _el(container, "heading", section.title)
            stack.append((section.level, container))
        parent = stack[-1][1]
        for paragraph in section.paragraphs:
            if operative_only and not paragraph.number:
                continue
            eid = ids[paragraph.clause_id]
            element = _el(parent, "paragraph", eId=eid, **_refers(paragraph))
            _el(element, "num", paragraph.label or "")
            _blocks(element, paragraph, eid, outcome)


def _refers(paragraph):
    concepts = ["#" + _tag_id(t) for t in paragraph.tags]
    if paragraph.bracketed:
        concepts.append("#bracketed")
    if paragraph.alt:
        concepts.append("#alternative")
    return {"refersTo": " ".join(concepts)} if concepts else {}


def _blocks(parent, paragraph, eid, outcome):
    """The paragraph's text: content/p, or list/intro/point for sub-paragraphs; footnotes as authorialNote."""
    blocks = paragraph.blocks
    texts = dict(outcome.footnotes)
    bracket = paragraph.bracketed
    brackets = _Brackets(eid)
    if parent.tag == E + "recital":
        # A recital holds blocks itself: its sub-paragraphs are a blockList of items.
        block_list = None
        for index, (lead, rest, block) in enumerate(blocks):
            opening = "[" if bracket and index == 0 else ""
            closing = "]" if bracket and index == len(blocks) - 1 else ""
            if block.level:
                if block_list is None:
                    block_list = _el(parent, "blockList", eId=f"{eid}__list_1")
                item = _el(block_list, "item", eId=f"{eid}__list_1__item_{block.label}")
                _el(item, "num", block.shown_label)
                _text(_el(item, "p"), lead, rest, paragraph.notes, texts, eid, opening, closing, brackets)
            else:
                _text(_el(parent, "p"), lead, rest, paragraph.notes, texts, eid, opening, closing, brackets)
        return
    if not any(block.level for _lead, _rest, block in blocks):
        content = _el(parent, "content")
        for index, (lead, rest, _block) in enumerate(blocks):
            _text(_el(content, "p"), lead, rest, paragraph.notes, texts, eid,
                  "[" if bracket and index == 0 else "", "]" if bracket and index == len(blocks) - 1 else "", brackets)
        if not blocks:
            _el(content, "p")
        return
    lst = _el(parent, "list", eId=f"{eid}__list_1")
    lead, rest, _block = blocks[0]
    intro_blocks = [b for b in blocks if not b[2].level][:1] if not blocks[0][2].level else []
    if intro_blocks:
        _text(_el(_el(lst, "intro"), "p"), lead, rest, paragraph.notes, texts, eid, "[" if bracket else "", "",
              brackets)
    current_letter = None
    items = blocks[1:] if intro_blocks else blocks
    for index, (lead, rest, block) in enumerate(items):
        close = "]" if bracket and index == len(items) - 1 else ""
        if block.level == 2 and current_letter is not None:
            inner = current_letter.find(E + "list")
            if inner is None:
                content = current_letter.find(E + "content")
                current_letter.remove(content)
                inner = _el(current_letter, "list", eId=current_letter.get("eId") + "__list_1")
                intro = _el(inner, "intro")
                for p in content:
                    intro.append(p)
            point = _el(inner, "point", eId=f"{inner.get('eId')}__point_{block.label}")
        else:
            point = _el(lst, "point", eId=f"{eid}__list_1__point_{block.label or index}")
            current_letter = point
        _el(point, "num", block.shown_label)
        _text(_el(_el(point, "content"), "p"), lead, rest, paragraph.notes, texts, eid, "", close, brackets)


def _append(container, text):
    """Text after the container's last child (or as its first text)."""
    text = xml_safe(text)  # text stored before the rule, or an entity that made a control character
    if len(container):
        container[-1].tail = (container[-1].tail or "") + text
    else:
        container.text = (container.text or "") + text


class _Brackets:
    """Square brackets inside a paragraph's text, as <inline name="bracketed">, across its blocks.

    A bracket opened in one block and closed in a later one (around sub-paragraphs) is marked in
    each block it covers. The brackets stay in the text: what a reader sees does not change.
    """

    def __init__(self, eid):
        self.eid, self.depth, self.count = eid, 0, 0

    def start(self, p):
        """The open brackets carried into this block: [p, inline, …], innermost last."""
        stack = [p]
        for _ in range(self.depth):
            stack.append(self._open(stack[-1], ""))
        return stack

    def _open(self, parent, text):
        self.count += 1
        return _el(parent, "inline", text, name="bracketed", refersTo="#bracketed",
                   eId=f"{self.eid}__inline_{self.count}")

    def write(self, stack, text):
        for piece in BRACKET.split(text):
            if piece == "[":
                stack.append(self._open(stack[-1], "["))
                self.depth += 1
            elif piece == "]" and len(stack) > 1:
                _append(stack[-1], "]")
                _options(stack.pop())
                self.depth -= 1
            elif piece:
                _append(stack[-1], piece)


def _options(bracketed):
    """[shall/should]: each wording of a bracketed choice as <inline name="alternative">."""
    if len(bracketed) or not bracketed.text or not bracketed.text.startswith("["):
        return
    options = bracketed.text[1:-1].split("/")
    if len(options) < 2 or not all(o.strip() for o in options) or OPTION_GUARD.search(bracketed.text):
        return
    bracketed.text = "["
    for index, option in enumerate(options, 1):
        if index > 1:
            _append(bracketed, "/")
        lead = option[:len(option) - len(option.lstrip())]
        if lead:
            _append(bracketed, lead)
        element = _el(bracketed, "inline", option.strip(), name="alternative", refersTo="#alternative",
                      eId=f"{bracketed.get('eId')}__alt_{index}")
        element.tail = option[len(option.rstrip()):] or None
    _append(bracketed, "]")


def _emphasis(parent, tag, text, brackets):
    """*words* in italics (**words** bold), brackets inside marked when they close inside too."""
    element = _el(parent, tag)
    depth = 0
    for char in BRACKET.findall(text):
        depth += 1 if char == "[" else -1
        if depth < 0:
            break
    if depth == 0:
        brackets.write([element], text)
    else:
        element.text = xml_safe(text)


def _text(p, lead, rest, numbers, texts, eid, opening, closing, brackets=None):
    """Inline text: italic lead words, *emphasis*, footnote markers as authorialNote, brackets marked."""
    p.text = xml_safe(opening) if opening else None
    brackets = brackets or _Brackets(eid)
    stack = brackets.start(p)
    if lead:
        _el(stack[-1], "i", lead)
    for piece in EMPHASIS.split(rest):
        if not piece:
            continue
        ref = un_text.FOOTNOTE_REF.fullmatch(piece)
        if ref:
            number = numbers.get(ref.group("id"))
            note = _el(stack[-1], "authorialNote", marker=str(number), placement="bottom",
                       eId=f"{eid}__authorialNote_{number}")
            _el(note, "p", un_text.without_footnote_markers(texts.get(number, "")))
        elif piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            _emphasis(stack[-1], "b", piece[2:-2], brackets)
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            _emphasis(stack[-1], "i", piece[1:-1], brackets)
        else:
            brackets.write(stack, piece)
    if closing:
        _append(p, closing)


def _conclusions(statement, outcome):
    closing = outcome.closing
    if not closing:
        return
    conclusions = _el(statement, "conclusions")
    container = _el(conclusions, "container", name="closingFormula", eId="closingFormula")
    if closing.meeting:
        _el(container, "p").append(_inline("session", closing.meeting, value=_slug(closing.meeting),
                                           refersTo="#meeting"))
    if closing.place or closing.date:
        p = _el(container, "p")
        if closing.place:
            location = _el(p, "location", closing.place, refersTo="#place")
            location.tail = ", " if closing.date else None
        if closing.date:
            _el(p, "docDate", closing.date, date=outcome.closing_date_iso)


class _People:
    """Named people as TLCPerson references, each once."""

    def __init__(self):
        self.names = {}

    def ref(self, name):
        eid = "person-" + _slug(name)
        self.names[eid] = name
        return "#" + eid


def _references(references, outcome, people):
    _el(references, "original", eId="original", href="/akn/un/statement/deliberation", showAs=outcome.title)
    _el(references, "TLCOrganization", eId=author_id(outcome),
        href=f"/ontology/organization/un/{author_id(outcome)}", showAs=outcome.issuing_body)
    _el(references, "TLCOrganization", eId="draftingroom", href="/ontology/organization/draftingroom",
        showAs="Drafting Room")
    _el(references, "TLCEvent", eId="meeting", href=f"/ontology/event/{_slug(outcome.meeting)}",
        showAs=outcome.meeting)
    for eid in sorted({p[1:] for p in [people.ref(n) for p in outcome.paragraphs
                                       for n, _o, _g in p.provenance.authors]} | set(people.names)):
        _el(references, "TLCPerson", eId=eid, href=f"/ontology/person/{eid[len('person-'):]}",
            showAs=people.names[eid])
    for role, label in (("author", "Author"), ("editor", "Editor"), ("reserving", "Lodged a reservation")):
        _el(references, "TLCRole", eId=role, href=f"/ontology/role/{role}", showAs=label)
    if outcome.place or outcome.closing.place:
        place = outcome.closing.place or outcome.place
        _el(references, "TLCLocation", eId="place", href=f"/ontology/location/{_slug(place)}", showAs=place)
    events = {"created", "adopted"} | {STEP_OUTCOMES.get(k) or "phase-" + _slug(str(p.get("to", "changed")))
                                       for _w, k, _x, p in outcome.workflow}
    events |= {"declared-" + _slug(s) for p in outcome.paragraphs for s, _w, _b, _t in p.provenance.declarations}
    events |= {"version-" + _slug(label) for label, _when in outcome.versions}
    for kind in sorted(events):
        _el(references, "TLCEvent", eId=kind, href=f"/ontology/event/{kind}", showAs=kind)
    concepts = {"bracketed": "Not agreed: in square brackets", "alternative": "One of alternative wordings",
                "original-language": "Original language", "distribution-" + _slug(outcome.distribution):
                f"Distribution {outcome.distribution}"}
    concepts |= {_slug(p.status): p.status for p in outcome.paragraphs}
    concepts |= {f"vote-{position}": f"Vote: {position}" for p in outcome.paragraphs for position in p.provenance.tally}
    for eid, label in sorted(concepts.items()):
        _el(references, "TLCConcept", eId=eid, href=f"/ontology/concept/{eid}", showAs=label)
    for tag in sorted({t for p in outcome.paragraphs for t in p.tags}):
        _el(references, "TLCConcept", eId=_tag_id(tag), href=f"/ontology/concept/{_tag_id(tag)}",
            showAs=tag_label(tag))
