"""The transaction boundary: one commit per request or socket event, then the broadcast."""
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from drafting.extensions import db, socketio


def commit():
    """Commit the session and send every event it wrote to the document's room."""
    messages = db.session.info.pop("pending_events", [])
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for message in messages:
        socketio.emit("event", message, to=f"document:{message['document_id']}")


@sa_event.listens_for(Session, "after_rollback")
def _forget_events(session):
    session.info.pop("pending_events", None)
