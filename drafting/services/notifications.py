"""In-app notifications: mentions, replies, amendment decisions, votes gone stale."""
from drafting.domain.errors import NotFound
from drafting.extensions import db
from drafting.models import Notification, utcnow
from drafting.services.permissions import require_signed_in

MENTION = "mention"
REPLY = "reply"
AMENDMENT_DECISION = "amendment_decision"
VOTE_STALE = "vote_stale"


def notify(user_id, kind, message, url="", document_id=None):
    """Queue a notification for one person; nobody is notified of their own doing by the callers."""
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
