"""The outcome document as Akoma Ntoso 3.0 XML: a `statement`, valid against the OASIS schema."""
import re

from lxml import etree

from drafting.domain.characters import xml_safe
from drafting.domain.vocabulary import SDG11_TARGETS, tag_label

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
E = "{%s}" % NS
SOURCE = "#draftingroom"
STEP_OUTCOMES = {"document.created": "created", "document.phase": None, "silence.started": "silenceStarted",
                 "silence.broken": "silenceBroken", "document.adopted": "adopted",
                 "document.published": "published", "document.renumbered": "renumbered"}


def _el(parent, element, text=None, **attributes):
    element = etree.SubElement(parent, E + element, {k.rstrip("_"): xml_safe(str(v)) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _tag_id(tag):
    return "sdg-" + tag.replace(".", "-") if tag in SDG11_TARGETS else "u4ssc-" + tag.replace("_", "-")


def _slug(value):
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "document"


def render(outcome, base_date):
    """The XML as bytes. `base_date` (YYYY-MM-DD) dates the work when the meeting has no date."""
    day = _iso_day(outcome) or base_date
    root = etree.Element(E + "akomaNtoso", nsmap={None: NS})
    statement = _el(root, "statement", name="outcomeDocument", contains="originalVersion")
    _meta(statement, outcome, day)
    preface = _el(statement, "preface")
    p = _el(preface, "p")
    _el(p, "docTitle", outcome.title)
    if outcome.symbol:
        _el(_el(preface, "p"), "docNumber", outcome.symbol)
    place = _el(preface, "p")
    _el(place, "docProponent", outcome.meeting, refersTo="#meeting")
    if outcome.place or outcome.date:
        place_date = _el(preface, "p")
        if outcome.place:
            _el(place_date, "location", outcome.place, refersTo="#place").tail = ", " if outcome.date else None
        if outcome.date:
            _el(place_date, "docDate", outcome.date, date=day)
    preambular = [p for s in outcome.sections for p in s.paragraphs if not p.number]
    operative = [(s, p) for s in outcome.sections for p in s.paragraphs if p.number]
    if preambular:
        preamble = _el(statement, "preamble")
        recitals = _el(preamble, "recitals", eId="recs")
        for index, paragraph in enumerate(preambular, 1):
            recital = _el(recitals, "recital", eId=f"recs_rec_{index}", **_refers(paragraph))
            if paragraph.alt:
                _el(recital, "num", f"Alt {paragraph.alt}")
            _content(_el(recital, "p"), paragraph)
    body = _el(statement, "mainBody")
    if not operative:
        _el(body, "p", "This document has no operative paragraphs.")
    for index, (_section, paragraph) in enumerate(operative, 1):
        para = _el(body, "paragraph", eId=f"para_{index}", **_refers(paragraph))
        _el(para, "num", paragraph.label)
        _content(_el(_el(para, "content"), "p"), paragraph)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _refers(paragraph):
    return {"refersTo": " ".join("#" + _tag_id(t) for t in paragraph.tags)} if paragraph.tags else {}


def _content(p, paragraph):
    lead, rest = paragraph.lead_and_rest
    rest = xml_safe(rest)
    p.text = "[" if paragraph.bracketed else ""
    if lead:
        italic = _el(p, "i", lead)
        italic.tail = rest + ("]" if paragraph.bracketed else "")
    else:
        p.text += rest + ("]" if paragraph.bracketed else "")


def _iso_day(outcome):
    stamp = outcome.adopted_at
    return stamp.date().isoformat() if stamp else None


def _meta(statement, outcome, day):
    meta = _el(statement, "meta")
    identification = _el(meta, "identification", source=SOURCE)
    work = f"/akn/un/statement/outcome/{day}/{_slug(outcome.symbol or str(outcome.document_id))}"
    expression = work + "/eng@"
    manifestation = expression + "/!main.xml"
    for name, this, uri in (("FRBRWork", work + "/!main", work),
                            ("FRBRExpression", expression + "/!main", expression),
                            ("FRBRManifestation", manifestation, manifestation)):
        frbr = _el(identification, name)
        _el(frbr, "FRBRthis", value=this)
        _el(frbr, "FRBRuri", value=uri)
        if name == "FRBRWork" and outcome.symbol:
            _el(frbr, "FRBRalias", value=outcome.symbol, name="symbol")
        _el(frbr, "FRBRdate", date=day, name="adoption" if outcome.adopted_at else "draft")
        _el(frbr, "FRBRauthor", href="#meeting", as_="#author")
        if name == "FRBRWork":
            _el(frbr, "FRBRcountry", value="un")
        if name == "FRBRExpression":
            _el(frbr, "FRBRlanguage", language="eng")
    steps = [(when, kind, who, payload) for when, kind, who, payload in outcome.workflow]
    if steps:
        workflow = _el(meta, "workflow", source=SOURCE)
        for when, kind, _who, payload in steps:
            outcome_word = STEP_OUTCOMES.get(kind) or "phase-" + str(payload.get("to", "changed"))
            _el(workflow, "step", date=when.date().isoformat(), by="#meeting", outcome="#" + outcome_word)
    references = _el(meta, "references", source=SOURCE)
    _el(references, "TLCOrganization", eId="draftingroom", href="/ontology/organization/draftingroom",
        showAs="Drafting Room")
    _el(references, "TLCOrganization", eId="meeting", href=f"/ontology/organization/meeting/{_slug(outcome.meeting)}",
        showAs=outcome.meeting)
    _el(references, "TLCRole", eId="author", href="/ontology/role/author", showAs="Author")
    if outcome.place:
        _el(references, "TLCLocation", eId="place", href=f"/ontology/location/{_slug(outcome.place)}",
            showAs=outcome.place)
    for kind in sorted({STEP_OUTCOMES.get(k) or "phase-" + str(p.get("to", "changed")) for _w, k, _x, p in steps}):
        _el(references, "TLCEvent", eId=kind, href=f"/ontology/event/{kind}", showAs=kind)
    for tag in sorted({t for p in outcome.paragraphs for t in p.tags}):
        _el(references, "TLCConcept", eId=_tag_id(tag), href=f"/ontology/concept/{_tag_id(tag)}",
            showAs=tag_label(tag))
