"""Load: 50 editors on 10 clauses plus 200 connected observers against a real server.

Targets (issue 7): zero 5xx, zero lost acknowledged writes, and every observer's final view (the
document it loaded, then the clause.revised events it received) equal to the server's state.

    DRAFTING_BENCH_SECONDS   how long the editors edit (default 60)
    DRAFTING_BENCH_EDITORS / _OBSERVERS / _CLAUSES   the crowd (default 50 / 200 / 10)
    DRAFTING_BENCH_THINK     seconds an editor pauses between saves (default 0.2)
    DRAFTING_SERVER_COMMAND  the server on SQLite (see bench/server.py)
    DRAFTING_BENCH_DATABASE_URL, DRAFTING_BENCH_MESSAGE_QUEUE  also on PostgreSQL and Redis, with
                             the production command (two gevent workers), in a database of its own
                             named after the given one with "_load"
"""
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests
import socketio

from sqlalchemy.engine import make_url

from bench.server import PRODUCTION_COMMAND, SERVER_COMMAND, Server, fresh_postgres, migrate, seed


def _setting(name, default, kind=int):
    return kind(os.environ.get(f"DRAFTING_BENCH_{name}", default))


class Observer:
    """Loads the document, joins its room after that seq, and applies every clause.revised event."""

    def __init__(self, url, token, document_id):
        self.url, self.token, self.document_id = url, token, document_id
        self.client = socketio.Client(reconnection=False)
        self.lock = threading.Lock()  # events arrive on the client's thread
        self.events = {}
        self.received_at = {}
        self.client.on("event", self._on_event)

    def _on_event(self, message):
        if message["document_id"] != self.document_id:
            return
        with self.lock:
            self.events.setdefault(message["seq"], message)
            if message["type"] == "clause.revised":
                self.received_at.setdefault(message["payload"]["revision_id"], time.monotonic())

    def start(self):
        body = requests.get(f"{self.url}/api/v1/documents/{self.document_id}",
                            headers={"Authorization": f"Bearer {self.token}"}, timeout=30).json()
        self.loaded_seq = body["last_seq"]
        self.view = {c["id"]: (c["revision_id"], c["text"]) for s in body["sections"] for c in s["clauses"]}
        self.client.connect(self.url, auth={"token": self.token}, transports=["websocket"], wait_timeout=30)
        ack = self.client.call("join", {"document_id": self.document_id, "after_seq": self.loaded_seq}, timeout=30)
        if not ack.get("ok"):
            raise RuntimeError(f"join refused: {ack}")

    def last_seq(self):
        with self.lock:
            return max(self.events, default=self.loaded_seq)

    def final_view(self):
        """The loaded view with every received event applied in seq order; None if a seq is missing."""
        view = dict(self.view)
        with self.lock:
            events = dict(self.events)
        for seq in range(self.loaded_seq + 1, self.last_seq() + 1):
            event = events.get(seq)
            if event is None:
                return None
            if event["type"] == "clause.revised":
                payload = event["payload"]
                view[payload["clause_id"]] = (payload["revision_id"], payload["text"])
        return view


def _editor(url, token, clause_ids, n, stop, think, results, lock):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    heads, count = {}, 0
    while not stop.is_set():
        clause_id = clause_ids[(n + count) % len(clause_ids)]
        count += 1
        try:
            if clause_id not in heads:
                heads[clause_id] = session.get(f"{url}/api/v1/clauses/{clause_id}", timeout=30).json()["revision_id"]
            text = f"Recommends that city {n} takes step {count};"
            started = time.monotonic()
            response = session.post(f"{url}/api/v1/clauses/{clause_id}/revisions", timeout=30,
                                    json={"base_revision_id": heads[clause_id], "text": text})
            elapsed = time.monotonic() - started
            with lock:
                results["status"][response.status_code] += 1
                results["latency"].append(elapsed)
                if response.status_code == 201:
                    revision = response.json()
                    results["acked"].append((clause_id, revision["id"], text, started))
                    heads[clause_id] = revision["id"]
                elif response.status_code == 409:
                    heads[clause_id] = response.json()["error"]["theirs"]["revision_id"]
                elif response.status_code == 429:
                    time.sleep(float(response.headers.get("Retry-After", 1)))
        except requests.RequestException as error:
            with lock:
                results["errors"].append(repr(error))
        stop.wait(think)


def _percentile(values, share):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run():
    rows = _run_on("SQLite", None, SERVER_COMMAND, {})
    url = os.environ.get("DRAFTING_BENCH_DATABASE_URL")
    if url:
        queue = os.environ.get("DRAFTING_BENCH_MESSAGE_QUEUE")
        rows += _run_on("PostgreSQL", fresh_postgres(url, f"{make_url(url).database}_load"), PRODUCTION_COMMAND,
                        {"DRAFTING_MESSAGE_QUEUE": queue} if queue else {})
    return rows


def _run_on(database, url, command, env):
    seconds = _setting("SECONDS", 60, float)
    editors, observers, clauses = _setting("EDITORS", 50), _setting("OBSERVERS", 200), _setting("CLAUSES", 10)
    think = _setting("THINK", 0.2, float)
    folder = Path(tempfile.mkdtemp(prefix="drafting-load-"))
    url = url or f"sqlite:///{folder / 'load.sqlite3'}"
    migrate(url)
    world = seed(url, experts=editors, observers=observers, clauses=clauses)
    server = Server(url, folder / "server.log", command=command, **env).start()
    results = {"status": Counter(), "latency": [], "acked": [], "errors": []}
    lock, stop = threading.Lock(), threading.Event()
    crowd = []
    try:
        connect_started = time.monotonic()
        crowd = [Observer(server.url, token, world["document_id"]) for token in world["tokens"]["observers"]]
        for observer in crowd:
            observer.start()
        connect_seconds = time.monotonic() - connect_started
        threads = [threading.Thread(target=_editor, args=(server.url, token, world["clause_ids"], n, stop, think,
                                                          results, lock))
                   for n, token in enumerate(world["tokens"]["experts"])]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        stop.wait(seconds)
        stop.set()
        for thread in threads:
            thread.join(60)
        edit_seconds = time.monotonic() - started

        chair = {"Authorization": f"Bearer {world['tokens']['chair']}"}
        document = requests.get(f"{server.url}/api/v1/documents/{world['document_id']}", headers=chair).json()
        server_view = {c["id"]: (c["revision_id"], c["text"]) for s in document["sections"] for c in s["clauses"]}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(o.last_seq() < document["last_seq"] for o in crowd):
            time.sleep(0.2)
        consistent = sum(o.final_view() == server_view for o in crowd)

        saved = {}
        for clause_id in world["clause_ids"]:
            body = requests.get(f"{server.url}/api/v1/clauses/{clause_id}/revisions", headers=chair).json()
            saved.update({r["id"]: r for r in body["revisions"]})
        # An edit made on an older revision is merged with the edits saved since: its revision then
        # holds the merged text and says so (merged_from_id). Lost is a revision missing or changed.
        merged = sum(1 for _, revision_id, text, _ in results["acked"] if revision_id in saved
                     and saved[revision_id]["text"] != text and saved[revision_id]["merged_from_id"])
        lost = sum(1 for _, revision_id, text, _ in results["acked"] if revision_id not in saved
                   or (saved[revision_id]["text"] != text and not saved[revision_id]["merged_from_id"]))
        lags = [o.received_at[revision_id] - sent for o in crowd[:20] for _, revision_id, _, sent in results["acked"]
                if revision_id in o.received_at]
    finally:
        stop.set()
        # Each client's goodbye waits for the server's; say them all at once.
        leaving = [threading.Thread(target=o.client.disconnect) for o in crowd if o.client.connected]
        for thread in leaving:
            thread.start()
        for thread in leaving:
            thread.join(15)
        server.stop()

    statuses = results["status"]
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    acked = len(results["acked"])
    name = f"load ({database}, {editors} editors, {observers} observers, {clauses} clauses, {edit_seconds:.0f} s)"
    server_label = command.split(" -m ")[-1].split()[0] if " -m " in command else command
    rows = [
        ("server", server_label, "", ""),
        ("saves attempted", sum(statuses.values()), "", ""),
        ("saves acknowledged (201)", acked, "", ""),
        ("acknowledged saves per second", f"{acked / edit_seconds:.1f}", "", ""),
        ("conflicts (409)", statuses.get(409, 0), "", ""),
        ("rate limited (429)", statuses.get(429, 0), "", ""),
        ("5xx answers", server_errors, "0", server_errors == 0),
        ("transport errors", len(results["errors"]), "0", not results["errors"]),
        ("acknowledged saves merged with a concurrent edit", merged, "", ""),
        ("acknowledged saves lost", lost, "0", lost == 0),
        ("observers consistent with the server", f"{consistent}/{len(crowd)}", f"{len(crowd)}/{len(crowd)}",
         consistent == len(crowd)),
        ("observers connected in", f"{connect_seconds:.1f} s", "", ""),
        ("save latency p50 / p95 / p99", " / ".join(f"{_percentile(results['latency'], q) * 1000:.0f} ms"
                                                   for q in (0.5, 0.95, 0.99)), "", ""),
        ("save sent → event received p50 / p95", " / ".join(f"{_percentile(lags, q) * 1000:.0f} ms" for q in (0.5, 0.95))
         + (f" (mean {statistics.mean(lags) * 1000:.0f} ms)" if lags else ""), "", ""),
    ]
    return [{"benchmark": name, "measure": measure, "value": value, "target": target,
             "ok": ("yes" if ok else "NO") if ok != "" else ""} for measure, value, target, ok in rows]
