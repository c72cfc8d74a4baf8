"""The event log: a gap-free sequence per document, even with concurrent writers."""
import threading

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Clause, Event
from drafting.services import clauses, documents


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
    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
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
