"""Appending to a document's event log, in the same transaction as the change."""
from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm.attributes import set_committed_value

from drafting.extensions import db
from drafting.models import Document, Event, utcnow

DOCUMENTS, EVENTS = Document.__table__, Event.__table__


# Called as listener(document_id, type, actor, payload) when an event of that type is appended, in
# its transaction (services/notices.py mails the procedure's formal notices this way).
LISTENERS = {}


def listen(type_, listener):
    if listener not in LISTENERS.setdefault(type_, []):
        LISTENERS[type_].append(listener)


# Built once: every change of every document appends through these two statements.
_NEXT_SEQ = (update(DOCUMENTS).where(DOCUMENTS.c.id == bindparam("document"))
             .values(last_seq=DOCUMENTS.c.last_seq + 1).returning(DOCUMENTS.c.last_seq))
_INSERT = insert(EVENTS)


def append(document, type_, actor, payload):
    """Write an event with the document's next seq; returns the message it will broadcast.

    The counter row's update lock keeps seq gap-free. The message is sent after the commit
    (boundary.commit), never before.
    """
    session = db.session
    session.flush()  # Core statements do not flush: rows this event refers to go first
    seq = session.execute(_NEXT_SEQ, {"document": document.id}).scalar_one()
    set_committed_value(document, "last_seq", seq)
    created_at = utcnow()
    session.execute(_INSERT, {"document_id": document.id, "seq": seq, "type": type_,
                              "actor_id": actor.id if actor is not None else None,
                              "payload": payload, "created_at": created_at})
    message = {
        "document_id": document.id,
        "seq": seq,
        "type": type_,
        "actor": {"id": actor.id, "name": actor.name} if actor is not None else None,
        "payload": payload,
        "at": created_at.isoformat() + "Z",
    }
    session.info.setdefault("pending_events", []).append(message)
    for listener in LISTENERS.get(type_, ()):
        listener(document.id, type_, actor, payload)
    return message


def after(document, after_seq=0, limit=1000):
    return db.session.execute(
        db.select(Event)
        .where(Event.document_id == document.id, Event.seq > after_seq)
        .order_by(Event.seq)
        .limit(limit)
    ).scalars().all()


def as_message(event):
    """An event as it travels to clients: {document_id, seq, type, actor, payload, at}."""
    actor = None
    if event.actor_id is not None and event.actor is not None:
        actor = {"id": event.actor.id, "name": event.actor.name}
    return {
        "document_id": event.document_id,
        "seq": event.seq,
        "type": event.type,
        "actor": actor,
        "payload": event.payload,
        "at": event.created_at.isoformat() + "Z",
    }
