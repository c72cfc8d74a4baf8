"""In-app notifications: mentions, replies, amendment decisions, votes gone stale."""
import re

from drafting.domain.activity import paragraph_name
from drafting.domain.errors import NotFound
from drafting.extensions import db
from drafting.models import Clause, Notification, utcnow
from drafting.services.permissions import require_signed_in

MENTION = "mention"
REPLY = "reply"
AMENDMENT_DECISION = "amendment_decision"
VOTE_STALE = "vote_stale"


_CLAUSE_URL = re.compile(r"^/clauses/(\d+)(?:[#?/]|$)")


def _paragraph_named(clause_id):
    """ "paragraph 3" or "preambular paragraph 2": the clause as numbered when the message is written."""
    from drafting.services import documents  # documents' services notify through this module

    clause = db.session.get(Clause, clause_id)
    if clause is None:
        return None
    # Several people told of one change (votes gone stale): the outline is read once per change.
    names = db.session.info.setdefault("paragraph_names", {})
    key = (clause_id, clause.document.last_seq)
    if key not in names:
        names.clear()
        rows = [row for section in documents.outline(clause.document) for row in section.clauses]
        preambular = [row.clause.id for row in rows if row.clause.kind == "PP"]
        row = next(row for row in rows if row.clause.id == clause_id)
        ordinal = preambular.index(clause_id) + 1 if clause_id in preambular else None
        names[key] = paragraph_name(row.number, clause.kind, ordinal)
    return names[key]


def notify(user_id, kind, message, url="", document_id=None):
    """Queue a notification for one person; nobody is notified of their own doing by the callers.

    A notification about a clause names its paragraph as numbered when it was written; its link
    leads to the clause, wherever it stands by then.
    """
    about = _CLAUSE_URL.match(url or "")
    name = _paragraph_named(int(about.group(1))) if about else None
    if name and not name.startswith("a "):
        message = f"{name[0].upper()}{name[1:]}: {message}"
    notification = Notification(user_id=user_id, kind=kind, message=message[:500], url=url[:300],
                                document_id=document_id)
    db.session.add(notification)
    return notification


def unread_count(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return db.session.execute(
        db.select(db.func.count(Notification.id))
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()


def recent(actor, limit=100):
    require_signed_in(actor)
    return db.session.execute(
        db.select(Notification).where(Notification.user_id == actor.id)
        .order_by(Notification.id.desc()).limit(limit)
    ).scalars().all()


def get(actor, notification_id):
    require_signed_in(actor)
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.id:
        raise NotFound(f"No notification with id {notification_id}.")
    return notification


def mark_read(actor, notification_id=None):
    """Mark one notification (or, without an id, all of them) as read; returns how many changed."""
    require_signed_in(actor)
    query = db.select(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
    if notification_id is not None:
        get(actor, notification_id)
        query = query.where(Notification.id == notification_id)
    now = utcnow()
    changed = db.session.execute(query).scalars().all()
    for notification in changed:
        notification.read_at = now
    db.session.flush()
    return len(changed)
