"""Who has a document open and who is editing which clause: ephemeral, never stored in the database.

One process keeps it in memory; several processes share it in Redis (DRAFTING_MESSAGE_QUEUE),
one hash per document, field = socket id. Entries carry the time of the connection's last
heartbeat, so a process that dies without cleaning up is forgotten after STALE_AFTER seconds.
"""
import json
import threading
import time

STALE_AFTER = 90  # seconds; clients send a heartbeat every 30


def _changed(before, entry):
    return before is None or any(before.get(k) != v for k, v in entry.items())


def initials(name):
    """'Amina J. Mohammed' -> 'AM': what fits on a clause's margin."""
    words = [w for w in (name or "").replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    picked = words[0][:1] + (words[-1][:1] if len(words) > 1 else "")
    return picked.upper()


class MemoryPresence:
    """Presence in this process's memory: right for one process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._documents = {}

    def put(self, document_id, sid, entry):
        """Record or refresh the connection's entry; True when what others see changed."""
        with self._lock:
            entries = self._documents.setdefault(document_id, {})
            before = entries.get(sid)
            entries[sid] = dict(entry, at=time.time())
        return _changed(before, entry)

    def remove(self, document_id, sid):
        with self._lock:
            entries = self._documents.get(document_id, {})
            entries.pop(sid, None)
            if not entries:
                self._documents.pop(document_id, None)

    def entries(self, document_id):
        cutoff = time.time() - STALE_AFTER
        with self._lock:
            return [e for e in self._documents.get(document_id, {}).values() if e["at"] >= cutoff]


class RedisPresence:
    """Presence in Redis, shared by every process that serves the same message queue."""

    def __init__(self, url, prefix):
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    def _key(self, document_id):
        return f"{self._prefix}:presence:{document_id}"

    def put(self, document_id, sid, entry):
        """Record or refresh the connection's entry; True when what others see changed."""
        key = self._key(document_id)
        pipe = self._redis.pipeline()
        pipe.hget(key, sid)
        pipe.hset(key, sid, json.dumps(dict(entry, at=time.time())))
        pipe.expire(key, STALE_AFTER * 2)
        before = pipe.execute()[0]
        return _changed(json.loads(before) if before else None, entry)

    def remove(self, document_id, sid):
        self._redis.hdel(self._key(document_id), sid)

    def entries(self, document_id):
        key = self._key(document_id)
        cutoff = time.time() - STALE_AFTER
        live, stale = [], []
        for sid, raw in self._redis.hgetall(key).items():
            entry = json.loads(raw)
            (live if entry["at"] >= cutoff else stale).append((sid, entry))
        if stale:
            self._redis.hdel(key, *(sid for sid, _ in stale))
        return [entry for _, entry in live]


def snapshot(document_id, entries):
    """What clients see: participants by name (with the clause each edits) and how many others read."""
    people = {}
    readers, anonymous = set(), 0
    for entry in entries:
        if not entry.get("participant"):
            if entry.get("user_id") is None:
                anonymous += 1
            else:
                readers.add(entry["user_id"])
            continue
        person = people.setdefault(entry["user_id"], {
            "id": entry["user_id"], "name": entry["name"], "initials": initials(entry["name"]),
            "editing": None})
        if entry.get("editing") is not None:
            person["editing"] = entry["editing"]
            person["selection"] = entry.get("selection")
    listed = sorted(people.values(), key=lambda p: p["name"].lower())
    return {"document_id": document_id, "people": listed, "readers": len(readers - people.keys()) + anonymous}


def store_for(message_queue, prefix):
    return RedisPresence(message_queue, prefix) if message_queue else MemoryPresence()


class MemorySockets:
    """Whose socket is whose, in this process's memory: what ending a person's access disconnects."""

    def __init__(self):
        self._lock = threading.Lock()
        self._users = {}

    def add(self, user_id, sid, entry):
        with self._lock:
            self._users.setdefault(user_id, {})[sid] = dict(entry)

    def follow(self, user_id, sid, meeting_id):
        with self._lock:
            entry = self._users.get(user_id, {}).get(sid)
            if entry is not None:
                entry["meetings"] = sorted(set(entry.get("meetings", [])) | {meeting_id})

    def remove(self, user_id, sid):
        with self._lock:
            sockets = self._users.get(user_id, {})
            sockets.pop(sid, None)
            if not sockets:
                self._users.pop(user_id, None)

    def of(self, user_id):
        """[(sid, {session, token, meetings})] of this person's sockets."""
        with self._lock:
            return [(sid, dict(entry)) for sid, entry in self._users.get(user_id, {}).items()]


class RedisSockets:
    """Whose socket is whose, in Redis: one process ends access to sockets another serves."""

    TTL = 24 * 3600

    def __init__(self, url, prefix):
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    def _key(self, user_id):
        return f"{self._prefix}:sockets:{user_id}"

    def add(self, user_id, sid, entry):
        pipe = self._redis.pipeline()
        pipe.hset(self._key(user_id), sid, json.dumps(entry))
        pipe.expire(self._key(user_id), self.TTL)
        pipe.execute()

    def follow(self, user_id, sid, meeting_id):
        raw = self._redis.hget(self._key(user_id), sid)
        if raw:
            entry = json.loads(raw)
            entry["meetings"] = sorted(set(entry.get("meetings", [])) | {meeting_id})
            self._redis.hset(self._key(user_id), sid, json.dumps(entry))

    def remove(self, user_id, sid):
        self._redis.hdel(self._key(user_id), sid)

    def of(self, user_id):
        return [(sid.decode() if isinstance(sid, bytes) else sid, json.loads(raw))
                for sid, raw in self._redis.hgetall(self._key(user_id)).items()]


def sockets_for(message_queue, prefix):
    return RedisSockets(message_queue, prefix) if message_queue else MemorySockets()


def withdrawn(entry, withdrawal):
    """Whether this socket (its session, token and meetings) loses its access by this withdrawal."""
    if withdrawal.get("everything"):
        return True
    if withdrawal.get("sessions") and entry.get("session") is not None:
        return True
    if withdrawal.get("session_id") is not None and entry.get("session") == withdrawal["session_id"]:
        return True
    if withdrawal.get("token_id") is not None and entry.get("token") == withdrawal["token_id"]:
        return True
    return withdrawal.get("meeting_id") is not None and withdrawal["meeting_id"] in entry.get("meetings", ())
