"""Changes of one clause made at the same moment by different people, on PostgreSQL.

Each writer reads the clause, waits until all have read it, then changes it: without the clause's
row lock (services.clauses.lock) two edits appended the same revision number on the same head, and
one of them fell off the chain to the head. (On SQLite a write transaction holds the database's one
write lock from its start, so writers never overlap there: these tests need PostgreSQL.)
"""
import threading

import pytest

from drafting.boundary import commit
from drafting.domain.errors import DomainError
from drafting.extensions import db
from drafting.models import Clause, ClauseRevision, Declaration, User
from drafting.services import clauses, declarations

WORDS = ["water", "energy", "housing", "transport"]


@pytest.fixture(autouse=True)
def _postgresql_only(app):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one write lock per database: writers never overlap")


def _at_once(app, changes):
    """Run each change(session-bound clause, actor) in its own thread and transaction, all after
    every one has read the clause. Returns what each returned or raised."""
    ready = threading.Barrier(len(changes), timeout=30)
    results = [None] * len(changes)

    def run(i, clause_id, actor_id, change):
        with app.app_context():
            try:
                clause, actor = db.session.get(Clause, clause_id), db.session.get(User, actor_id)
                assert clause.head is not None  # read the head, as a request does before changing it
                ready.wait()
                results[i] = change(clause, actor)
                commit()
            except DomainError as refusal:
                db.session.rollback()
                results[i] = refusal
            except Exception as error:  # the test reports anything else
                results[i] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, *change)) for i, change in enumerate(changes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _chain(clause_id):
    db.session.expire_all()
    clause = db.session.get(Clause, clause_id)
    rows = db.session.execute(db.select(ClauseRevision).filter_by(clause_id=clause_id)
                              .order_by(ClauseRevision.number)).scalars().all()
    by_id, chain, current = {r.id: r for r in rows}, [], clause.head
    while current is not None:
        chain.append(current.id)
        current = by_id.get(current.parent_id)
    return clause, rows, chain


def test_edits_saved_at_the_same_moment_all_land_on_one_chain(app, world, make_clause):
    text = "Recommends that cities plan " + ", ".join(f"{w} [{i}]" for i, w in enumerate(WORDS)) + ";"
    clause = make_clause(world.document, world.expert, text)
    base_id, clause_id = clause.head_revision_id, clause.id
    db.session.commit()

    def edit(word):
        def change(clause, actor):
            return clauses.save_edit(actor, clause, base_id, clause.head.text.replace(word, word.upper()))[0].id
        return change

    results = _at_once(app, [(clause_id, world.expert.id, edit(w)) for w in WORDS])
    assert all(isinstance(r, int) for r in results), results
    clause, rows, chain = _chain(clause_id)
    assert [r.number for r in rows] == list(range(1, len(WORDS) + 2))
    assert sorted(chain) == sorted(r.id for r in rows)
    assert all(w.upper() in clause.head.text for w in WORDS), clause.head.text


def test_agreement_and_an_edit_at_the_same_moment_never_agree_on_a_replaced_text(app, world, make_clause):
    for round_ in range(6):
        clause = make_clause(world.document, world.expert, f"Recommends measure {round_};")
        base_id, clause_id = clause.head_revision_id, clause.id
        db.session.commit()
        results = _at_once(app, [
            (clause_id, world.chair.id, lambda c, a: declarations.declare(a, c, "agreed").revision_id),
            (clause_id, world.expert.id,
             lambda c, a, n=round_: clauses.save_edit(a, c, base_id, f"Recommends measure {n} at once;")[0].id),
        ])
        agreed_on, edit = results
        assert isinstance(agreed_on, int), results
        clause, rows, chain = _chain(clause_id)
        declaration = db.session.execute(db.select(Declaration).filter_by(clause_id=clause_id)).scalar_one()
        # Either the edit came first and the agreement is on it, or it came second and was refused.
        assert declaration.revision_id == clause.head_revision_id, (round_, results)
        assert isinstance(edit, int) or isinstance(edit, DomainError), results
        assert clause.status == "agreed"


def test_a_change_made_while_the_chair_moves_the_document_on_is_refused_and_kept_nowhere(
        app, world, api, monkeypatch):
    """The edit passes its checks in drafting; before it commits, another transaction moves the
    document to the amendments phase (as the chair's request would): the edit gets 409 wrong_phase
    and nothing of it is kept."""
    from sqlalchemy import update

    from drafting.models import Document, Event
    from drafting.services import events

    document_id, clause_id = world.document.id, world.op.id
    before = {"text": world.op.head.text, "revision": world.op.head_revision_id, "seq": world.document.last_seq}
    db.session.commit()

    def chair_moves_on(*_event):
        with db.engine.begin() as other:  # another connection: another transaction, committed now
            other.execute(update(Document).where(Document.id == document_id).values(phase="amendments"))

    monkeypatch.setitem(events.LISTENERS, "clause.revised", [chair_moves_on])
    answer = api(world.expert).post(f"/clauses/{clause_id}/revisions",
                                    json={"base_revision_id": before["revision"], "text": "Recommends speed;"})
    body = answer.get_json()
    assert answer.status_code == 409, body
    assert body["error"]["code"] == "wrong_phase"
    assert "Amendments" in body["error"]["message"] and "nothing was saved" in body["error"]["message"]
    db.session.expire_all()
    clause = db.session.get(Clause, clause_id)
    assert (clause.head.text, clause.head_revision_id) == (before["text"], before["revision"])
    assert db.session.get(Document, document_id).last_seq == before["seq"]
    assert db.session.execute(db.select(Event).filter(Event.document_id == document_id,
                                                      Event.seq > before["seq"])).first() is None
    assert not db.session.execute(db.select(ClauseRevision).filter_by(text="Recommends speed;")).first()
