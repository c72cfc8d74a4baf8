"""Real server processes (tests/servers.py) and real python-socketio clients talking to them."""
import threading

import pytest
import socketio

from tests.servers import app, author, server, start_server, token_for  # noqa: F401  fixtures


class Reader:
    """A python-socketio client that records every event and presence message it receives."""

    def __init__(self, url, token=None, headers=None):
        self.events = []
        self.presence = []
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.refusal = None
        self.client.on("connect_error", self._refused)
        self.client.on("event", self._event)
        self.client.on("presence", self._presence)
        self.client.on("disconnect", self._disconnected)
        self.client.connect(url, transports=["websocket"], auth={"token": token} if token else None,
                            headers=headers or {}, wait_timeout=10)

    def _refused(self, reason):
        self.refusal = reason

    def _event(self, message):
        with self.changed:
            self.events.append(message)
            self.changed.notify_all()

    def _disconnected(self, *_reason):
        with self.changed:
            self.changed.notify_all()

    def _presence(self, message):
        with self.changed:
            self.presence.append(message)
            self.changed.notify_all()

    def call(self, name, data):
        return self.client.call(name, data, timeout=10)

    def join(self, document_id, after_seq=0):
        return self.call("join", {"document_id": document_id, "after_seq": after_seq})

    def wait_for(self, predicate, timeout=10):
        """Wait until predicate(self) holds; returns whether it did."""
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout=timeout)

    def close(self):
        """Leave as a closing page does; the websocket's closing handshake finishes in the background."""
        threading.Thread(target=self.client.disconnect, daemon=True).start()


@pytest.fixture
def connect():
    readers = []

    def open_reader(server, token=None, headers=None):
        reader = Reader(server.url, token=token, headers=headers)
        readers.append(reader)
        return reader

    yield open_reader
    for reader in readers:
        reader.close()
