"""Rapporteur tools: compromise texts, merging, splitting, moving, brackets, alternatives, renumbering.

Every change of clause text goes through clauses.merge_and_append, so an edit based on an old
revision is refused with a 409 and nothing is lost. Old clauses are never deleted: merged ones
keep a link to the clause they went into, a split-off clause's first revision has the original
revision as its parent, and incorporated amendments point at the revision that took them up.
"""
from drafting.domain import clause_state, limits, procedure, selection
from drafting.domain.errors import Conflict, Forbidden, ValidationError, WrongPhase
from drafting.domain.rendering import render_markdown
from drafting.domain.vocabulary import AmendmentStatus, ClauseStatus, Phase, Role
from drafting.extensions import db
from drafting.models import Amendment, Clause, ClauseRevision, ClauseTag, Notification, Section
from drafting.services import events
from drafting.services.clauses import base_revision, merge_and_append, require_text_may_change
from drafting.services.documents import has_versions, clause_payload, numbering, outline, paragraph_name
from drafting.services.permissions import require_role
from drafting.services.procedure import now

GONE = (ClauseStatus.MERGED.value, ClauseStatus.WITHDRAWN.value)


def require_consolidate(actor, document):
    role = require_role(actor, document.meeting, Role.RAPPORTEUR)
    if not procedure.may_consolidate(document.phase, role):
        raise WrongPhase("Rapporteurs consolidate the text in the consolidation phase; "
                         f"the document is in {Phase(document.phase).label.lower()}.")
    return role


def _live(clause):
    """The clause, when its text may change: not merged, withdrawn, agreed or agreed ad ref (409)."""
    require_text_may_change(clause)
    return clause


# --- compromise --------------------------------------------------------------------------


def compromise(actor, clause, base_revision_id, text, rationale, amendment_ids):
    """New text for a clause that draws on several amendments; they become incorporated."""
    require_consolidate(actor, clause.document)
    _live(clause)
    base = base_revision(clause, base_revision_id)
    text = limits.clause_text(text, "Compromise text")
    rationale = limits.text(rationale, "Rationale", limits.RATIONALE)
    amendments = chosen_amendments(clause, amendment_ids)
    revision = merge_and_append(actor, clause, base, text, rationale)
    decided = now()
    for amendment in amendments:
        amendment.status = AmendmentStatus.INCORPORATED.value
        amendment.decided_by_id = actor.id
        amendment.decided_at = decided
        amendment.decision_reason = rationale
        amendment.result_revision_id = revision.id
        if amendment.author_id and amendment.author_id != actor.id:
            db.session.add(Notification(
                user_id=amendment.author_id, kind="amendment.incorporated", document_id=clause.document_id,
                url=f"/clauses/{clause.id}",
                message=f"{actor.name} incorporated your amendment {amendment.number} in a compromise text: "
                        f"{rationale}"[:500]))
    db.session.flush()
    events.append(clause.document, "clause.compromise", actor, {
        "clause_id": clause.id, "revision_id": revision.id, "amendment_ids": [a.id for a in amendments],
        "amendment_numbers": [a.number for a in amendments],
        "rationale": rationale})
    return revision


def chosen_amendments(clause, amendment_ids):
    """The open amendments of this clause that a compromise draws on, by the ids chosen (in that
    order, each once); a 422 for none, another clause's amendment or one decided already."""
    if not isinstance(amendment_ids, list) or not amendment_ids:
        raise ValidationError("Choose the amendments the compromise draws on.", field="amendment_ids")
    ids = [limits.identifier(a, "amendment_ids") for a in amendment_ids]
    amendments = db.session.execute(
        db.select(Amendment).where(Amendment.id.in_(ids))).scalars().all()
    found = {a.id: a for a in amendments}
    for amendment_id in ids:
        amendment = found.get(amendment_id)
        if amendment is None or amendment.clause_id != clause.id:
            raise ValidationError(f"Amendment id {amendment_id} is not an amendment of this clause.",
                                  field="amendment_ids")
        if amendment.status != AmendmentStatus.OPEN:
            raise ValidationError(f"Amendment {amendment.number} is {amendment.status} already.",
                                  field="amendment_ids")
    return [found[i] for i in dict.fromkeys(ids)]


# --- merging and splitting -----------------------------------------------------------------


def merge(actor, document, clause_ids, text=None, rationale=""):
    """Merge two or more clauses of one document into a new one that takes the first one's place."""
    require_consolidate(actor, document)
    clauses = merging(document, clause_ids)
    first = clauses[0]
    text = merged_text(clauses, text)
    rationale = limits.text(rationale, "Rationale", limits.RATIONALE, required=False) or (
        "Merged from clauses " + ", ".join(str(c.id) for c in clauses) + ".")
    tags = sorted({t for c in clauses for t in c.tag_values})
    merged = _new_clause(actor, first, _index_of(first), text, rationale, tags=tags,
                         inserted_late=first.inserted_late)
    for clause in clauses:
        clause.status = ClauseStatus.MERGED.value
        clause.merged_into_id = merged.id
    db.session.flush()
    events.append(document, "clause.merged", actor,
                  {"clause_id": merged.id, "merged_ids": [c.id for c in clauses],
                   "numbering": numbering(document)})
    return merged


def merging(document, clause_ids):
    """The clauses to merge, in document order: two or more live clauses of this document."""
    if not isinstance(clause_ids, list):
        raise ValidationError("clause_ids must be a list of clause ids.", field="clause_ids")
    ids = list(dict.fromkeys(limits.identifier(c, "clause_ids") for c in clause_ids))
    if len(ids) < 2:
        raise ValidationError("Choose at least two clauses to merge.", field="clause_ids")
    clauses = []
    for clause_id in ids:
        clause = db.session.get(Clause, clause_id)
        if clause is None or clause.document_id != document.id:
            raise ValidationError(f"Clause {clause_id} is not part of this document: only clauses of "
                                  "the same document can be merged.", field="clause_ids")
        clauses.append(_live(clause))
    return sorted(clauses, key=lambda c: (c.section.position, c.position, c.id))


def merged_text(clauses, text=None):
    """The merged clause's text: as written, or the paragraphs' texts one after the other."""
    if text is None or (isinstance(text, str) and not text.strip()):
        text = "\n\n".join(c.head.text for c in clauses)
    return limits.clause_text(text, "Merged text")


def split(actor, clause, base_revision_id, at=None, before=None, rationale=""):
    """Split a clause in two at a character offset (or before a quoted phrase)."""
    require_consolidate(actor, clause.document)
    _live(clause)
    base = base_revision(clause, base_revision_id)
    text = base.text
    at = _split_point(text, at, before)
    head, tail = selection.split_parts(text, at)
    rationale = limits.text(rationale, "Rationale", limits.RATIONALE, required=False)
    merge_and_append(actor, clause, base, head, rationale or "Split: the rest became a new clause.")
    new = _new_clause(actor, clause, _index_of(clause) + 1, tail, rationale or f"Split from clause {clause.id}.",
                      parent=base, inserted_late=has_versions(clause.document))
    events.append(clause.document, "clause.split", actor,
                  {"clause_id": clause.id, "new_clause_id": new.id, "at": at,
                   "numbering": numbering(clause.document)})
    return new


def _split_point(text, at, before):
    if before not in (None, ""):
        if not isinstance(before, str):
            raise ValidationError("The words to split before must be text.", field="before")
        found = text.find(before.strip())
        if not before.strip() or found < 0:
            raise ValidationError("Those words are not in the clause text.", field="before")
        at = found
    try:
        at = limits.whole_number(at, "at", minimum=1, maximum=max(1, len(text) - 1))
    except ValidationError:
        at = None
    if at is None or not 0 < at < len(text):
        raise ValidationError(f"The split point must fall inside the text: a position from 1 to "
                              f"{len(text) - 1}.", field="at")
    return at


# --- order and place -------------------------------------------------------------------------


def move(actor, clause, direction=None, section_id=None, index=None):
    """Move a clause up or down (across section boundaries), or into a section: at `index` among
    its other clauses (0 first; dropped there by drag and drop), or at its end."""
    document = clause.document
    require_consolidate(actor, document)
    sections = list(document.sections)
    if section_id not in (None, ""):
        section_id = limits.identifier(section_id, "section_id")
        target = next((s for s in sections if s.id == section_id), None)
        if target is None:
            raise ValidationError("That section is not part of this document.", field="section_id")
        others = [c for c in _clauses_of(target) if c.id != clause.id]
        if index in (None, ""):
            index = len(others)
        else:
            index = limits.whole_number(index, "index", maximum=len(others))
            if target.id == clause.section_id and index == _index_of(clause):
                raise ValidationError("The clause is already there.", field="index")
        _place(clause, target, index)
    elif direction in ("up", "down"):
        siblings = _clauses_of(clause.section)
        index = _index_of(clause)
        where = sections.index(clause.section)
        if direction == "up" and index > 0:
            _place(clause, clause.section, index - 1)
        elif direction == "down" and index < len(siblings) - 1:
            _place(clause, clause.section, index + 1)
        elif direction == "up" and where > 0:
            target = sections[where - 1]
            _place(clause, target, len(_clauses_of(target)))
        elif direction == "down" and where < len(sections) - 1:
            _place(clause, sections[where + 1], 0)
        else:
            raise ValidationError(f"The clause is already at the {'top' if direction == 'up' else 'end'}.",
                                  field="direction")
    else:
        raise ValidationError("Say where to: direction up or down, or a section_id.", field="direction")
    db.session.flush()
    events.append(document, "clause.moved", actor,
                  {"clause_id": clause.id, "section_id": clause.section_id, "position": clause.position,
                   "numbering": numbering(document)})
    return clause


def _clauses_of(section):
    return db.session.execute(
        db.select(Clause).where(Clause.section_id == section.id).order_by(Clause.position, Clause.id)
    ).scalars().all()


def _index_of(clause):
    return [c.id for c in _clauses_of(clause.section)].index(clause.id)


def _place(clause, section, index):
    """Put the clause at `index` among the section's clauses and number their positions 1…n."""
    others = [c for c in _clauses_of(section) if c.id != clause.id]
    old_section = clause.section
    clause.section = section
    others.insert(index, clause)
    for position, each in enumerate(others, 1):
        each.position = position
    db.session.flush()
    for touched in {old_section, section}:
        if touched is not None:
            db.session.expire(touched, ["clauses"])


def _new_clause(actor, like, index, text, rationale, parent=None, tags=None, **fields):
    """A clause like `like`, placed at `index` in its section before its creation is announced."""
    tags = list(like.tag_values if tags is None else tags)
    clause = Clause(document_id=like.document_id, section_id=like.section_id, kind=like.kind,
                    category=like.category, position=10**6, created_by_id=actor.id, **fields)
    db.session.add(clause)
    clause.tags = [ClauseTag(tag=t) for t in tags]
    db.session.flush()
    revision = ClauseRevision(clause_id=clause.id, number=1, text=text, html=render_markdown(text),
                              rationale=rationale, author_id=actor.id,
                              parent_id=parent.id if parent else None)
    db.session.add(revision)
    db.session.flush()
    clause.head = revision
    db.session.flush()
    _place(clause, like.section, index)
    events.append(clause.document, "clause.created", actor,
                  dict(clause_payload(clause, revision), numbering=numbering(clause.document)))
    return clause


# --- brackets and alternatives ------------------------------------------------------------------


def bracket(actor, clause, base_revision_id=None, start=None, end=None, quote=None):
    """Put a span of text in square brackets, or the whole clause when no span is given."""
    require_consolidate(actor, clause.document)
    _live(clause)
    if start in (None, "") and end in (None, "") and quote in (None, ""):
        clause.status = ClauseStatus.BRACKETED.value
        db.session.flush()
        events.append(clause.document, "clause.bracketed", actor, {"clause_id": clause.id, "whole": True})
        return clause.head
    base = base_revision(clause, base_revision_id)
    start, end = _span(base.text, start, end, quote)
    span = selection.trimmed(base.text, selection.Span(start, end))
    text = selection.bracketed(base.text, span)
    revision = merge_and_append(actor, clause, base, text, "Bracketed: not agreed.")
    events.append(clause.document, "clause.bracketed", actor,
                  {"clause_id": clause.id, "whole": False, "span": base.text[span.start:span.end]})
    return revision


def _span(text, start, end, quote):
    if quote not in (None, ""):
        if not isinstance(quote, str) or not quote.strip() or quote.strip() not in text:
            raise ValidationError("Those words are not in the clause text.", field="quote")
        start = text.find(quote.strip())
        return start, start + len(quote.strip())
    try:
        start, end = limits.whole_number(start, "start"), limits.whole_number(end, "end")
    except ValidationError:
        raise ValidationError("A span needs a start and an end position.", field="start") from None
    if not 0 <= start < end <= len(text):
        raise ValidationError(f"The span must lie inside the text (0 to {len(text)}).", field="start")
    return start, end


def add_alternative(actor, clause, text, rationale=""):
    """Add an alternative wording; the clause becomes Alt 1 and this one Alt 2, Alt 3 …"""
    require_consolidate(actor, clause.document)
    main = _live(clause)
    if main.alternative_of_id:
        main = _live(db.session.get(Clause, main.alternative_of_id))
    text = limits.clause_text(text, "Alternative text")
    rationale = limits.text(rationale, "Rationale", limits.RATIONALE, required=False)
    group = [c for c in _clauses_of(main.section) if c.id == main.id or c.alternative_of_id == main.id]
    alternative = _new_clause(actor, main, _index_of(group[-1]) + 1, text,
                              rationale or f"Alternative to clause {main.id}.", alternative_of_id=main.id)
    events.append(clause.document, "clause.alternative_added", actor,
                  {"clause_id": alternative.id, "alternative_of": main.id,
                   "numbering": numbering(clause.document)})
    return alternative


def choose_alternative(actor, chosen):
    """Keep one alternative: it takes the paragraph's place, the others are withdrawn."""
    require_consolidate(actor, chosen.document)
    _live(chosen)
    main = db.session.get(Clause, chosen.alternative_of_id) if chosen.alternative_of_id else chosen
    group = db.session.execute(
        db.select(Clause).where(Clause.alternative_of_id == main.id)).scalars().all()
    if not group:
        raise ValidationError("This clause has no alternatives to choose between.", field="clause_id")
    for clause in [main, *group]:
        if clause.id != chosen.id and clause.status not in GONE:
            require_text_may_change(clause)
    withdrawn = []
    for clause in [main, *group]:
        if clause.id != chosen.id and clause.status not in GONE:
            _mark_withdrawn(actor, clause, "Another alternative was chosen.")
            withdrawn.append(clause.id)
    if chosen.id != main.id:
        chosen.alternative_of_id = None
        chosen.inserted_late = main.inserted_late
        _place(chosen, main.section, _index_of(main))
    db.session.flush()
    events.append(chosen.document, "clause.alternative_chosen", actor,
                  {"clause_id": chosen.id, "withdrawn_ids": withdrawn, "numbering": numbering(chosen.document)})
    return chosen


# --- withdrawal and restore ---------------------------------------------------------------------


def _mark_withdrawn(actor, clause, reason):
    clause.withdrawn_from = clause.status
    clause.status = ClauseStatus.WITHDRAWN.value
    clause.withdrawn_at = now()
    clause.withdrawn_by_id = actor.id if actor else None
    clause.withdrawal_reason = reason


def withdraw(actor, clause, reason):
    """Withdraw a clause, with a reason: it leaves the numbering, stays in the history and the annex.

    Its author may before any declaration; a rapporteur or the chair until the silence procedure
    (agreed text, the chair only): domain.clause_state.withdrawal_refusal.
    """
    document = clause.document
    role = require_role(actor, document.meeting, Role.EXPERT)
    is_author = clause.created_by_id == actor.id
    refusal = clause_state.withdrawal_refusal(clause.status, document.phase, role, is_author)
    if refusal:
        if clause_state.withdrawal_refusal(clause.status, document.phase, Role.CHAIR, True) is None:
            raise Forbidden(refusal)
        raise WrongPhase(refusal) if document.phase not in clause_state.DELIBERATING else Conflict(refusal)
    reason = limits.text(reason, "Reason", limits.RATIONALE)
    name = paragraph_name(clause)
    _mark_withdrawn(actor, clause, reason)
    db.session.flush()
    events.append(document, "clause.withdrawn", actor, {
        "clause_id": clause.id, "paragraph": name, "reason": reason, "from": clause.withdrawn_from,
        "status": clause.status, "numbering": numbering(document)})
    return clause


def restore(actor, clause):
    """The chair restores a withdrawn clause until adoption; it takes back its status and place."""
    document = clause.document
    role = require_role(actor, document.meeting, Role.CHAIR)
    refusal = clause_state.restore_refusal(clause.status, document.phase, role)
    if refusal:
        raise WrongPhase(refusal) if document.phase not in clause_state.DELIBERATING else Conflict(refusal)
    clause.status = clause.withdrawn_from or ClauseStatus.PROPOSED.value
    if clause_state.is_gone(clause.status):
        clause.status = ClauseStatus.PROPOSED.value
    clause.withdrawn_from = None
    db.session.flush()
    events.append(document, "clause.restored", actor, {
        "clause_id": clause.id, "paragraph": paragraph_name(clause), "status": clause.status,
        "numbering": numbering(document)})
    return clause


def withdrawal_refusal(actor, clause):
    """For pages: why this person may not withdraw the clause now, or None."""
    from drafting.services.permissions import role_in

    role = role_in(actor, clause.document.meeting)
    if role is None:
        return "Only members withdraw clauses."
    return clause_state.withdrawal_refusal(clause.status, clause.document.phase, role,
                                           clause.created_by_id == getattr(actor, "id", None))


# --- renumbering -------------------------------------------------------------------------------


def renumber(actor, document):
    """Give every paragraph its final number: bis/ter disappear. One action, one event."""
    require_role(actor, document.meeting, Role.CHAIR)
    if document.phase != Phase.CONSOLIDATION:
        raise WrongPhase("The chair renumbers during consolidation, before the final reading.")
    before = {r.clause.id: r.number for s in outline(document) for r in s.clauses}
    late = db.session.execute(
        db.select(Clause).where(Clause.document_id == document.id, Clause.inserted_late.is_(True))
    ).scalars().all()
    for clause in late:
        clause.inserted_late = False
    db.session.flush()
    after = {r.clause.id: r.number for s in outline(document) for r in s.clauses}
    changes = {str(cid): [before[cid], after[cid]] for cid in after if before.get(cid) != after[cid]}
    events.append(document, "document.renumbered", actor, {"changes": changes, "numbering": numbering(document)})
    return changes


def open_amendments(clause):
    return db.session.execute(
        db.select(Amendment).filter_by(clause_id=clause.id, status=AmendmentStatus.OPEN.value)
        .order_by(Amendment.id)).scalars().all()


def sections_of(document):
    return db.session.execute(
        db.select(Section).filter_by(document_id=document.id).order_by(Section.position)).scalars().all()
