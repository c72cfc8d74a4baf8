"""Formal notices of the procedure, mailed to every member of the meeting whatever their mail choice:
the silence procedure's start (the text's version, the deadline in the meeting's time zone, how to
object), its extension or cancellation, an objection, adoption and publication.

Each is written when its event is appended (services/events.py), so in the same transaction.
"""
from datetime import timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from drafting.extensions import db
from drafting.models import Document, Membership, User, Version
from drafting.services import events, mail


def register():
    for type_ in NOTICES:
        events.listen(type_, _on_event)


def zone_of(meeting):
    try:
        return ZoneInfo(getattr(meeting, "time_zone", None) or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def in_meeting_time(meeting, moment):
    """A UTC moment (naive, as stored) as the meeting reads it: 'Friday 22 July 2016, 17:00 CEST (Europe/Zurich)'."""
    zone = zone_of(meeting)
    local = moment.replace(tzinfo=timezone.utc).astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} {local.tzname()} ({zone.key})"


def _deadline(document, payload):
    from datetime import datetime

    raw = payload.get("deadline")
    if raw:
        try:
            return datetime.fromisoformat(raw.rstrip("Z"))
        except (TypeError, ValueError):
            pass
    return document.silence_deadline


def _version(document):
    version = db.session.execute(
        db.select(Version).filter_by(document_id=document.id).order_by(Version.id.desc()).limit(1)
    ).scalar_one_or_none()
    return f"version “{version.label}”" if version is not None else "the current text"


def _name(document):
    return f"“{document.title}”" + (f" ({document.symbol})" if document.symbol else "")


def _by(actor):
    return actor.name if actor is not None else "The procedure"


HOW_TO_OBJECT = ("To object, open the procedure page below and write your objection: a written objection "
                 "from an expert, a rapporteur or the chair breaks silence and returns the text to "
                 "consolidation. Without an objection, nothing needs to be done.")


def _silence_started(document, actor, payload):
    deadline = in_meeting_time(document.meeting, _deadline(document, payload))
    return dict(
        subject=f"Silence procedure: {document.title}, until {deadline}",
        headline=f"Silence procedure on {_name(document)} until {deadline}",
        lines=[f"{_by(actor)} has put {_version(document)} of {_name(document)} under the silence procedure.",
               f"If no member objects by {deadline}, the text is adopted.", HOW_TO_OBJECT],
        link_label="Read the text and object", path=f"/documents/{document.id}/procedure")


def _silence_extended(document, actor, payload):
    deadline = in_meeting_time(document.meeting, _deadline(document, payload))
    return dict(
        subject=f"Silence procedure extended: {document.title}, until {deadline}",
        headline=f"The silence procedure on {_name(document)} now ends {deadline}",
        lines=[f"{_by(actor)} has extended the silence procedure on {_version(document)}.",
               f"If no member objects by {deadline}, the text is adopted.", HOW_TO_OBJECT]
        + ([f"Reason: {payload['reason']}"] if payload.get("reason") else []),
        link_label="Read the text and object", path=f"/documents/{document.id}/procedure")


def _silence_cancelled(document, actor, payload):
    return dict(
        subject=f"Silence procedure cancelled: {document.title}",
        headline=f"The silence procedure on {_name(document)} is cancelled",
        lines=[f"{_by(actor)} has cancelled the silence procedure; the text returns to consolidation "
               "and is not adopted."] + ([f"Reason: {payload['reason']}"] if payload.get("reason") else []),
        link_label="Open the document", path=f"/documents/{document.id}/procedure")


def _silence_broken(document, actor, payload):
    return dict(
        subject=f"Silence broken: {document.title}",
        headline=f"{payload.get('by') or _by(actor)} objected: silence on {_name(document)} is broken",
        lines=["A written objection was made, so the text is not adopted by silence. It returns to "
               "consolidation. The objection:"],
        quote=payload.get("text", ""),
        link_label="Read the objection", path=f"/documents/{document.id}/procedure")


def _adopted(document, actor, payload):
    how = ("by the silence procedure: no member objected by the deadline" if payload.get("way") == "silence"
           else f"in session, on consensus declared by {_by(actor)}")
    return dict(
        subject=f"Adopted: {document.title}",
        headline=f"{_name(document)} is adopted",
        lines=[f"The text was adopted {how}.",
               "Members may now lodge reservations or interpretive statements on its paragraphs."],
        link_label="Read the adopted text", path=f"/documents/{document.id}/outcome")


def _published(document, actor, payload):
    public = payload.get("visibility") == "public"
    return dict(
        subject=f"Published: {document.title}",
        headline=f"{_name(document)} is published",
        lines=[f"{_by(actor)} has published the outcome document "
               + ("for everyone to read." if public else "for the members of the meeting.")],
        link_label="Read the outcome document", path=f"/documents/{document.id}/outcome")


NOTICES = {
    "silence.started": _silence_started,
    "silence.extended": _silence_extended,
    "silence.cancelled": _silence_cancelled,
    "silence.broken": _silence_broken,
    "document.adopted": _adopted,
    "document.published": _published,
}


def members_of(meeting_id):
    return db.session.execute(
        db.select(User).join(Membership).where(Membership.meeting_id == meeting_id).order_by(User.id)
    ).scalars().all()


def _on_event(document_id, type_, actor, payload):
    document = db.session.get(Document, document_id)
    notice = NOTICES[type_](document, actor, payload)
    notice.setdefault("quote", "")
    notice["url"] = mail.public_url(notice.pop("path"))
    subject = notice.pop("subject")
    for user in members_of(document.meeting_id):
        mail.queue("notice", user.email, user.name, subject, "notice", user_id=user.id,
                   meeting_id=document.meeting_id, meeting=document.meeting, notice=notice)
