"""Appending to a document's event log, in the same transaction as the change."""
from sqlalchemy import update

from drafting.extensions import db
from drafting.models import Document, Event


def append(document, type_, actor, payload):
    """Add an Event with the document's next seq; the counter row lock keeps seq gap-free."""
    seq = db.session.execute(
        update(Document)
        .where(Document.id == document.id)
        .values(last_seq=Document.last_seq + 1)
        .returning(Document.last_seq)
    ).scalar_one()
    document.last_seq = seq
    event = Event(document_id=document.id, seq=seq, type=type_,
                  actor_id=actor.id if actor is not None else None, payload=payload)
    db.session.add(event)
    db.session.flush()
    pending = db.session.info.setdefault("pending_events", [])
    pending.append(event)
    return event


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
