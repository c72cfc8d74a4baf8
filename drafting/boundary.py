"""The transaction boundary: one commit per request or socket event, then the broadcast.

A request that may write (POST, PUT, PATCH, DELETE) is committed here once its answer is ready and
is not an error; handlers do not commit. Socket handlers and commands call `commit` themselves.
"""
from flask import request
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from drafting.domain.errors import DomainError
from drafting.extensions import db, socketio

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def commit():
    """Commit the session and send every event it wrote to the document's room."""
    messages = db.session.info.pop("pending_events", [])
    withdrawals = db.session.info.pop("withdrawals", [])
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for message in messages:
        socketio.emit("event", message, to=f"document:{message['document_id']}")
    if withdrawals:
        from drafting import realtime

        realtime.end_access(withdrawals)


@sa_event.listens_for(Session, "after_rollback")
def _forget_events(session):
    session.info.pop("pending_events", None)
    session.info.pop("unwritten_events", None)
    session.info.pop("withdrawals", None)


def register(app):
    @app.after_request
    def commit_request(response):
        if request.method in WRITE_METHODS and response.status_code < 400:
            try:
                commit()
            except DomainError as refusal:  # a rule only the commit can check (services/events.py)
                return app.make_response(app.handle_user_exception(refusal))
        return response
