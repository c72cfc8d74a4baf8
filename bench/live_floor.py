"""The floor for bench_live: a bare Flask-SocketIO server that only broadcasts (no database, no rules).

Served exactly like Drafting Room: `gunicorn -k gevent -w 1 --worker-connections 4000 bench.live_floor:app`.
"""
from flask import Flask
from flask_socketio import SocketIO, join_room

from drafting.realtime import without_websocket_compression

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent", cors_allowed_origins=None)
app.wsgi_app = without_websocket_compression(app.wsgi_app)


@socketio.on("join")
def join(data):
    """Sent by every client: follow the one document."""
    join_room("document")
    return {"ok": True, "seq": 0}


@socketio.on("edit")
def edit(data):
    """Sent by the author: broadcast the edit to every reader, as an event message."""
    socketio.emit("event", {"document_id": 1, "seq": 0, "type": "clause.revised", "payload": data},
                  to="document")
    return {"ok": True}
