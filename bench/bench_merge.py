"""Track changes, three-way merge through the service layer, and version comparison at real sizes."""
import random
import statistics
import tempfile
import time
from pathlib import Path

from drafting.domain.diffing import track_changes

WORDS = ("cities urban data open sustainable mobility housing resilient governance local national "
         "indicators infrastructure public transport energy water planning inclusive participation "
         "Member States recommends encourages recognizing the of and to in for with on by").split()


def _text(rng, size):
    words, length = [], 0
    while length < size:
        word = rng.choice(WORDS)
        words.append(word + (", " if rng.random() < 0.06 else "; " if rng.random() < 0.02 else " "))
        length += len(words[-1])
    return "".join(words)[:size].rstrip() + "."


def _scattered_edits(rng, text, count, marker="revised"):
    words = text.split(" ")
    for index in rng.sample(range(len(words)), count):
        words[index] = f"{marker}{index}"
    return " ".join(words)


def _p95(samples):
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def _timed(fn, runs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _row(benchmark, measure, value, target_ms, median=None):
    shown = f"{value:.2f} ms" + (f" (median {median:.2f})" if median is not None else "")
    if target_ms is None:
        return {"benchmark": benchmark, "measure": measure, "value": shown, "target": "—", "ok": ""}
    return {"benchmark": benchmark, "measure": measure, "value": shown,
            "target": f"≤ {target_ms} ms", "ok": "yes" if value <= target_ms else "NO"}


def bench_diff():
    rng = random.Random(3)
    before = _text(rng, 20_000)
    after = _scattered_edits(rng, before, 50)
    track_changes(before, after)  # warm up
    samples = _timed(lambda: track_changes(before, after), 200)
    return [_row("diff: 20 KB clause, 50 scattered edits", "p95 of 200", _p95(samples), 5,
                 statistics.median(samples))]


def bench_pathological_diff():
    rng = random.Random(7)
    before = "".join(rng.choice(",;.:") for _ in range(20_000))
    after = "".join(rng.choice(",;.:") for _ in range(20_000))
    samples = _timed(lambda: track_changes(before, after), 3)
    return [_row("diff: two unrelated 20 KB texts (bounded)", "max of 3", max(samples), 1000)]


def _app():
    from drafting import create_app
    from drafting.config import for_tests
    from drafting.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="bench-merge-"))
    app = create_app(for_tests(folder, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bench.sqlite3'}"))
    with app.app_context():
        db.create_all()
    return app


def _world():
    from werkzeug.security import generate_password_hash

    from drafting.boundary import commit
    from drafting.extensions import db
    from drafting.models import Membership, User
    from drafting.services import documents, meetings

    password = generate_password_hash("bench password")
    people = [User(email=f"bench{i}@example.org", name=f"Bench {i}", password_hash=password,
                   is_admin=(i == 0)) for i in range(3)]
    db.session.add_all(people)
    db.session.commit()
    admin, one, two = people
    meeting = meetings.create_meeting(admin, "Benchmark meeting")
    for user, role in ((one, "rapporteur"), (two, "expert")):
        db.session.add(Membership(meeting_id=meeting.id, user_id=user.id, role=role))
    commit()
    document = documents.create_document(admin, meeting, "Benchmark document")
    commit()
    return admin, one, two, document


def bench_save_with_merge():
    from drafting.boundary import commit
    from drafting.services import clauses, documents

    app = _app()
    rng = random.Random(5)
    with app.app_context():
        _, one, two, document = _world()
        text = _text(rng, 2_000)
        clause = documents.add_clause(one, document, document.sections[-1].id, "OP", "recommendation", text)
        commit()
        service, with_commit = [], []
        for round_ in range(120):
            base = clause.head
            words = base.text.split(" ")
            theirs = " ".join(words[:10] + [f"theirs{round_}"] + words[11:])
            mine = " ".join(words[:-10] + [f"mine{round_}"] + words[-9:])
            clauses.save_edit(one, clause, base.id, theirs)
            commit()
            started = time.perf_counter()
            revision, _ = clauses.save_edit(two, clause, base.id, mine)
            service.append((time.perf_counter() - started) * 1000)
            commit()
            with_commit.append((time.perf_counter() - started) * 1000)
            assert revision.merged_from_id == base.id, "the second save should have merged"
    return [_row("save with three-way merge: 2 KB clause, service layer (flushed)", "p95 of 100",
                 _p95(service[20:]), 10, statistics.median(service[20:])),
            _row("  … and the SQLite commit that follows", "p95 of 100", _p95(with_commit[20:]), None,
                 statistics.median(with_commit[20:]))]


def bench_compare():
    from drafting.boundary import commit
    from drafting.extensions import db
    from drafting.models import Clause, ClauseRevision
    from drafting.services import clauses, versions

    app = _app()
    rng = random.Random(11)
    with app.app_context():
        admin, one, _, document = _world()
        section = document.sections[-1]
        for position in range(1, 501):
            clause = Clause(document_id=document.id, section_id=section.id, kind="OP",
                            category="recommendation", position=position)
            db.session.add(clause)
            db.session.flush()
            text = _text(rng, rng.randint(200, 900))
            clause.head = ClauseRevision(clause_id=clause.id, number=1, text=text, html="", author_id=one.id)
        commit()
        zero = versions.snapshot(one, document, "Zero draft")
        commit()
        every = db.session.execute(db.select(Clause).filter_by(document_id=document.id)).scalars().all()
        for clause in rng.sample(every, 100):
            clauses.merge_and_append(one, clause, clause.head, _scattered_edits(rng, clause.head.text, 3))
        for clause in rng.sample(every, 10):
            clause.position = rng.randint(1, 500)
        commit()
        rev1 = versions.snapshot(one, document, "Rev.1")
        commit()
        samples = []
        for _ in range(10):
            db.session.expire_all()
            started = time.perf_counter()
            _, _, rows = versions.comparison(document, str(zero.id), str(rev1.id))
            samples.append((time.perf_counter() - started) * 1000)
        assert len(rows) == 500 and sum(1 for r in rows if r.changes) >= 100
    return [_row("compare two versions: 500 clauses, 100 changed, 10 moved", "max of 10", max(samples), 300)]


def run():
    return bench_diff() + bench_pathological_diff() + bench_save_with_merge() + bench_compare()
