"""Socket.IO handlers. Clients join a document's room and receive its events in seq order."""
from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room

from drafting.domain import limits
from drafting.domain.errors import DomainError
from drafting.extensions import db, socketio, sqlite_begin
from drafting.models import User
from drafting.services import accounts, documents, events

REPLAY_LIMIT = 500

# sid -> user id, for connections that authenticated with a token instead of the session
_token_users = {}


def _actor():
    user_id = _token_users.get(request.sid)
    if user_id is not None:
        return db.session.get(User, user_id)
    return current_user if current_user.is_authenticated else None


def register(_app):
    @socketio.on("connect")
    def connect(auth=None):
        """Sent by a client opening the socket, with its session cookie or auth={"token": ...}."""
        if isinstance(auth, dict) and auth.get("token"):
            user = accounts.user_for_token(auth.get("token"))
            if user is None:
                raise ConnectionRefusedError("The token is not valid.")
            _token_users[request.sid] = user.id
        db.session.remove()

    @socketio.on("disconnect")
    def disconnect(*_args):
        """Sent when a client's connection closes."""
        _token_users.pop(request.sid, None)

    @socketio.on("join")
    def join(data):
        """Sent by a client to follow a document: {document_id, after_seq}. Replays missed events."""
        token = sqlite_begin.set("BEGIN")
        try:
            if not isinstance(data, dict):
                return {"ok": False, "error": "join needs {document_id, after_seq}."}
            document_id = limits.identifier(data.get("document_id"), "document_id")
            after_seq = data.get("after_seq", 0)
            if isinstance(after_seq, bool) or not isinstance(after_seq, int) or after_seq < 0:
                return {"ok": False, "error": "after_seq must be a whole number ≥ 0."}
            document = documents.get_document(_actor(), document_id)
            # Join first, then replay: an event committed in between arrives twice, never
            # not at all, and clients drop what they have seen by seq.
            join_room(f"document:{document.id}")
            missed = events.after(document, after_seq, limit=REPLAY_LIMIT + 1)
            if len(missed) > REPLAY_LIMIT:
                return {"ok": True, "seq": document.last_seq, "reload": True}
            for event in missed:
                socketio.emit("event", events.as_message(event), to=request.sid)
            return {"ok": True, "seq": missed[-1].seq if missed else max(after_seq, 0)}
        except DomainError as error:
            return {"ok": False, "error": error.message, "code": error.code}
        finally:
            db.session.remove()
            sqlite_begin.reset(token)

    @socketio.on("leave")
    def leave(data):
        """Sent by a client that stops following a document: {document_id}."""
        if isinstance(data, dict) and isinstance(data.get("document_id"), int):
            leave_room(f"document:{data['document_id']}")
        return {"ok": True}
