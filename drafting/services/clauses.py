"""Saving clause text: every save is a revision that carries the revision it was based on."""
from drafting.domain import limits
from drafting.domain.errors import Conflict, ValidationError
from drafting.domain.rendering import render_markdown
from drafting.extensions import db
from drafting.models import ClauseRevision
from drafting.services import events, votes
from drafting.services.documents import require_edit


def revisions(clause):
    return db.session.execute(
        db.select(ClauseRevision).filter_by(clause_id=clause.id).order_by(ClauseRevision.number)
    ).scalars().all()


def _base_revision(clause, base_revision_id):
    base_revision_id = limits.identifier(base_revision_id, "base_revision_id")
    base = db.session.get(ClauseRevision, base_revision_id)
    if base is None or base.clause_id != clause.id:
        raise ValidationError(f"Revision {base_revision_id} is not a revision of this clause.",
                              field="base_revision_id")
    return base


def save_edit(actor, clause, base_revision_id, text, rationale=""):
    """Save new text for a clause. Returns (revision, created).

    An edit identical to the head creates nothing. An edit whose base is no longer the head
    is refused with a Conflict carrying base, theirs and mine, so nothing is lost.
    """
    require_edit(actor, clause.document)
    base = _base_revision(clause, base_revision_id)
    text = limits.text(text, "Clause text", limits.CLAUSE_TEXT, too_large=True)
    rationale = limits.text(rationale, "Rationale", limits.RATIONALE, required=False)
    if text == clause.head.text:
        return clause.head, False
    return merge_and_append(actor, clause, base, text, rationale), True


def merge_and_append(actor, clause, base, text, rationale="", **credit):
    """Put `text`, written against revision `base`, on top of the clause's head.

    Used by every path that changes clause text (edits, accepted amendments, compromises).
    `credit` sets author_id, amendment_id or accepted_by_id on the new revision.
    Raises Conflict with base, theirs and mine when the text cannot be placed on the head.
    """
    head = clause.head
    if base.id != head.id:
        raise Conflict(
            "Someone saved this clause after you started editing.",
            details={"base": {"revision_id": base.id, "text": base.text},
                     "theirs": {"revision_id": head.id, "text": head.text},
                     "mine": {"text": text}, "proposed": None},
        )
    return _append_revision(actor, clause, head, text, rationale, **credit)


def _append_revision(actor, clause, parent, text, rationale, **extra):
    extra.setdefault("author_id", actor.id)
    revision = ClauseRevision(clause_id=clause.id, parent_id=parent.id, number=parent.number + 1,
                              text=text, html=render_markdown(text), rationale=rationale, **extra)
    db.session.add(revision)
    db.session.flush()
    clause.head = revision
    db.session.flush()
    events.append(clause.document, "clause.revised", actor, {
        "clause_id": clause.id, "revision_id": revision.id, "parent_id": parent.id,
        "number": revision.number, "text": text, "html": str(revision.html), "rationale": rationale,
    })
    votes.text_changed(actor, clause, revision)
    return revision
