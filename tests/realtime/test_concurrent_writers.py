"""Many writers at once against the production server (one gevent worker) on SQLite: each waits its
turn for the write lock without stalling the others, and every acknowledged vote is stored."""
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from drafting.extensions import db
from drafting.models import Event, Vote
from tests.servers import writing

pytestmark = pytest.mark.slow


def test_thirty_voters_at_once_are_all_answered_and_stored(world, start_server, token_for, make_user, join):
    server = start_server("gevent")
    voters = [world.expert, world.expert2, world.rapporteur, world.chair]
    with writing():  # the server is running: this process's writes take the lock first
        for n in range(26):
            voters.append(make_user(name=f"Voter {n}"))
            join(world.meeting, voters[-1], "expert")
        db.session.commit()
    tokens = [token_for(v) for v in voters]
    clause_ids = [world.op.id, world.pp.id]

    def vote(index):
        answers = []
        with requests.Session() as http:
            for n in range(6):
                clause_id = clause_ids[(index + n) % 2]
                response = http.put(f"{server.url}/api/v1/clauses/{clause_id}/vote", timeout=25,
                                    json={"position": ["agree", "abstain", "disagree"][(index + n) % 3]},
                                    headers={"Authorization": f"Bearer {tokens[index]}"})
                answers.append((response.status_code, clause_id, response.json()["vote"]["position"]
                                if response.status_code == 200 else response.text[:200]))
        return answers

    with ThreadPoolExecutor(len(voters)) as pool:
        answers = list(pool.map(vote, range(len(voters))))
    assert [a for mine in answers for a in mine if a[0] != 200] == []
    acknowledged = {(voters[i].id, clause_id): position for i, mine in enumerate(answers)
                    for _status, clause_id, position in mine}
    db.session.rollback()
    stored = {(v.user_id, v.clause_id): v.position for v in db.session.execute(db.select(Vote)).scalars()}
    assert stored == acknowledged
    assert db.session.execute(db.select(db.func.count(Event.id)).filter_by(type="vote.cast")).scalar_one() == 6 * 30
