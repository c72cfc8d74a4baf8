"""Kill the server with SIGKILL in the middle of a burst of edits: nothing acknowledged is lost.

A real server on a migrated database: on SQLite the command in bench/server.py, on PostgreSQL (when
DRAFTING_TEST_DATABASE_URL is set) the production command, two gevent workers sharing events through
Redis. Several threads save revisions and cast votes as fast as they can; every process of the
server is killed mid-burst and it is started again. Every write that got its 2xx is there, every
clause's revisions form one unbroken chain ending at its head, and the event sequence has no gap.
"""
import threading
import time

import pytest
import requests
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from bench.server import PRODUCTION_COMMAND, Server, fresh_postgres, migrate, seed
from drafting.config import database_url_for_tests, message_queue_for_tests
from drafting.models import Clause, ClauseRevision, Document, Event

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


@pytest.fixture(params=["sqlite"] + (["postgresql"] if database_url_for_tests() else []))
def served(request, tmp_path):
    """(database URL, a Server not yet started) on a freshly migrated database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        migrate(url)
        return url, Server(url, tmp_path / "server.log")
    base = database_url_for_tests()
    url = fresh_postgres(base, f"{make_url(base).database}_crash")
    migrate(url)
    queue = {"DRAFTING_MESSAGE_QUEUE": message_queue_for_tests()} if message_queue_for_tests() else {}
    return url, Server(url, tmp_path / "server.log", command=PRODUCTION_COMMAND, **queue)


def test_no_acknowledged_write_is_lost_when_the_server_is_killed(served):
    url, server = served
    world = seed(url, experts=EDITORS, clauses=4)
    server.start()
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
        _check_revision_chains_and_event_sequence(url, world)
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


def _check_revision_chains_and_event_sequence(url, world):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            for clause_id in world["clause_ids"]:
                head = connection.execute(select(Clause.head_revision_id).where(Clause.id == clause_id)).scalar_one()
                rows = connection.execute(
                    select(ClauseRevision.id, ClauseRevision.parent_id, ClauseRevision.number, ClauseRevision.text)
                    .where(ClauseRevision.clause_id == clause_id).order_by(ClauseRevision.number)).all()
                by_id = {row.id: row for row in rows}
                assert head in by_id, f"clause {clause_id}: its head revision {head} does not exist"
                assert [row.number for row in rows] == list(range(1, len(rows) + 1)), f"clause {clause_id}: numbers"
                chain, revision = [], by_id[head]
                while revision is not None:
                    chain.append(revision.id)
                    revision = by_id.get(revision.parent_id) if revision.parent_id is not None else None
                assert sorted(chain) == sorted(by_id), f"clause {clause_id}: revisions off the chain to the head"
                assert all(row.text for row in rows), f"clause {clause_id}: an empty (half-written) revision"
            document_id = world["document_id"]
            last_seq = connection.execute(select(Document.last_seq).where(Document.id == document_id)).scalar_one()
            seqs = connection.execute(select(Event.seq).where(Event.document_id == document_id)
                                      .order_by(Event.seq)).scalars().all()
            assert seqs == list(range(1, last_seq + 1)), "the event sequence has a gap or runs past last_seq"
            revised = {payload["revision_id"] for payload in connection.execute(
                select(Event.payload).where(Event.type == "clause.revised")).scalars()}
            later = set(connection.execute(select(ClauseRevision.id).where(ClauseRevision.number > 1)).scalars())
            assert revised == later, "every saved revision has exactly the event that announced it"
            if engine.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        engine.dispose()
