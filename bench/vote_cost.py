"""The cost of one vote in instructions, which a busy shared machine cannot blur (timings move by
±20% from one minute to the next there): N API votes through the app in this process, no server.

    valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python -m bench.vote_cost 100
    valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python -m bench.vote_cost 600

Instructions per vote = (the second "I refs" − the first) / 500. Each run takes about 2 minutes.
"""
import os
import random
import sys
import tempfile

from bench.bench_votes import POSITIONS, _prepare

WARM_UP = 1000


def main(votes):
    os.environ.update(DRAFTING_RATELIMIT_WRITES="100000 per second", DRAFTING_SECRET_KEY="bench")
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{workdir}/votes.sqlite3"
        clause_ids, tokens = _prepare(url)
        os.environ["DRAFTING_DATABASE_URL"] = url
        from werkzeug.test import EnvironBuilder, run_wsgi_app

        import wsgi

        rng = random.Random(1)
        environs = [EnvironBuilder(path=f"/api/v1/clauses/{rng.choice(clause_ids)}/vote", method="PUT",
                                   json={"position": rng.choice(POSITIONS)},
                                   headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"}).get_environ()
                    for i in range(WARM_UP + votes)]
        for environ in environs:
            body, status, _headers = run_wsgi_app(wsgi.app, environ)
            b"".join(body)
            if not status.startswith("200"):
                raise SystemExit(f"a vote was refused: {status}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
