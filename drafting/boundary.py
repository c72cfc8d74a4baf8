"""The transaction boundary: one commit per request or socket event, then the broadcast."""
from flask import has_request_context
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from drafting.extensions import db, socketio, sqlite_begin


def commit():
    """Commit the session and send every event it wrote to the document's room."""
    messages = db.session.info.pop("pending_events", [])
    withdrawals = db.session.info.pop("withdrawals", [])
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if has_request_context():
        # The request has written what it writes: what it reads for its answer needs no write lock.
        sqlite_begin.set("BEGIN")
    for message in messages:
        socketio.emit("event", message, to=f"document:{message['document_id']}")
    if withdrawals:
        from drafting import realtime

        realtime.end_access(withdrawals)


@sa_event.listens_for(Session, "after_rollback")
def _forget_events(session):
    session.info.pop("pending_events", None)
    session.info.pop("withdrawals", None)
