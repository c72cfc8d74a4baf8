"""Kill the server with SIGKILL in the middle of a burst of edits: nothing acknowledged is lost.

A real server process (the command in bench/server.py) on a migrated SQLite file; several threads
save revisions (and cast votes, once the API has them) as fast as they can; the server is killed
mid-burst and started again. Every write that got its 2xx is there, every clause's revisions form
one unbroken chain ending at its head, and the event sequence has no gap.
"""
import sqlite3
import threading
import time

import pytest
import requests

from bench.server import Server, migrate, seed

pytestmark = pytest.mark.slow

EDITORS = 6


def _editor(server_url, token, clause_ids, n, acked, stop):
    """Save revisions until the server dies; record each acknowledged one."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    heads = {}
    votes = "/clauses/{clause_id}/vote" in session.get(f"{server_url}/api/v1/openapi.json").json()["paths"]
    count = 0
    while not stop.is_set():
        clause_id = clause_ids[count % len(clause_ids)]
        count += 1
        try:
            if clause_id not in heads:
                heads[clause_id] = session.get(f"{server_url}/api/v1/clauses/{clause_id}", timeout=5).json()["revision_id"]
            text = f"Recommends step {n}.{count};"
            response = session.post(f"{server_url}/api/v1/clauses/{clause_id}/revisions", timeout=5,
                                    json={"base_revision_id": heads[clause_id], "text": text})
            if response.status_code == 201:
                revision = response.json()
                # What the server acknowledged: the text sent, or its clean merge with edits saved
                # meanwhile (then marked merged_from_id) — the text the answer carries.
                assert revision["text"] == text or revision["merged_from_id"], revision
                acked.append(("revision", clause_id, revision["id"], revision["text"]))
                heads[clause_id] = revision["id"]
            elif response.status_code == 409:
                heads[clause_id] = response.json()["error"]["theirs"]["revision_id"]
            else:
                assert response.status_code < 500, response.text
            if votes:
                response = session.put(f"{server_url}/api/v1/clauses/{clause_id}/vote", timeout=5,
                                       json={"position": "agree"})
                if response.status_code in (200, 201):
                    acked.append(("vote", clause_id, n, None))
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError):
            return  # the server was killed, before or in the middle of its answer


def test_no_acknowledged_write_is_lost_when_the_server_is_killed(tmp_path):
    path = tmp_path / "crash.sqlite3"
    url = f"sqlite:///{path}"
    migrate(url)
    world = seed(url, experts=EDITORS, clauses=4)
    server = Server(url, tmp_path / "server.log").start()
    acked, stop = [], threading.Event()
    try:
        threads = [threading.Thread(target=_editor, args=(server.url, token, world["clause_ids"], n, acked, stop))
                   for n, token in enumerate(world["tokens"]["experts"])]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(acked) < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.kill()  # mid-burst: the editors are still sending
        in_flight_at_kill = len(acked)
        stop.set()
        for thread in threads:
            thread.join(10)
        assert in_flight_at_kill >= 40, "the burst never got going"
        print(f"\n{in_flight_at_kill} writes acknowledged before SIGKILL")

        server.start()
        _check_everything_acknowledged_is_there(server, world, acked)
        _check_revision_chains_and_event_sequence(path, world)
        # The restarted server takes new writes at once.
        chair = {"Authorization": f"Bearer {world['tokens']['chair']}"}
        clause = requests.get(f"{server.url}/api/v1/clauses/{world['clause_ids'][0]}", headers=chair).json()
        again = requests.post(f"{server.url}/api/v1/clauses/{clause['id']}/revisions", headers=chair,
                              json={"base_revision_id": clause["revision_id"], "text": "Recommends recovery;"})
        assert again.status_code == 201
    finally:
        stop.set()
        server.stop()


def _check_everything_acknowledged_is_there(server, world, acked):
    chair = {"Authorization": f"Bearer {world['tokens']['chair']}"}
    saved = {}
    for clause_id in world["clause_ids"]:
        body = requests.get(f"{server.url}/api/v1/clauses/{clause_id}/revisions", headers=chair).json()
        saved.update({r["id"]: r["text"] for r in body["revisions"]})
    revisions = [a for a in acked if a[0] == "revision"]
    lost = [(revision_id, text) for _, _, revision_id, text in revisions if saved.get(revision_id) != text]
    assert not lost, f"{len(lost)} of {len(revisions)} acknowledged revisions are missing: {lost[:5]}"


def _check_revision_chains_and_event_sequence(path, world):
    connection = sqlite3.connect(path)
    try:
        for clause_id in world["clause_ids"]:
            head = connection.execute("SELECT head_revision_id FROM clauses WHERE id = ?", (clause_id,)).fetchone()[0]
            rows = connection.execute("SELECT id, parent_id, number, text FROM clause_revisions WHERE clause_id = ? "
                                      "ORDER BY number", (clause_id,)).fetchall()
            by_id = {row[0]: row for row in rows}
            assert head in by_id, f"clause {clause_id}: its head revision {head} does not exist"
            assert [row[2] for row in rows] == list(range(1, len(rows) + 1)), f"clause {clause_id}: numbers"
            chain, revision = [], by_id[head]
            while revision is not None:
                chain.append(revision[0])
                revision = by_id.get(revision[1]) if revision[1] is not None else None
            assert sorted(chain) == sorted(by_id), f"clause {clause_id}: revisions off the chain to the head"
            assert all(row[3] for row in rows), f"clause {clause_id}: an empty (half-written) revision"
        document_id = world["document_id"]
        last_seq = connection.execute("SELECT last_seq FROM documents WHERE id = ?", (document_id,)).fetchone()[0]
        seqs = [row[0] for row in connection.execute(
            "SELECT seq FROM events WHERE document_id = ? ORDER BY seq", (document_id,))]
        assert seqs == list(range(1, last_seq + 1)), "the event sequence has a gap or runs past last_seq"
        revised = {row[0] for row in connection.execute(
            "SELECT json_extract(payload, '$.revision_id') FROM events WHERE type = 'clause.revised'")}
        later = {row[0] for row in connection.execute("SELECT id FROM clause_revisions WHERE number > 1")}
        assert revised == later, "every saved revision has exactly the event that announced it"
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()
