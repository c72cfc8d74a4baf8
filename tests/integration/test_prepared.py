"""Prepared statements (drafting/prepared.py) behave as SQLAlchemy's own: same rows, same errors, the
same transaction; and the vote that uses them refuses what changed between its read and its write."""
import pytest
import sqlalchemy.exc
from sqlalchemy import insert, select, update

from drafting.boundary import commit
from drafting.domain.errors import Conflict
from drafting.extensions import AT_FIRST_WRITE, db, sqlite_begin
from drafting.models import Clause, Event, User, Vote, utcnow
from drafting.prepared import Prepared
from drafting.services import votes


@pytest.fixture
def at_first_write(app):
    """The session's next transaction begins as a vote request's does (web/transactions.py)."""
    db.session.commit()
    token = sqlite_begin.set(AT_FIRST_WRITE)
    yield
    db.session.rollback()
    sqlite_begin.reset(token)


def test_rows_come_back_as_sqlalchemy_reads_them(app, world):
    statement = select(User.id, User.name, User.is_admin, User.created_at).order_by(User.id)
    assert Prepared(statement).all({}) == [tuple(row) for row in db.session.execute(statement)]
    assert Prepared(statement).first({})[2] in (True, False)  # a boolean, not SQLite's 0 or 1


def test_a_broken_constraint_raises_sqlalchemys_error_and_the_transaction_can_go_on(app, world):
    events = Event.__table__
    duplicate = Prepared(insert(events).values(document_id=world.document.id, seq=world.document.last_seq,
                                               type="vote.cast", payload={}, created_at=utcnow()))
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        duplicate.all({})
    db.session.rollback()
    assert db.session.execute(select(db.func.max(Event.seq)).where(Event.document_id == world.document.id)
                              ).scalar_one() == world.document.last_seq


def test_a_vote_and_its_event_are_one_transaction(app, world, at_first_write):
    """The vote's first write takes the write lock and begins the transaction: rolled back, both go."""
    events_before = db.session.execute(select(db.func.count(Event.id))).scalar_one()
    result = votes.cast_on(world.expert, world.op.id, "agree")
    assert result.vote.position == "agree" and result.tally.agree == 1
    db.session.rollback()
    assert db.session.execute(select(db.func.count(Vote.id))).scalar_one() == 0
    assert db.session.execute(select(db.func.count(Event.id))).scalar_one() == events_before


def test_a_vote_on_a_clause_declared_between_its_read_and_its_write_is_refused(app, world, at_first_write,
                                                                              monkeypatch):
    read = votes._VOTING_CLAUSE.first

    def read_then_declared(params):
        row = read(params)  # what the vote saw: still open
        with app.app_context():  # another request declares the clause meanwhile
            db.session.execute(update(Clause).where(Clause.id == world.op.id).values(status="agreed"))
            commit()
        return row

    monkeypatch.setattr(votes._VOTING_CLAUSE, "first", read_then_declared)
    with pytest.raises(Conflict, match="declared this clause agreed"):
        votes.cast_on(world.expert, world.op.id, "agree")
    db.session.rollback()
    assert db.session.execute(select(db.func.count(Vote.id))).scalar_one() == 0
