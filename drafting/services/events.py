"""Appending to a document's event log, in the same transaction as the change.

An appended event is held in the session until the transaction commits. Just before the COMMIT it
is written with the document's next seq: the counter row's lock keeps seq gap-free and in commit
order, and it is held only from that statement to the COMMIT, not while the request goes on.
"""
from sqlalchemy import bindparam, event as sa_event, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from drafting.domain import procedure
from drafting.domain.errors import WrongPhase
from drafting.extensions import db
from drafting.models import Document, Event, utcnow

DOCUMENTS, EVENTS = Document.__table__, Event.__table__


# Called as listener(document_id, type, actor, payload) when an event of that type is appended, in
# its transaction (services/notices.py mails the procedure's formal notices this way).
LISTENERS = {}


def listen(type_, listener):
    if listener not in LISTENERS.setdefault(type_, []):
        LISTENERS[type_].append(listener)


# Built once: every change of every document writes its events through these two statements.
_ADVANCE = (update(DOCUMENTS).where(DOCUMENTS.c.id == bindparam("document"))
            .values(last_seq=DOCUMENTS.c.last_seq + bindparam("count"))
            .returning(DOCUMENTS.c.last_seq, DOCUMENTS.c.phase))
_INSERT = insert(EVENTS)


def append(document, type_, actor, payload):
    """Add an event to this transaction; returns the message it will broadcast after the commit.

    The message's seq is set when the transaction commits (see `_write_pending`); the message is
    sent after the commit (boundary.commit), never before.
    """
    created_at = utcnow()
    message = {
        "document_id": document.id,
        "seq": None,
        "type": type_,
        "actor": {"id": actor.id, "name": actor.name} if actor is not None else None,
        "payload": payload,
        "at": created_at.isoformat() + "Z",
    }
    db.session.info.setdefault("pending_events", []).append(message)
    db.session.info.setdefault("unwritten_events", []).append((message, created_at))
    for listener in LISTENERS.get(type_, ()):
        listener(document.id, type_, actor, payload)
    return message


def appended():
    """How many events this transaction has appended so far."""
    return len(db.session.info.get("pending_events", ()))


@sa_event.listens_for(Session, "before_commit")
def _write_pending(session):
    """Write the transaction's events, each with its document's next seq, as the last statements.

    Everything else is flushed first, so that between taking a document's counter and the COMMIT
    there are only these statements. Documents are taken in id order, so that two transactions
    that write to the same two documents never wait for each other in a circle.

    Holding the counter, the transaction also sees the document's phase as committed: if the chair
    moved the document to another phase after this change was checked against the phase it had
    (another transaction, on PostgreSQL), the change is refused with WrongPhase and nothing of it
    is kept. Every change of a document appends an event, so this holds on every path.
    """
    if session.in_nested_transaction():
        return
    unwritten = session.info.pop("unwritten_events", None)
    if not unwritten:
        return
    session.flush()
    rows = []
    for document_id in sorted({message["document_id"] for message, _ in unwritten}):
        group = [(message, at) for message, at in unwritten if message["document_id"] == document_id]
        last, phase = session.execute(_ADVANCE, {"document": document_id, "count": len(group)}).one()
        document = session.identity_map.get(session.identity_key(Document, (document_id,)))
        if document is not None and document.phase != phase:
            raise WrongPhase(procedure.moved_meanwhile(phase), field="phase")
        for seq, (message, created_at) in enumerate(group, start=last - len(group) + 1):
            message["seq"] = seq
            rows.append({"document_id": document_id, "seq": seq, "type": message["type"],
                         "actor_id": message["actor"]["id"] if message["actor"] else None,
                         "payload": message["payload"], "created_at": created_at})
        if document is not None:
            set_committed_value(document, "last_seq", last)
    session.execute(_INSERT, rows)


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
