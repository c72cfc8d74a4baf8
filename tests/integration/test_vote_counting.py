"""Votes never land on a clause that closed or changed between the voter's checks and the write;
many voters at once; every reader of a tally counts the same votes."""
import random
import threading

import pytest
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from drafting.boundary import commit
from drafting.domain.errors import Conflict
from drafting.extensions import db
from drafting.models import Clause, Event, Membership, Vote
from drafting.services import clauses, outcome, votes



def test_a_vote_on_a_clause_declared_meanwhile_is_refused_and_not_stored(app, world):
    clause = world.op
    assert clause.status == "proposed"  # what the voter's checks see
    db.session.execute(update(Clause.__table__).where(Clause.__table__.c.id == clause.id).values(status="agreed"))
    with pytest.raises(Conflict, match="declared this clause agreed"):
        votes.cast(world.expert, clause, "agree")
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count(Vote.id))).scalar_one() == 0


def test_a_vote_on_text_that_changed_meanwhile_is_refused_with_the_new_revision(app, world, api):
    voted_on = world.op.head_revision_id
    edit = api(world.expert2).post(f"/clauses/{world.op.id}/revisions", json={
        "base_revision_id": voted_on, "text": "Recommends that cities publish open data by default;"})
    assert edit.status_code == 201, edit.get_json()
    set_committed_value(world.op, "head_revision_id", voted_on)  # the text as the voter's checks read it
    with pytest.raises(Conflict, match="text changed while you were voting") as refused:
        votes.cast(world.expert, world.op, "agree")
    assert refused.value.details["revision_id"] == edit.get_json()["id"]
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count(Vote.id))).scalar_one() == 0


def test_many_voters_at_once_every_acknowledged_vote_stored_once(app, world, make_user, join, api):
    voters = [world.expert, world.expert2, world.rapporteur, world.chair]
    for n in range(4):
        voters.append(make_user(name=f"Voter {n}"))
        join(world.meeting, voters[-1], "expert")
    clients = [api(v) for v in voters]
    ids, voter_ids = [world.op.id, world.pp.id], [v.id for v in voters]
    acknowledged, failures = {}, []

    def vote(index):
        rng = random.Random(index)
        with app.app_context():  # each voter its own session, as each request in a server has
            client = app.test_client()
            for _ in range(15):
                clause_id, position = rng.choice(ids), rng.choice(["agree", "abstain", "disagree"])
                response = client.put(f"/api/v1/clauses/{clause_id}/vote", json={"position": position},
                                      headers=clients[index].headers)
                if response.status_code == 200:
                    acknowledged[(voter_ids[index], clause_id)] = position
                else:
                    failures.append((response.status_code, response.get_data(as_text=True)[:200]))

    db.session.commit()
    threads = [threading.Thread(target=vote, args=(i,)) for i in range(len(voters))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    db.session.expire_all()
    stored = {(v.user_id, v.clause_id): v.position for v in db.session.execute(db.select(Vote)).scalars()}
    assert stored == acknowledged
    cast = db.session.execute(db.select(db.func.count(Event.id)).filter_by(type="vote.cast")).scalar_one()
    assert cast == 15 * len(voters)
    seqs = db.session.execute(db.select(Event.seq).filter_by(document_id=world.document.id)
                              .order_by(Event.seq)).scalars().all()
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


POSITIONS = ["agree", "abstain", "disagree", "block"]


@pytest.mark.parametrize("seed", range(6))
def test_the_annex_the_api_and_the_dashboard_count_the_same_votes(app, world, make_user, join, api, seed):
    """Voters who left the meeting, became observers or voted on an earlier text: every reader of a
    clause's tally sees the same counts, those of the current voting members on the current text."""
    rng = random.Random(seed)
    first = world.op.head_revision_id
    clauses.save_edit(world.expert, world.op, first, "Recommends that cities publish open data and code;")
    commit()
    people = [world.chair, world.rapporteur, world.expert, world.expert2, world.observer, world.admin,
              world.outsider]
    for n in range(rng.randint(2, 10)):
        person = make_user(name=f"Member {seed}-{n}")
        join(world.meeting, person, rng.choice(["expert", "rapporteur", "observer"]))
        people.append(person)
    voted = {}
    for person in people:
        if rng.random() < 0.85:  # observers and outsiders too: votes left from a role they had before
            voted[person.id] = (rng.choice(POSITIONS), rng.choice([first, world.op.head_revision_id]))
            db.session.add(Vote(clause_id=world.op.id, user_id=person.id, position=voted[person.id][0],
                                revision_id=voted[person.id][1], reason="r"))
    leaving, demoted = rng.sample(people[1:4] + people[7:], 2)
    db.session.execute(db.delete(Membership).where(Membership.user_id == leaving.id,
                                                   Membership.meeting_id == world.meeting.id))
    db.session.execute(db.update(Membership).where(Membership.user_id == demoted.id,
                                                   Membership.meeting_id == world.meeting.id)
                       .values(role="observer"))
    commit()

    voters = set(db.session.execute(db.select(Membership.user_id).where(
        Membership.meeting_id == world.meeting.id, Membership.role != "observer")).scalars())
    if world.admin.id in voted:
        voters.add(world.admin.id)  # the site admin acts as chair once they vote
    current = [position for who, (position, revision) in voted.items()
               if who in voters and revision == world.op.head_revision_id]
    expected = {p: current.count(p) for p in POSITIONS}

    chair = api(world.chair)
    document = chair.get(f"/documents/{world.document.id}").get_json()
    on_document = next(c["tally"] for s in document["sections"] for c in s["clauses"] if c["id"] == world.op.id)
    on_clause = chair.get(f"/clauses/{world.op.id}/votes").get_json()["tally"]
    dashboard = chair.get(f"/documents/{world.document.id}/dashboard").get_json()
    on_dashboard = next(c["tally"] for c in dashboard["clauses"] if c["id"] == world.op.id)
    annex = next(p.provenance.tally for p in outcome.build(world.document).paragraphs
                 if p.clause_id == world.op.id)
    for tally in (on_document, on_clause, on_dashboard):
        assert {p: tally[p] for p in POSITIONS} == expected
        assert tally["eligible"] == len(voters)
        assert tally["stale"] == sum(1 for who, (_p, revision) in voted.items()
                                     if who in voters and revision != world.op.head_revision_id)
    assert annex == expected
    assert on_document == on_clause == on_dashboard
