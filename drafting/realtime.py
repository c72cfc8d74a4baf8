"""Socket.IO handlers. Clients join a document's room and receive its events in seq order.

Contract (DESIGN.md, "Socket.IO"): connect with the session cookie or auth={"token": ...};
`join {document_id, after_seq}` acknowledges {ok, seq} after replaying every missed event;
`event` messages follow in seq order; `presence` messages say who has the document open.
Every handler answers bad input with {ok: false, error} and changes nothing.
"""
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room

from drafting import presence
from drafting.domain import limits
from drafting.domain.errors import DomainError, ValidationError
from drafting.domain.vocabulary import ROLE_RANK, Role
from drafting.extensions import db, socketio
from drafting.services import accounts, documents, events, sessions
from drafting.services.permissions import role_in

REPLAY_LIMIT = 500
MAX_DOCUMENTS = 20  # documents one connection may follow at once
PRESENCE_DELAY = 0.5  # seconds: joins and leaves within this window go out as one message


@dataclass
class Connection:
    """What this process remembers about one socket: who opened it, with what, and what it follows."""

    token: str | None = None
    documents: set = field(default_factory=set)
    user_id: int | None = None


_connections = {}
_store = None
_sockets = None
# Events only the server raises: a client that sends one by name is answered as for an unknown event.
RESERVED = ("connect", "disconnect", "connect_error")
_pending_presence = set()
_pending_lock = threading.Lock()


def _actor():
    """The user behind this socket: its token's owner (checked again, so revoking works) or the session's."""
    connection = _connections.get(request.sid)
    if connection is not None and connection.token is not None:
        user = accounts.user_for_token(connection.token)
        if user is None:
            raise ValidationError("The token is no longer valid; sign in again.")
        return user
    return current_user if current_user.is_authenticated else None


@contextmanager
def _reading():
    """A read-only database turn for one socket event: the session is removed after it."""
    try:
        yield
    finally:
        db.session.remove()


def _refuse(message, code="invalid"):
    return {"ok": False, "error": message, "code": code}


def _document_id(data):
    if not isinstance(data, dict):
        raise ValidationError("Send an object such as {document_id: 1, after_seq: 0}.")
    return limits.identifier(data.get("document_id"), "document_id")


def _announce_presence(document_id):
    """Send the document's presence to its room soon; several changes in the window make one message."""
    with _pending_lock:
        if document_id in _pending_presence:
            return
        _pending_presence.add(document_id)
    socketio.start_background_task(_send_presence, document_id)


def _send_presence(document_id):
    socketio.sleep(PRESENCE_DELAY)
    with _pending_lock:
        _pending_presence.discard(document_id)
    snapshot = presence.snapshot(document_id, _store.entries(document_id))
    socketio.emit("presence", snapshot, to=f"document:{document_id}")


def _presence_entry(actor, document, editing=None, selection=None):
    if actor is None:
        return {"user_id": None, "name": "", "participant": False, "editing": None}
    role = role_in(actor, document.meeting)
    participant = role is not None and ROLE_RANK[role] >= ROLE_RANK[Role.EXPERT]
    return {"user_id": actor.id, "name": actor.name, "participant": participant,
            "editing": editing if participant else None,
            "selection": selection if participant and editing is not None else None}


def _selection(value):
    """[from, to] offsets in the clause text being edited, or None for anything else."""
    if (isinstance(value, list) and len(value) == 2 and all(type(n) is int for n in value)
            and 0 <= value[0] <= value[1] <= limits.CLAUSE_TEXT):
        return value
    return None


def async_mode(configured):
    """gevent when the server runs under gevent (gunicorn -k gevent), threading otherwise.

    Left to itself, engineio picks gevent whenever it is installed, even under `flask run`.
    """
    if configured:
        return configured
    try:
        from gevent import monkey
    except ImportError:
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def origin_checker(extra_origins):
    """Browsers may connect from the app's own origin and from DRAFTING_ALLOWED_ORIGINS only."""
    extra = set(extra_origins or ())

    def allowed(origin, environ):
        # The host and scheme as the app sees them: behind DRAFTING_TRUSTED_PROXIES, ProxyFix (which
        # wraps this server) has put the proxy's X-Forwarded-Host/-Proto there; a client's own
        # X-Forwarded-* headers are never read.
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin == own or origin in extra

    return allowed


def without_websocket_compression(wsgi_app):
    """Hide the client's permessage-deflate offer, so simple-websocket never negotiates it."""

    def app(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return app


def init_socketio(app):
    """Bind Socket.IO to the app: async mode, message queue, origins, message size, compression."""
    socketio.init_app(
        app,
        message_queue=app.config.get("MESSAGE_QUEUE"),
        channel=app.config.get("MESSAGE_CHANNEL", "drafting-room"),
        cors_allowed_origins=origin_checker(app.config.get("CORS_ALLOWED_ORIGINS")),
        async_mode=async_mode(app.config.get("SOCKETIO_ASYNC_MODE")),
        max_http_buffer_size=app.config.get("SOCKETIO_MAX_MESSAGE_BYTES", 64 * 1024),
        json=None,
    )
    if not app.config.get("WEBSOCKET_COMPRESSION"):
        app.wsgi_app = without_websocket_compression(app.wsgi_app)


def _stop_following(connection, document_id):
    """Take this socket out of the document's room and presence (it asked to, or lost its access)."""
    if connection is not None and document_id in connection.documents:
        leave_room(f"document:{document_id}")
        connection.documents.discard(document_id)
        _store.remove(document_id, request.sid)
        _announce_presence(document_id)


def end_access(withdrawals):
    """After a commit that ended someone's access (services/sessions.withdraw): disconnect each socket
    it covers, in whichever process serves it (the message queue carries the disconnect there)."""
    for withdrawal in withdrawals:
        for sid, entry in _sockets.of(withdrawal["user_id"]):
            if presence.withdrawn(entry, withdrawal):
                _sockets.remove(withdrawal["user_id"], sid)
                socketio.server.disconnect(sid, namespace="/")


def _refuse_reserved_events(server):
    """A client may not send `connect` or `disconnect` itself: they would run the server's own handlers
    (hiding from presence while still receiving events, or resetting the document limit)."""
    if getattr(server, "_reserved_refused", False):
        return
    handle = server._handle_event

    def guarded(eio_sid, namespace, id, data):
        if data and data[0] in RESERVED:
            data = [f"{data[0]} (reserved)"] + list(data[1:])
        return handle(eio_sid, namespace, id, data)

    server._handle_event = guarded
    server._reserved_refused = True


def forget_connections(app):
    """Know no sockets: this process's connections, and the presence and socket stores of the app's queue.

    Called when the app is registered, and by the tests before each test of an app they reuse.
    """
    global _store, _sockets
    _connections.clear()
    _store = presence.store_for(app.config.get("MESSAGE_QUEUE"), app.config.get("MESSAGE_CHANNEL", "drafting-room"))
    _sockets = presence.sockets_for(app.config.get("MESSAGE_QUEUE"), app.config.get("MESSAGE_CHANNEL", "drafting-room"))


def register(app):
    forget_connections(app)

    @socketio.on("connect")
    def connect(auth=None):
        """Raised by the server when a client opens the socket, with its session cookie or auth={"token": ...}."""
        token = None
        if auth is not None:
            if not isinstance(auth, dict) or not isinstance(auth.get("token", ""), str):
                raise ConnectionRefusedError("auth must be {token: \"drt_…\"}.")
            token = auth.get("token") or None
        connection, entry = Connection(token=token), None
        if token is not None:
            with _reading():
                found = accounts.token_for(token)
                if found is None:
                    raise ConnectionRefusedError("The token is not valid.")
                connection.user_id, entry = found[1].id, {"session": None, "token": found[0].id, "meetings": []}
        elif session.get("_sid"):
            with _reading():
                found = sessions.find(session.get("_sid"))
                if found is not None:
                    connection.user_id, entry = found[1].id, {"session": found[0].id, "token": None, "meetings": []}
        _connections[request.sid] = connection
        if entry is not None:
            # Registered so that ending this person's access can find the socket (end_access).
            _sockets.add(connection.user_id, request.sid, entry)

    @socketio.on("disconnect")
    def disconnect(*_args):
        """Raised by the server when a client's connection closes: it leaves every document's presence."""
        connection = _connections.pop(request.sid, None)
        if connection is None:
            return
        if connection.user_id is not None:
            _sockets.remove(connection.user_id, request.sid)
        for document_id in connection.documents:
            _store.remove(document_id, request.sid)
            _announce_presence(document_id)

    @socketio.on("join")
    def join(data=None):
        """Sent by a client to follow a document: {document_id, after_seq}. Replays missed events."""
        connection = _connections.get(request.sid)
        with _reading():
            document_id = _document_id(data)
            after_seq = limits.whole_number(data.get("after_seq", 0), "after_seq")
            if connection is None:
                return _refuse("Connect again before joining.")
            if document_id not in connection.documents and len(connection.documents) >= MAX_DOCUMENTS:
                return _refuse(f"One connection follows at most {MAX_DOCUMENTS} documents.", "too_many")
            actor = _actor()
            try:
                document = documents.get_document(actor, document_id)
            except DomainError:
                _stop_following(connection, document_id)
                raise
            # Join first, then replay: an event committed in between arrives twice, never
            # not at all, and clients drop what they have seen by seq.
            join_room(f"document:{document.id}")
            connection.documents.add(document.id)
            if connection.user_id is not None:
                _sockets.follow(connection.user_id, request.sid, document.meeting_id)
            _store.put(document.id, request.sid, _presence_entry(actor, document))
            _announce_presence(document.id)
            missed = events.after(document, after_seq, limit=REPLAY_LIMIT + 1)
            if len(missed) > REPLAY_LIMIT:
                return {"ok": True, "seq": document.last_seq, "reload": True}
            for event in missed:
                socketio.emit("event", events.as_message(event), to=request.sid)
            return {"ok": True, "seq": missed[-1].seq if missed else min(after_seq, document.last_seq)}

    @socketio.on("leave")
    def leave(data=None):
        """Sent by a client that stops following a document: {document_id}."""
        _stop_following(_connections.get(request.sid), _document_id(data))
        return {"ok": True}

    @socketio.on("presence")
    def here(data=None):
        """Sent by a client every 30 s, when it starts or stops editing and as its cursor moves:
        {document_id, editing, selection?: [from, to]}."""
        connection = _connections.get(request.sid)
        with _reading():
            document_id = _document_id(data)
            editing = data.get("editing")
            if editing is not None:
                editing = limits.identifier(editing, "editing")
            if connection is None or document_id not in connection.documents:
                return _refuse("Join the document first.", "not_joined")
            actor = _actor()
            try:
                document = documents.get_document(actor, document_id)
            except DomainError:
                _stop_following(connection, document_id)  # whoever may no longer read it leaves
                raise
            if editing is not None:
                clause = documents.get_clause(actor, editing)
                if clause.document_id != document.id:
                    return _refuse("That clause is not part of this document.")
            entry = _presence_entry(actor, document, editing, _selection(data.get("selection")))
            if _store.put(document.id, request.sid, entry):
                _announce_presence(document.id)
            return {"ok": True}

    _refuse_reserved_events(socketio.server)

    @socketio.on("*")
    def unknown(name, *_args):
        """Any event the server does not know: refused, nothing happens."""
        return _refuse(f"Unknown event {str(name)[:40]!r}.", "unknown_event")

    @socketio.on_error_default
    def failed(error):
        """Every handler's errors, answered in one place: a domain error is refused with its message
        and code (as web/errors.py answers it over HTTP); anything else is the server's fault."""
        db.session.rollback()
        if isinstance(error, DomainError):
            return _refuse(error.message, error.code)
        current_app.logger.exception("Socket event %r failed", getattr(request, "event", {}).get("message"))
        return _refuse("Something went wrong on the server.", "internal")
