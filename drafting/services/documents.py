"""Documents, their sections and clauses, and the numbered view of them."""
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from drafting.domain import limits, procedure
from drafting.domain.errors import NotFound, ValidationError, WrongPhase
from drafting.domain.numbering import Paragraph, alternative_numbers, number_paragraphs
from drafting.domain.rendering import render_markdown
from drafting.domain.vocabulary import (
    ALL_TAGS, Category, ClauseKind, ClauseStatus, Role, SectionKind,
)
from drafting.extensions import db
from drafting.models import Clause, ClauseRevision, ClauseTag, Document, Section, Version
from drafting.services import events
from drafting.services import procedure as procedure_service
from drafting.services.permissions import (
    may_read_document, require_read_document, require_read_outcome, require_role, role_in,
)


def get_document(actor, document_id, outcome=False):
    """A document the actor may read: its drafts and deliberation, or (outcome=True) only its outcome."""
    document = None
    if isinstance(document_id, int):
        document = db.session.get(Document, document_id, options=[joinedload(Document.meeting)])
    if document is None:
        raise NotFound(f"No document with id {document_id}.")
    (require_read_outcome if outcome else require_read_document)(actor, document)
    return procedure_service.present(document)


# Every caller checks access through the document and its meeting: load them at once. Built once,
# as the most frequent reads and writes (votes, edits) all start here.
_CLAUSE = (select(Clause).where(Clause.id == bindparam("clause_id"))
           .options(joinedload(Clause.document).joinedload(Document.meeting)))


def get_clause(actor, clause_id):
    clause = None
    if isinstance(clause_id, int):
        clause = db.session.execute(_CLAUSE, {"clause_id": clause_id}).scalar_one_or_none()
    if clause is None:
        raise NotFound(f"No clause with id {clause_id}.")
    require_read_document(actor, clause.document)
    procedure_service.present(clause.document)
    return clause


def create_document(actor, meeting, title, symbol="", sections=("Preamble", "Operative part")):
    require_role(actor, meeting, Role.CHAIR)
    document = Document(meeting_id=meeting.id, title=limits.text(title, "Title", limits.TITLE),
                        symbol=limits.text(symbol, "Symbol", 100, required=False))
    db.session.add(document)
    db.session.flush()
    events.append(document, "document.created", actor, {"title": document.title})
    for title in sections:
        add_section(actor, document, title)
    return document


def _section_kind(title):
    lowered = title.lower()
    if lowered.startswith("preamb"):
        return SectionKind.PREAMBLE
    if lowered.startswith("operative"):
        return SectionKind.OPERATIVE
    return SectionKind.CUSTOM


def _require_sections(actor, document):
    """Sections are the chair's (domain.procedure.section_refusal): 403 for others, 409 out of phase."""
    role = require_role(actor, document.meeting, Role.CHAIR)
    refusal = procedure.section_refusal(document.phase, role)
    if refusal:
        raise WrongPhase(refusal)
    return role


def add_section(actor, document, title):
    """A new section at the end of the document (the chair's)."""
    _require_sections(actor, document)
    title = limits.text(title, "Section title", limits.TITLE)
    position = max((s.position for s in document.sections), default=0) + 1
    section = Section(document=document, title=title, kind=_section_kind(title).value,
                      position=position)
    db.session.add(section)
    db.session.flush()
    events.append(document, "section.created", actor,
                  {"section_id": section.id, "title": title, "position": position})
    return section


def get_section(actor, section_id):
    section = db.session.get(Section, section_id) if isinstance(section_id, int) else None
    if section is None:
        raise NotFound(f"No section with id {section_id}.")
    require_read_document(actor, section.document)
    return section


def rename_section(actor, section, title):
    """A new heading for a section (the chair's)."""
    document = section.document
    _require_sections(actor, document)
    title = limits.text(title, "Section title", limits.TITLE)
    before = section.title
    section.title = title
    db.session.flush()
    events.append(document, "section.renamed", actor, {"section_id": section.id, "from": before, "title": title})
    return section


def move_section(actor, section, direction):
    """Move a section one place up or down (the chair's); its clauses go with it and are renumbered."""
    document = section.document
    _require_sections(actor, document)
    if direction not in ("up", "down"):
        raise ValidationError("Say which way: direction up or down.", field="direction")
    ordered = sorted(document.sections, key=lambda s: (s.position, s.id))
    index = ordered.index(section)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        raise ValidationError(f"The section is already at the {'top' if direction == 'up' else 'end'}.",
                              field="direction")
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered, 1):
        each.position = position
    db.session.flush()
    db.session.expire(document, ["sections"])
    events.append(document, "section.moved", actor, {"section_id": section.id, "position": section.position,
                                                      "numbering": numbering(document)})
    return section


def parse_tags(tags):
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = [t for t in tags.replace(",", " ").split() if t]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError("Tags must be a list of SDG 11 targets or U4SSC dimensions.", field="tags")
    unknown = [t for t in tags if t not in ALL_TAGS]
    if unknown:
        raise ValidationError(f"Unknown tag {unknown[0]!r}; use one of {', '.join(ALL_TAGS)}.", field="tags")
    return sorted(set(tags), key=ALL_TAGS.index)


def add_clause(actor, document, section_id, kind, category, text, tags=None, rationale=""):
    """A new clause with its first revision."""
    role = require_role(actor, document.meeting, Role.EXPERT)
    if not procedure.may_structure(document.phase, role):
        raise WrongPhase(procedure.edit_refusal(document.phase))
    section_id = limits.identifier(section_id, "section_id")
    section = db.session.get(Section, section_id)
    if section is None or section.document_id != document.id:
        raise ValidationError("That section is not part of this document.", field="section_id")
    kind = ClauseKind.parse(kind, "Kind")
    category = Category.parse(category, "Category")
    text = limits.clause_text(text, "Clause text")
    rationale = limits.text(rationale, "Rationale", limits.RATIONALE, required=False)
    tags = parse_tags(tags)
    position = max((c.position for c in section.clauses), default=0) + 1
    clause = Clause(document_id=document.id, section=section, kind=kind.value,
                    category=category.value, position=position, created_by_id=actor.id,
                    inserted_late=has_versions(document))
    clause.tags = [ClauseTag(tag=t) for t in tags]
    db.session.add(clause)
    db.session.flush()
    revision = ClauseRevision(clause_id=clause.id, number=1, text=text, html=render_markdown(text),
                              rationale=rationale, author_id=actor.id)
    db.session.add(revision)
    db.session.flush()
    clause.head = revision
    db.session.flush()
    payload = dict(clause_payload(clause, revision), paragraph=paragraph_name(clause))
    if _clauses_after(section):
        # Paragraphs of later sections move down a number; a clause added at the very end moves none.
        payload["numbering"] = numbering(document)
    events.append(document, "clause.created", actor, payload)
    return clause


def _clauses_after(section):
    return db.session.execute(
        db.select(Clause.id).join(Section)
        .where(Section.document_id == section.document_id, Section.position > section.position).limit(1)
    ).first() is not None


def has_versions(document):
    """Whether a version of the document was snapshotted: a paragraph inserted since is numbered bis, ter."""
    return db.session.execute(
        db.select(Version.id).filter_by(document_id=document.id).limit(1)
    ).first() is not None


def clause_payload(clause, revision):
    return {
        "clause_id": clause.id, "section_id": clause.section_id, "kind": clause.kind,
        "category": clause.category, "status": clause.status, "position": clause.position,
        "tags": clause.tag_values, "revision_id": revision.id, "text": revision.text,
        "html": str(revision.html),
    }


def set_tags(actor, clause, tags):
    role = require_role(actor, clause.document.meeting, Role.EXPERT)
    if not procedure.may_edit_text(clause.document.phase, role):
        raise WrongPhase(procedure.edit_refusal(clause.document.phase))
    tags = parse_tags(tags)
    clause.tags = [ClauseTag(tag=t) for t in tags]
    db.session.flush()
    events.append(clause.document, "clause.tagged", actor, {"clause_id": clause.id, "tags": tags})


# --- the numbered view -------------------------------------------------------------------


@dataclass
class ClauseRow:
    clause: Clause
    revision: ClauseRevision
    number: str
    extra: dict = field(default_factory=dict)


@dataclass
class SectionRow:
    section: Section
    clauses: list


def _in_order(document):
    # Tags in one more statement, not one per clause: the document page shows them on every row.
    return db.session.execute(
        db.select(Clause).where(Clause.document_id == document.id)
        .join(Section).order_by(Section.position, Clause.position, Clause.id)
        .options(selectinload(Clause.tags))
    ).scalars().all()


def _numbered_with_starts(clauses):
    """(clause, takes a number, number to go on from): a section's number_from goes to its first numbered OP."""
    started = set()
    for c in clauses:
        numbered = c.status not in (ClauseStatus.WITHDRAWN, ClauseStatus.MERGED) and c.alternative_of_id is None
        start = None
        if numbered and c.kind == "OP" and not c.inserted_late and c.section_id not in started:
            started.add(c.section_id)
            start = c.section.number_from
        yield c, numbered, start


def _numbers(clauses):
    """({clause_id: number}, {clause_id: alt}) for clauses in document order, by UN convention."""
    live = [c for c in clauses if c.status not in (ClauseStatus.WITHDRAWN, ClauseStatus.MERGED)]
    alternatives = alternative_numbers([(c.id, c.alternative_of_id) for c in live])
    numbers = number_paragraphs([
        Paragraph(kind=c.kind, late=c.inserted_late, part=c.section.annex, number_from=start,
                  numbered=numbered)
        for c, numbered, start in _numbered_with_starts(clauses)
    ])
    number_of = {c.id: n for c, n in zip(clauses, numbers)}
    # An alternative carries the number of the paragraph it is an alternative to.
    for clause in clauses:
        if clause.id in alternatives:
            number_of[clause.id] = number_of.get(clause.alternative_of_id, number_of[clause.id])
    return number_of, alternatives


def outline(document, category=None, tag=None):
    """Sections with their clauses in order, numbered by UN convention, optionally filtered.

    Numbering always counts every paragraph, so a filtered view keeps the real numbers.
    """
    clauses = _in_order(document)
    heads = {}
    ids = [c.head_revision_id for c in clauses if c.head_revision_id]
    if ids:
        heads = {r.id: r for r in db.session.execute(
            db.select(ClauseRevision).where(ClauseRevision.id.in_(ids))).scalars()}
    number_of, alternatives = _numbers(clauses)
    by_section = {s.id: SectionRow(section=s, clauses=[]) for s in document.sections}
    for clause in clauses:
        if category and clause.category != category:
            continue
        if tag and tag not in clause.tag_values:
            continue
        row = ClauseRow(clause=clause, revision=heads.get(clause.head_revision_id), number=number_of[clause.id])
        if clause.id in alternatives:
            row.extra["alt"] = alternatives[clause.id]
        by_section[clause.section_id].clauses.append(row)
    return list(by_section.values())


def numbering(document):
    """Where every clause stands and what number it carries, for open pages to renumber in place.

    Sent with each event that can change other clauses' numbers (an insertion, a move, a split, a
    merge, a withdrawal, the final renumbering), so that no reader has to fetch the document again.
    {"order": [[section_id, [clause_id, …]], …], "numbers": {"clause_id": "2 bis", …} (numbered
    paragraphs only), "alt": {"clause_id": 2, …}}; ids as strings, as JSON keys must be.
    """
    clauses = _in_order(document)
    number_of, alternatives = _numbers(clauses)
    order = {s.id: [] for s in document.sections}
    for clause in clauses:
        order[clause.section_id].append(clause.id)
    return {"order": [[section_id, ids] for section_id, ids in order.items()],
            "numbers": {str(cid): n for cid, n in number_of.items() if n},
            "alt": {str(cid): n for cid, n in alternatives.items()}}


def paragraph_names(document):
    """{clause_id: "paragraph 7 bis" | "preambular paragraph 3" | "paragraph 7, Alt 2"} as numbered now.

    Events and notifications carry the name a paragraph had when they happened; their links lead
    to the clause as it stands now.
    """
    clauses = _in_order(document)
    number_of, alternatives = _numbers(clauses)
    names, preambular = {}, 0
    for clause in clauses:
        if clause.status in (ClauseStatus.WITHDRAWN, ClauseStatus.MERGED):
            names[clause.id] = f"{ClauseStatus(clause.status).label.lower()} clause"
            continue
        alt = alternatives.get(clause.id)
        if number_of.get(clause.id):
            name = f"paragraph {number_of[clause.id]}"
        else:
            preambular += (alt or 1) == 1
            name = f"preambular paragraph {preambular}"
        names[clause.id] = name + (f", Alt {alt}" if alt else "")
    return names


def paragraph_name(clause):
    return paragraph_names(clause.document).get(clause.id, "a clause")


def numbered(clause, outline_rows=None):
    """The clause's row (with its number) in the document's outline."""
    rows = outline(clause.document) if outline_rows is None else outline_rows
    return next(r for section in rows for r in section.clauses if r.clause.id == clause.id)


def documents_of(actor, meeting):
    return [d for d in meeting.documents if may_read_document(actor, d)]


def my_role(actor, document):
    return role_in(actor, document.meeting)


def may_edit(actor, document):
    return procedure.may_edit_text(document.phase, role_in(actor, document.meeting))


def require_edit(actor, document):
    role = require_role(actor, document.meeting, Role.EXPERT)
    if not procedure.may_edit_text(document.phase, role):
        raise WrongPhase(procedure.edit_refusal(document.phase))
    return role


def set_rules(actor, document, quorum, threshold, block_prevents_consensus, hide_tallies):
    require_role(actor, document.meeting, Role.CHAIR)
    document.quorum = limits.share(quorum, "quorum")
    document.threshold = limits.share(threshold, "threshold")
    document.block_prevents_consensus = limits.flag(block_prevents_consensus, "block_prevents_consensus")
    document.hide_tallies = limits.flag(hide_tallies, "hide_tallies")
    db.session.flush()
    events.append(document, "document.rules", actor, rules_of(document))
    return document


def rules_of(document):
    return {"quorum": document.quorum, "threshold": document.threshold,
            "block_prevents_consensus": document.block_prevents_consensus,
            "hide_tallies": document.hide_tallies}

