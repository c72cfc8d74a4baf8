"""The cost of one vote, measured in ways a busy shared machine cannot blur much (timings move by
±20% from one minute to the next there): N API votes through the app in this process, no server.

    .venv/bin/python -m bench.vote_cost 500                   # statements and CPU per vote, SQLite
    DRAFTING_BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python -m bench.vote_cost 500
    BENCH_GEVENT=1 …                                           # under gevent, as gunicorn -k gevent serves
    BENCH_PROFILE=votes.prof …                                 # and a cProfile of the measured votes (CPU time)

It prints the statements one vote sends (counted by SQLAlchemy's before_cursor_execute, so a
connection's pre-ping is not among them) and the process's CPU time per vote, the best of three
rounds. Instructions, which nothing else on the machine moves:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python -m bench.vote_cost 100
    valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python -m bench.vote_cost 600

Instructions per vote = (the second "I refs" − the first) / 500. Each run takes about 2 minutes.
"""
import os

if os.environ.get("BENCH_GEVENT") == "1":
    from gevent import monkey

    monkey.patch_all()

# The rest is imported after gevent's patching, as under gunicorn -k gevent.
import cProfile
import random
import sys
import tempfile
import time

from bench.bench_votes import POSITIONS, _prepare

WARM_UP = 300
ROUNDS = 3


def main(votes):
    os.environ.update(DRAFTING_RATELIMIT_WRITES="100000 per second", DRAFTING_SECRET_KEY="bench")
    os.environ.pop("DRAFTING_MESSAGE_QUEUE", None)
    with tempfile.TemporaryDirectory() as workdir:
        url = os.environ.get("DRAFTING_BENCH_DATABASE_URL") or f"sqlite:///{workdir}/votes.sqlite3"
        clause_ids, tokens = _prepare(url)
        os.environ["DRAFTING_DATABASE_URL"] = url
        from sqlalchemy import event
        from werkzeug.test import EnvironBuilder, run_wsgi_app

        import wsgi
        from drafting.extensions import db

        rng = random.Random(1)

        def environs(count):
            return [EnvironBuilder(path=f"/api/v1/clauses/{rng.choice(clause_ids)}/vote", method="PUT",
                                   json={"position": rng.choice(POSITIONS)},
                                   headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"}).get_environ()
                    for i in range(count)]

        def vote(batch):
            for environ in batch:
                body, status, _headers = run_wsgi_app(wsgi.app, environ)
                b"".join(body)
                if not status.startswith("200"):
                    raise SystemExit(f"a vote was refused: {status}")

        statements = []
        with wsgi.app.app_context():
            engine = db.engine

        def counted(_connection, _cursor, statement, *_args):
            statements.append(" ".join(statement.split()))

        vote(environs(WARM_UP))
        event.listen(engine, "before_cursor_execute", counted)
        vote(environs(1))
        event.remove(engine, "before_cursor_execute", counted)
        print(f"{engine.dialect.name}: {len(statements)} statements for one vote")
        for statement in statements:
            print("   ", statement[:160])
        best = None
        for _round in range(ROUNDS):
            batch = environs(votes)
            began = time.process_time()
            vote(batch)
            spent = (time.process_time() - began) / votes
            best = spent if best is None else min(best, spent)
        print(f"CPU per vote (this process, best of {ROUNDS} rounds of {votes}): {best * 1000:.2f} ms")
        if os.environ.get("BENCH_PROFILE"):
            batch = environs(votes)
            profile = cProfile.Profile(time.process_time)
            profile.runcall(vote, batch)
            profile.dump_stats(os.environ["BENCH_PROFILE"])
            print(f"profile of {votes} votes written to {os.environ['BENCH_PROFILE']}")
        with wsgi.app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
