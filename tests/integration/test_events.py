"""The event log: a gap-free sequence per document, even with concurrent writers."""
import threading

import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Clause, Event
from drafting.services import clauses, documents


def _run_together(write, writers):
    """write(n) for n in 0 … writers − 1, each in its own thread; returns once all are done."""
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_concurrent_writers_get_distinct_gap_free_seqs(app, world):
    document_id, expert_id = world.document.id, world.expert.id
    section_id = world.document.sections[-1].id
    errors = []

    def write(n):
        with app.app_context():
            try:
                from drafting.models import Document, User

                actor = db.session.get(User, expert_id)
                document = db.session.get(Document, document_id)
                for i in range(5):
                    documents.add_clause(actor, document, section_id, "OP", "kpi", f"Writer {n} clause {i};")
                    commit()
            except Exception as error:  # the test reports any failure
                errors.append(repr(error))
            finally:
                db.session.remove()

    db.session.commit()  # release this session's transaction before the writers start
    _run_together(write, 6)
    assert errors == []
    db.session.expire_all()
    seqs = db.session.execute(db.select(Event.seq).filter_by(document_id=document_id).order_by(Event.seq)).scalars().all()
    assert seqs == list(range(1, len(seqs) + 1))
    assert db.session.execute(db.select(db.func.count(Clause.id)).filter_by(document_id=document_id)).scalar() == 32


def test_a_failed_change_leaves_no_event(app, world):
    before = world.document.last_seq
    try:
        clauses.save_edit(world.expert, world.op, world.op.head_revision_id, "")
    except Exception:  # the validation error is expected
        db.session.rollback()
    db.session.refresh(world.document)
    assert world.document.last_seq == before


def _open_session_appending(app, document_id, actor_id, payload, then):
    """In a thread's own session: append one event to the document, then call then(message)."""
    from drafting.models import Document, User
    from drafting.services import events

    with app.app_context():
        try:
            document = db.session.get(Document, document_id)
            message = events.append(document, "test.event", db.session.get(User, actor_id), payload)
            then(message)
        finally:
            db.session.remove()


def test_every_broadcast_seq_is_the_stored_one_and_transactions_over_two_documents_never_deadlock(
        app, world, make_document):
    """Writers append to two documents in opposite orders; each document's log stays gap-free,
    each message carries the seq its row got, and a transaction's events to one document are
    consecutive, in the order they were appended."""
    second = make_document(world.meeting, world.chair, title="Second document")
    ids = (world.document.id, second.id)
    chair_id = world.chair.id
    db.session.commit()
    sent, errors = [], []

    def write(n):
        from drafting.models import Document, User
        from drafting.services import events

        with app.app_context():
            try:
                actor = db.session.get(User, chair_id)
                for i in range(4):
                    order = ids if n % 2 else ids[::-1]
                    batch = [events.append(db.session.get(Document, document_id), "test.event", actor,
                                           {"writer": n, "i": i, "k": k})
                             for k, document_id in enumerate(order + order)]
                    commit()
                    sent.append(batch)
            except Exception as error:  # the test reports any failure
                errors.append(repr(error))
            finally:
                db.session.remove()

    _run_together(write, 4)
    assert errors == []
    db.session.expire_all()
    for document_id in ids:
        seqs = db.session.execute(db.select(Event.seq).filter_by(document_id=document_id, type="test.event")
                                  .order_by(Event.seq)).scalars().all()
        assert len(seqs) == 4 * 4 * 2
        everything = db.session.execute(db.select(Event.seq).filter_by(document_id=document_id)
                                        .order_by(Event.seq)).scalars().all()
        assert everything == list(range(1, len(everything) + 1))
    stored = {(e.document_id, e.payload["writer"], e.payload["i"], e.payload["k"]): e.seq
              for e in db.session.execute(db.select(Event).filter_by(type="test.event")).scalars()}
    for batch in sent:
        for message in batch:
            p = message["payload"]
            assert message["seq"] == stored[(message["document_id"], p["writer"], p["i"], p["k"])]
        for document_id in ids:
            mine = [m["seq"] for m in batch if m["document_id"] == document_id]
            assert mine == list(range(mine[0], mine[0] + len(mine)))


def test_an_open_transaction_does_not_hold_back_another_writer_of_the_same_document(app, world):
    """The seq is taken at the commit: a change still being made does not make others wait, and
    the log stays in commit order. (On SQLite a write transaction holds the database's one write
    lock from its start, by design: there the second writer waits its turn.)"""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one write lock per database")
    document_id, chair_id = world.document.id, world.chair.id
    before = world.document.last_seq
    db.session.commit()
    appended, release, results = threading.Event(), threading.Event(), {}

    def slow(message):
        appended.set()
        release.wait(60)
        commit()
        results["slow"] = message["seq"]

    def quick(message):
        commit()
        results["quick"] = message["seq"]

    slow_writer = threading.Thread(target=_open_session_appending,
                                   args=(app, document_id, chair_id, {"who": "slow"}, slow))
    slow_writer.start()
    assert appended.wait(10)
    quick_writer = threading.Thread(target=_open_session_appending,
                                    args=(app, document_id, chair_id, {"who": "quick"}, quick))
    quick_writer.start()
    quick_writer.join(5)
    finished_first = not quick_writer.is_alive()
    release.set()
    slow_writer.join(10)
    quick_writer.join(10)
    assert finished_first, "the second writer waited for the first one's transaction"
    assert results == {"quick": before + 1, "slow": before + 2}
    db.session.expire_all()
    logged = db.session.execute(db.select(Event).filter(Event.document_id == document_id, Event.seq > before)
                                .order_by(Event.seq)).scalars().all()
    assert [e.payload["who"] for e in logged] == ["quick", "slow"]
