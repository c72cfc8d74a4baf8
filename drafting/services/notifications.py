"""Notifications: mentions, replies, amendment decisions, votes gone stale — in the app (the bell)
and by mail as each person chose for each meeting: every one, a daily digest, or none.

Formal notices of the procedure are not notifications: services/notices.py sends them to everyone.
"""
from datetime import datetime, time, timedelta, timezone

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from drafting.domain.errors import NotFound, ValidationError
from drafting.domain.vocabulary import Role
from drafting.extensions import db
from drafting.models import Clause, Document, MailPreference, Meeting, Notification, User, utcnow
from drafting.services import events, mail
from drafting.services.permissions import require_role, require_signed_in

MENTION = "mention"
REPLY = "reply"
AMENDMENT_DECISION = "amendment_decision"
VOTE_STALE = "vote_stale"


EVERY, DIGEST, NONE = "every", "digest", "none"
CHOICES = {EVERY: "Every notification", DIGEST: "A daily digest", NONE: "None"}
DEFAULT_CHOICE = EVERY
# The daily digest goes out at this hour of the meeting's time zone, with what came since the last one.
DIGEST_HOUR = 6


def notify(user_id, kind, message, url="", document_id=None, clause=None):
    """Tell one person, in the app and (as they chose) by mail; callers never notify people of their
    own doing."""
    # In the app the message names the paragraph as it was numbered when it was written; the link
    # leads to the clause wherever it stands by then.
    named = f"{paragraph_name(clause)}: {message}" if clause is not None else message
    notification = Notification(user_id=user_id, kind=kind, message=named[:500], url=url[:300],
                                document_id=document_id, clause_id=clause.id if clause is not None else None)
    db.session.add(notification)
    if document_id is not None:
        document = db.session.get(Document, document_id)
        if choice_of(user_id, document.meeting_id) == EVERY:
            user = db.session.get(User, user_id)
            item = _item(notification, document, clause)
            mail.queue("notification", user.email, user.name, f"{item['paragraph']}: {message}"[:200],
                       "notification", user_id=user.id, meeting_id=document.meeting_id, meeting=document.meeting,
                       item=item, unsubscribe_url=unsubscribe_url(user.id, document.meeting_id))
    return notification


# --- what a notification is about, in words and as a link ------------------------------------------

def paragraph_name(clause):
    """How a mail names the paragraph: "Paragraph 3", or a preambular paragraph by its first words."""
    if clause is None:
        return "The document"
    cache = db.session.info.setdefault("paragraph_numbers", {})
    key = (clause.document_id, clause.document.last_seq, events.appended())
    if key not in cache:
        from drafting.services.documents import numbering

        cache.clear()
        cache[key] = numbering(clause.document)["numbers"]
    number = cache[key].get(str(clause.id))
    if clause.kind == "OP" and number:
        return f"Paragraph {number}"
    words = (clause.head.text if clause.head is not None else "").split()
    opening = " ".join(words[:5]) + ("…" if len(words) > 5 else "")
    return f"Preambular paragraph “{opening}”" if opening else "A preambular paragraph"


def _item(notification, document, clause):
    message = notification.message
    if clause is not None and ": " in message:  # the app's message starts with the paragraph, as named then
        message = message.split(": ", 1)[1]
    return {"paragraph": paragraph_name(clause), "document": document.title, "message": message,
            "url": mail.public_url(notification.url or f"/documents/{document.id}"),
            "when": (notification.created_at or utcnow()).strftime("%d %b, %H:%M UTC")}


# --- the mail preference of each person for each meeting --------------------------------------------

def choice_of(user_id, meeting_id):
    preference = _preference(user_id, meeting_id)
    return preference.choice if preference is not None else DEFAULT_CHOICE


def _preference(user_id, meeting_id):
    return db.session.execute(
        db.select(MailPreference).filter_by(user_id=user_id, meeting_id=meeting_id)).scalar_one_or_none()


def set_choice(actor, meeting, choice):
    """every, digest or none: how the actor hears of this meeting's notifications by mail."""
    require_role(actor, meeting, Role.OBSERVER)
    return _set(actor.id, meeting.id, choice)


def _set(user_id, meeting_id, choice):
    if choice not in CHOICES:
        raise ValidationError(f"Mail must be one of: {', '.join(CHOICES)}.", field="choice")
    preference = _preference(user_id, meeting_id)
    if preference is None:
        preference = MailPreference(user_id=user_id, meeting_id=meeting_id, choice=DEFAULT_CHOICE,
                                    digest_after_id=0)
        db.session.add(preference)
    if choice == DIGEST and preference.choice != DIGEST:
        # The digest starts from now: what came before was mailed one by one, or not at all.
        preference.digest_after_id = db.session.execute(
            db.select(db.func.coalesce(db.func.max(Notification.id), 0)).where(Notification.user_id == user_id)
        ).scalar_one()
        preference.digest_sent_at = mail.clock()
    preference.choice = choice
    db.session.flush()
    return preference


def _unsubscribe_serializer():
    return URLSafeSerializer(current_app.secret_key, salt="mail-unsubscribe")


def unsubscribe_url(user_id, meeting_id):
    return mail.link("mail.unsubscribe", token=_unsubscribe_serializer().dumps([user_id, meeting_id]))


def unsubscription(token):
    """(user, meeting) named by an unsubscribe link, or NotFound."""
    try:
        user_id, meeting_id = _unsubscribe_serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise NotFound("This link is not valid.") from None
    user, meeting = db.session.get(User, user_id), db.session.get(Meeting, meeting_id)
    if user is None or meeting is None:
        raise NotFound("This link is not valid.")
    return user, meeting


def unsubscribe(token):
    """One click in a mail: no more notifications by mail for that meeting (formal notices still go)."""
    user, meeting = unsubscription(token)
    _set(user.id, meeting.id, NONE)
    return user, meeting


# --- the daily digest -----------------------------------------------------------------------------

def digest_time(now, zone):
    """The latest moment up to `now` (UTC, naive) when a digest was due: DIGEST_HOUR in `zone`."""
    local = now.replace(tzinfo=timezone.utc).astimezone(zone)
    due = datetime.combine(local.date(), time(DIGEST_HOUR), tzinfo=zone)
    if local < due:
        due = datetime.combine(local.date() - timedelta(days=1), time(DIGEST_HOUR), tzinfo=zone)
    return due.astimezone(timezone.utc).replace(tzinfo=None)


def queue_due_digests():
    """Write each digest that is due: what came for a person in a meeting since their last one."""
    from drafting.services.notices import zone_of

    now = mail.clock()
    preferences = db.session.execute(
        db.select(MailPreference).where(MailPreference.choice == DIGEST)).scalars().all()
    written = 0
    for preference in preferences:
        due_at = digest_time(now, zone_of(db.session.get(Meeting, preference.meeting_id)))
        if preference.digest_sent_at is not None and preference.digest_sent_at >= due_at:
            continue
        rows = db.session.execute(
            db.select(Notification, Document).join(Document, Notification.document_id == Document.id)
            .where(Notification.user_id == preference.user_id, Document.meeting_id == preference.meeting_id,
                   Notification.id > preference.digest_after_id)
            .order_by(Notification.id)
        ).all()
        if not rows:
            continue
        user = db.session.get(User, preference.user_id)
        meeting = db.session.get(Meeting, preference.meeting_id)
        clauses = {c.id: c for c in db.session.execute(db.select(Clause).where(
            Clause.id.in_({n.clause_id for n, _ in rows if n.clause_id}))).scalars()}
        items = [_item(n, d, clauses.get(n.clause_id)) for n, d in rows]
        since = (preference.digest_sent_at or rows[0][0].created_at).strftime("%d %B, %H:%M UTC")
        mail.queue("digest", user.email, user.name,
                   f"{meeting.title}: {len(items)} notification{'s' if len(items) != 1 else ''} since {since}",
                   "digest", user_id=user.id, meeting_id=meeting.id, meeting=meeting, items=items, since=since,
                   unsubscribe_url=unsubscribe_url(user.id, meeting.id))
        preference.digest_after_id = rows[-1][0].id
        preference.digest_sent_at = now
        written += 1
    db.session.flush()
    return written


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
