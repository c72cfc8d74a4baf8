"""Votes over HTTP against a real server process: 50 concurrent voters on SQLite.

Targets: ≥ 500 votes/s, p99 ≤ 50 ms, no "database is locked", votes stored == votes acknowledged.
Runs the production server (gunicorn with one gevent worker) and, for comparison, gthread workers and
`flask run`.
"""
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VOTERS = 50
VOTES_EACH = 80
CLAUSES = 20
POSITIONS = ["agree", "abstain", "disagree"]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(url):
    """A meeting with 50 experts, a document with CLAUSES clauses; returns (clause ids, tokens)."""
    from drafting import create_app
    from drafting.boundary import commit
    from drafting.extensions import db
    from drafting.models import Membership, User
    from drafting.services import accounts, documents, meetings

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        admin = User(email="admin@bench.org", name="Admin", password_hash="x", is_admin=True)
        db.session.add(admin)
        db.session.flush()
        meeting = meetings.create_meeting(admin, "Bench meeting")
        document = documents.create_document(admin, meeting, "Bench document")
        clauses = [documents.add_clause(admin, document, document.sections[-1].id, "OP", "recommendation",
                                        f"Recommends measure number {i};") for i in range(CLAUSES)]
        tokens = []
        for i in range(VOTERS):
            user = User(email=f"voter{i}@bench.org", name=f"Voter {i}", password_hash="x")
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(meeting_id=meeting.id, user_id=user.id, role="expert"))
            tokens.append(accounts.issue_token(user, "bench"))
        commit()
        ids = [c.id for c in clauses]
        db.engine.dispose()
    return ids, tokens


def _stored(url):
    from drafting import create_app
    from drafting.extensions import db
    from drafting.models import Event, User, Vote

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        rows = db.session.execute(db.select(User.email, Vote.clause_id, Vote.position).join(Vote.user)).all()
        cast = db.session.execute(db.select(db.func.count(Event.id)).filter_by(type="vote.cast")).scalar_one()
        db.engine.dispose()
    return {(email, clause_id): position for email, clause_id, position in rows}, cast


def _wait_until_up(port, process, log):
    deadline = time.time() + 30
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {Path(log).read_text()[-2000:]}")
        try:
            requests.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("the server did not start within 30 s")


def _load(port, clause_ids, tokens):
    """Every voter votes VOTES_EACH times, one request after another; returns measurements."""
    latencies, acknowledged, failures = [], {}, []
    lock = threading.Lock()
    start_gate = threading.Barrier(len(tokens) + 1)

    def voter(index, token):
        # http.client with keep-alive: the load generator shares the machine, so it must be light.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        rng = random.Random(index)
        mine, times, errors, count = {}, [], [], 0
        start_gate.wait()
        for _ in range(VOTES_EACH):
            clause_id, position = rng.choice(clause_ids), rng.choice(POSITIONS)
            started = time.perf_counter()
            try:
                connection.request("PUT", f"/api/v1/clauses/{clause_id}/vote",
                                   body=json.dumps({"position": position}), headers=headers)
                response = connection.getresponse()
                text = response.read()
            except (OSError, http.client.HTTPException) as error:
                errors.append(repr(error))
                connection.close()
                continue
            times.append(time.perf_counter() - started)
            if response.status == 200:
                mine[(f"voter{index}@bench.org", clause_id)] = position
                count += 1
            else:
                errors.append(f"{response.status} {text[:200]!r}")
        connection.close()
        with lock:
            latencies.extend(times)
            failures.extend(errors)
            acknowledged[index] = (mine, count)

    threads = [threading.Thread(target=voter, args=(i, t)) for i, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return latencies, acknowledged, failures, elapsed


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _measure(name, command, workdir):
    database = Path(workdir) / f"{name}.sqlite3"
    url = f"sqlite:///{database}"
    clause_ids, tokens = _prepare(url)
    port = _free_port()
    log = Path(workdir) / f"{name}.log"
    env = dict(os.environ, DRAFTING_DATABASE_URL=url, DRAFTING_SECRET_KEY="bench",
               DRAFTING_RATELIMIT_WRITES="100000 per second", PYTHONUNBUFFERED="1")
    env.pop("DRAFTING_MESSAGE_QUEUE", None)
    with open(log, "w") as out:
        process = subprocess.Popen([c.replace("{port}", str(port)) for c in command], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(port, process, log)
        latencies, acknowledged, failures, elapsed = _load(port, clause_ids, tokens)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    stored, cast_events = _stored(url)
    acked = {k: v for mine, _count in acknowledged.values() for k, v in mine.items()}
    acked_count = sum(count for _mine, count in acknowledged.values())
    locked = log.read_text().lower().count("database is locked") + sum("locked" in f for f in failures)
    rate = acked_count / elapsed
    p50, p99 = _percentile(latencies, 0.50) * 1000, _percentile(latencies, 0.99) * 1000
    consistent = stored == acked and cast_events == acked_count
    label = f"votes ({name}, {VOTERS} voters)"
    return [
        {"benchmark": label, "measure": "votes per second", "value": f"{rate:.0f}", "target": "≥ 500",
         "ok": rate >= 500},
        {"benchmark": label, "measure": "p50 / p99 latency", "value": f"{p50:.1f} / {p99:.1f} ms",
         "target": "p99 ≤ 50 ms", "ok": p99 <= 50},
        {"benchmark": label, "measure": "failed requests / database is locked",
         "value": f"{len(failures)} / {locked}", "target": "0 / 0", "ok": not failures and not locked},
        {"benchmark": label, "measure": "stored == acknowledged",
         "value": f"{len(stored)} rows, {cast_events} events for {acked_count} acks", "target": "equal",
         "ok": consistent},
    ]


SERVERS = {
    "gunicorn gevent 1 (production)": [str(BIN / "gunicorn"), "-k", "gevent", "-w", "1", "--worker-connections",
                                       "2000", "--no-control-socket", "-b", "127.0.0.1:{port}",
                                       "--log-level", "warning", "wsgi:app"],
    "gunicorn gthread 2x16": [str(BIN / "gunicorn"), "-w", "2", "-k", "gthread", "--threads", "16",
                              "--no-control-socket",
                              "-b", "127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
    "gunicorn gthread 1x32": [str(BIN / "gunicorn"), "-w", "1", "-k", "gthread", "--threads", "32",
                              "--no-control-socket",
                              "-b", "127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
    "flask run": [str(BIN / "flask"), "--app", "wsgi", "run", "--port", "{port}"],
}


def run():
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for name, command in SERVERS.items():
            rows.extend(_measure(name, command, workdir))
    return rows


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run()))
