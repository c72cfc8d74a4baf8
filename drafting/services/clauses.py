"""Saving clause text: every save is a revision that carries the revision it was based on."""
from drafting.domain import clause_state, limits
from drafting.domain.errors import Conflict, TooLarge, ValidationError
from drafting.domain.merge import has_conflict_marks, merge
from drafting.domain.rendering import render_markdown
from drafting.extensions import db
from drafting.models import Clause, ClauseRevision, Declaration
from drafting.services import events, votes
from drafting.services.documents import paragraph_name, require_edit


def revisions(clause):
    return db.session.execute(
        db.select(ClauseRevision).filter_by(clause_id=clause.id).order_by(ClauseRevision.number)
    ).scalars().all()


def lock(clause):
    """Take the clause's row lock and read its head and status again, as they are committed now.

    Every change of a clause's text or status starts here, so that two changes of one clause are
    made one after the other, each on what the other left: on PostgreSQL two edits could otherwise
    both append revision n + 1 on the same head, or agreement be recorded on a head that an edit has
    just replaced. (SQLite's single write lock already orders them; there this is a plain read.)
    """
    db.session.refresh(clause, with_for_update={"of": Clause})
    return clause


def base_revision(clause, base_revision_id):
    """The revision of this clause that an edit says it was based on; a 422 for another clause's."""
    base_revision_id = limits.identifier(base_revision_id, "base_revision_id")
    base = db.session.get(ClauseRevision, base_revision_id)
    if base is None or base.clause_id != clause.id:
        raise ValidationError(f"Revision {base_revision_id} is not a revision of this clause.",
                              field="base_revision_id")
    return base


def standing_declaration(clause):
    """The declaration that gave the clause its current status, or None (never declared, or imported)."""
    return db.session.execute(
        db.select(Declaration).filter_by(clause_id=clause.id).order_by(Declaration.id.desc()).limit(1)
    ).scalar_one_or_none()


def agreed_revision(clause):
    """The revision a frozen clause was agreed on: its standing declaration's, else its head."""
    declaration = standing_declaration(clause)
    if declaration is not None and declaration.revision is not None and declaration.status == clause.status:
        return declaration.revision
    return clause.head


def text_change_refusal(clause):
    """Why the clause's text may not change now (frozen, withdrawn, merged), or None."""
    number = None
    if clause_state.is_frozen(clause.status):
        agreed = agreed_revision(clause)
        number = agreed.number if agreed is not None else None
    return clause_state.text_change_refusal(clause.status, number)


def require_text_may_change(clause):
    """Refuse, with a 409 naming the agreed revision, any change of a frozen clause's text."""
    refusal = text_change_refusal(clause)
    if refusal:
        details = {"clause_id": clause.id, "status": clause.status}
        if clause_state.is_frozen(clause.status):
            agreed = agreed_revision(clause)
            details.update(agreed_revision_id=agreed.id if agreed else None,
                           agreed_revision_number=agreed.number if agreed else None,
                           resolve="The chair reopens the clause, with a reason.")
        raise Conflict(refusal, field="status", details=details)


def save_edit(actor, clause, base_revision_id, text, rationale=""):
    """Save new text for a clause. Returns (revision, created).

    An edit identical to the head creates nothing. An edit made on an earlier revision is merged
    with what was saved since, or refused with a Conflict carrying what is needed to resolve it.
    """
    require_edit(actor, clause.document)
    require_text_may_change(clause)
    base = base_revision(clause, base_revision_id)
    text = limits.clause_text(text, "Clause text")
    rationale = limits.text(rationale, "Rationale", limits.RATIONALE, required=False)
    if has_conflict_marks(text):
        raise ValidationError("The text still contains a marked conflict ([[theirs: … || mine: …]]): "
                              "keep the words you want and remove the marks.", field="text")
    head = clause.head
    if text == head.text:
        return head, False
    revision = merge_and_append(actor, clause, base, text, rationale)
    return revision, revision.id != head.id


def propose_merge(actor, clause, base_revision_id, text):
    """Where a draft written on base_revision_id would land on the head now; writes nothing.

    Returns a domain.merge.Merge: clean with the merged text, or with its conflicts marked.
    """
    require_edit(actor, clause.document)
    require_text_may_change(clause)
    base = base_revision(clause, base_revision_id)
    text = limits.clause_text(text, "Clause text")
    head = clause.head
    if base.id != head.id and not _is_ancestor(clause, base, head):
        raise Conflict(f"Revision {base.number} is not an earlier state of the current text "
                       f"(revision {head.number}): reload the clause.", field="base_revision_id")
    return merge(base.text, head.text, text)


def merge_and_append(actor, clause, base, text, rationale="", **credit):
    """Put `text`, written against revision `base`, on top of the clause's head.

    Used by every path that changes clause text (edits, accepted amendments, compromises).
    `credit` sets author_id, amendment_id or accepted_by_id on the new revision.
    When base is not the head, the changes from base to `text` are merged with those saved since
    (the new revision records merged_from_id). Returns the head itself when nothing changes.
    Raises Conflict with base, theirs, mine and a proposed text when the changes overlap, and
    refuses every change to a frozen (agreed), withdrawn or merged clause's text.
    """
    lock(clause)
    require_text_may_change(clause)
    head = clause.head
    if base.clause_id != clause.id:
        raise ValidationError(f"Revision {base.id} is not a revision of this clause.",
                              field="base_revision_id")
    if base.id != head.id:
        if not _is_ancestor(clause, base, head):
            raise Conflict(f"Revision {base.number} is not an earlier state of the current text "
                           f"(revision {head.number}): reload the clause and edit the current text.",
                           field="base_revision_id", details=_conflict_details(base, head, text, None))
        merged = merge(base.text, head.text, text)
        if not merged.clean:
            count = len(merged.conflicts)
            raise Conflict(
                f"Someone saved this clause after you started editing, and {count} of your changes "
                f"overlap{'s' if count == 1 else ''} theirs: choose or edit the result.",
                details=_conflict_details(base, head, text, merged))
        text = merged.text
        credit.setdefault("merged_from_id", base.id)
    if len(text) > limits.CLAUSE_TEXT:
        raise TooLarge(f"The merged clause text is {len(text):,} characters long; "
                       f"the limit is {limits.CLAUSE_TEXT:,}.", field="text")
    if text == head.text:
        return head
    return _append_revision(actor, clause, head, text, rationale, **credit)


def _conflict_details(base, head, text, merged):
    return {"base": {"revision_id": base.id, "number": base.number, "text": base.text},
            "theirs": {"revision_id": head.id, "number": head.number, "text": head.text,
                       "author": head.author.name if head.author else None},
            "mine": {"text": text},
            "proposed": {"text": merged.text, "conflicts": len(merged.conflicts)} if merged else None}


def _is_ancestor(clause, base, head):
    """Whether `base` lies on the parent chain of `head`."""
    parents = dict(db.session.execute(
        db.select(ClauseRevision.id, ClauseRevision.parent_id).filter_by(clause_id=clause.id)).all())
    current = head.id
    for _ in range(len(parents)):
        if current is None:
            return False
        if current == base.id:
            return True
        current = parents.get(current)
    return False


def _append_revision(actor, clause, parent, text, rationale, **extra):
    extra.setdefault("author_id", actor.id)
    revision = ClauseRevision(clause_id=clause.id, parent_id=parent.id, number=parent.number + 1,
                              text=text, html=render_markdown(text), rationale=rationale, **extra)
    db.session.add(revision)
    db.session.flush()
    clause.head = revision  # written with the event's flush
    events.append(clause.document, "clause.revised", actor, {
        "clause_id": clause.id, "revision_id": revision.id, "parent_id": parent.id,
        "number": revision.number, "merged_from_id": revision.merged_from_id, "text": text,
        "html": str(revision.html), "rationale": rationale, "paragraph": paragraph_name(clause),
    })
    votes.text_changed(actor, clause, revision)
    return revision
