"""Comments on clauses and amendments: threads, quoted anchors, resolving, mentions."""
from dataclasses import dataclass, field

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from drafting.domain import anchors, limits, procedure
from drafting.domain.errors import Conflict, Forbidden, NotFound, ValidationError, WrongPhase
from drafting.domain.rendering import render_markdown
from drafting.domain.vocabulary import ROLE_RANK, Role
from drafting.extensions import db
from drafting.models import Amendment, Clause, ClauseRevision, Comment, Membership, User, utcnow
from drafting.services import events, notifications
from drafting.services.permissions import may_read_document, require_read_document, require_role, role_in


@dataclass
class Thread:
    """A top-level comment with its replies and where its quote stands in the current text."""

    comment: Comment
    location: anchors.Location | None = None
    replies: list = field(default_factory=list)


def get_comment(actor, comment_id):
    comment = db.session.get(Comment, comment_id) if isinstance(comment_id, int) else None
    if comment is None:
        raise NotFound(f"No comment with id {comment_id}.")
    require_read_document(actor, db.session.get(Clause, comment.clause_id).document)
    return comment


def _clause(comment):
    return db.session.get(Clause, comment.clause_id)


def anchor_of(comment):
    if comment.quote is None:
        return None
    return anchors.Anchor(quote=comment.quote, prefix=comment.quote_prefix, suffix=comment.quote_suffix,
                          start=comment.anchor_start or 0)


def threads(clause, amendment_id=None, all_of_clause=False):
    """The clause's threads (or one amendment's), oldest first, each anchored in the current text."""
    query = db.select(Comment).where(Comment.clause_id == clause.id).order_by(Comment.id)
    if not all_of_clause:
        query = query.where(Comment.amendment_id.is_(None) if amendment_id is None
                            else Comment.amendment_id == amendment_id)
    rows = db.session.execute(query).scalars().all()
    originals = _revision_texts({c.anchor_revision_id for c in rows if c.quote is not None})
    head = clause.head.text if clause.head else ""
    by_id, result = {}, []
    for comment in rows:
        if comment.parent_id is None:
            location = None
            if comment.quote is not None:
                location = anchors.locate(anchor_of(comment), head, originals.get(comment.anchor_revision_id))
            by_id[comment.id] = Thread(comment, location)
            result.append(by_id[comment.id])
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    return result


def _revision_texts(ids):
    ids = [i for i in ids if i]
    if not ids:
        return {}
    return dict(db.session.execute(
        db.select(ClauseRevision.id, ClauseRevision.text).where(ClauseRevision.id.in_(ids))).all())


_OPEN_THREAD = (Comment.parent_id.is_(None), Comment.resolved_at.is_(None), Comment.deleted_at.is_(None))


def open_threads_by_clause(document):
    """{clause_id: number of unresolved, undeleted threads} for the document."""
    return dict(db.session.execute(
        db.select(Comment.clause_id, db.func.count(Comment.id)).join(Clause, Comment.clause_id == Clause.id)
        .where(Clause.document_id == document.id, *_OPEN_THREAD)
        .group_by(Comment.clause_id)
    ).all())


def _open_threads_of(clause_id):
    return db.session.execute(
        db.select(db.func.count(Comment.id)).where(Comment.clause_id == clause_id, *_OPEN_THREAD)).scalar_one()


def _require_commenter(actor, document):
    role = require_role(actor, document.meeting, Role.OBSERVER)
    if role == Role.OBSERVER:
        raise Forbidden("Observers follow the drafting but do not comment.")
    _require_deliberation(document)
    return role


def _require_deliberation(document):
    """Threads change until the silence procedure starts; after that only objections and reservations."""
    if not procedure.may_deliberate(document.phase, Role.EXPERT):
        raise WrongPhase(procedure.deliberation_refusal(document.phase))


def post(actor, clause, body, parent_id=None, quote=None, quote_start=None, amendment_id=None):
    """A new comment or reply; a quote anchors it to words of the clause's current text."""
    document = clause.document
    _require_commenter(actor, document)
    body = limits.text(body, "Comment", limits.COMMENT)
    parent = amendment = anchor = None
    if parent_id not in (None, ""):
        parent_id = limits.identifier(parent_id, "parent_id")
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.clause_id != clause.id:
            raise ValidationError("You can only reply to a comment on this clause.", field="parent_id")
        while parent.parent_id is not None:  # replies stay one level deep: answer the thread
            parent = db.session.get(Comment, parent.parent_id)
        amendment_id = parent.amendment_id
    elif amendment_id not in (None, ""):
        amendment_id = limits.identifier(amendment_id, "amendment_id")
        amendment = db.session.get(Amendment, amendment_id)
        if amendment is None or amendment.clause_id != clause.id:
            raise ValidationError("That amendment is not one of this clause's.", field="amendment_id")
    else:
        amendment_id = None
    if quote not in (None, ""):
        if parent is not None:
            raise ValidationError("A reply answers its thread; quote words in a new comment.", field="quote")
        if isinstance(quote_start, str):
            quote_start = limits.whole_number(quote_start, "quote_start") if quote_start.strip() else None
        anchor = anchors.capture(clause.head.text, quote, quote_start)
    comment = Comment(clause_id=clause.id, amendment_id=amendment_id, author_id=actor.id, body=body,
                      html=render_markdown(body), parent_id=parent.id if parent else None,
                      marker=_next_marker(clause))
    if anchor is not None:
        comment.quote, comment.quote_prefix, comment.quote_suffix = anchor.quote, anchor.prefix, anchor.suffix
        comment.anchor_start, comment.anchor_revision_id = anchor.start, clause.head_revision_id
    db.session.add(comment)
    db.session.flush()
    _notify(actor, clause, comment, parent)
    events.append(document, "comment.posted", actor, _payload(comment))
    return comment


def _next_marker(clause):
    """The clause's next comment marker ([1], [2], …): given once, never reused or renumbered."""
    marker = db.session.execute(
        update(Clause).where(Clause.id == clause.id)
        .values(last_comment_marker=Clause.last_comment_marker + 1)
        .returning(Clause.last_comment_marker).execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(clause, "last_comment_marker", marker)
    return marker


def _payload(comment):
    return {"comment_id": comment.id, "marker": comment.marker, "clause_id": comment.clause_id, "parent_id": comment.parent_id,
            "amendment_id": comment.amendment_id, "body": comment.body, "html": str(comment.html),
            "quote": comment.quote, "resolved": comment.resolved_at is not None,
            "deleted": comment.deleted_at is not None,
            # what the document page shows of the clause's comments, so no reader has to ask
            "open_threads": _open_threads_of(comment.clause_id)}


def _notify(actor, clause, comment, parent):
    url = f"/clauses/{clause.id}#comment-{comment.id}"
    told = {actor.id}
    for user in mentioned(clause.document, comment.body):
        if user.id not in told:
            told.add(user.id)
            notifications.notify(user.id, notifications.MENTION,
                                 f"{actor.name} mentioned you in a comment.", url, clause.document_id,
                                 clause=clause)
    if parent is not None and parent.author_id and parent.author_id not in told:
        notifications.notify(parent.author_id, notifications.REPLY,
                             f"{actor.name} replied to your comment.", url, clause.document_id, clause=clause)


def mentioned(document, body):
    """Members who may read the document and are named as @Full Name or @email in the body."""
    lowered = body.lower()
    if "@" not in lowered:
        return []
    members = db.session.execute(
        db.select(User).join(Membership).where(Membership.meeting_id == document.meeting_id)
    ).scalars().all()
    found = []
    for user in sorted(members, key=lambda u: -len(u.name)):
        if (f"@{user.name.lower()}" in lowered or f"@{user.email}" in lowered) and may_read_document(user, document):
            found.append(user)
    return found


def _require_author(actor, comment, doing):
    if actor is None or comment.author_id != getattr(actor, "id", None):
        raise Forbidden(f"Only the author may {doing} a comment.")
    if comment.deleted_at is not None:
        raise Conflict("This comment was deleted.")


def edit(actor, comment, body):
    _require_author(actor, comment, "edit")
    _require_commenter(actor, _clause(comment).document)
    comment.body = limits.text(body, "Comment", limits.COMMENT)
    comment.html = render_markdown(comment.body)
    comment.edited_at = utcnow()
    db.session.flush()
    events.append(_clause(comment).document, "comment.edited", actor, _payload(comment))
    return comment


def delete(actor, comment):
    """Delete one's comment: it shows as deleted; the event keeps what it said, for the record."""
    _require_author(actor, comment, "delete")
    _require_commenter(actor, _clause(comment).document)
    said = comment.body
    comment.body, comment.html, comment.deleted_at = "", "", utcnow()
    db.session.flush()
    events.append(_clause(comment).document, "comment.deleted", actor,
                  dict(_payload(comment), body=said, html=""))
    return comment


def may_resolve(actor, comment):
    role = role_in(actor, _clause(comment).document.meeting)
    if role is None or comment.parent_id is not None:
        return False
    return comment.author_id == actor.id or ROLE_RANK[role] >= ROLE_RANK[Role.RAPPORTEUR]


def set_resolved(actor, comment, resolved):
    """Resolve or reopen a thread: its author, a rapporteur or the chair."""
    document = _clause(comment).document
    require_role(actor, document.meeting, Role.OBSERVER)
    if comment.parent_id is not None:
        raise ValidationError("Replies are resolved with their thread.", field="comment_id")
    if not may_resolve(actor, comment):
        raise Forbidden("Only the comment's author, a rapporteur or the chair may resolve or reopen it.")
    _require_deliberation(document)
    if resolved == (comment.resolved_at is not None):
        return comment
    comment.resolved_at = utcnow() if resolved else None
    comment.resolved_by_id = actor.id if resolved else None
    db.session.flush()
    events.append(document, "comment.resolved" if resolved else "comment.reopened", actor, _payload(comment))
    return comment
