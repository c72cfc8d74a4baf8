"""A stateful property test of the procedure: random sequences of the real operations, through the API,
by random roles, with the negotiation's invariants checked after every step.

DRAFTING_MACHINE_EXAMPLES (default 300) sequences of up to DRAFTING_MACHINE_STEPS (default 10) steps;
set them higher for a longer run (`make bench` style), e.g. DRAFTING_MACHINE_EXAMPLES=2000.
"""
import os
from datetime import datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from drafting.boundary import commit
from drafting.domain import clause_state
from drafting.extensions import db, limiter
from drafting.models import Amendment, Clause, ClauseRevision, Declaration, Document, Event, Meeting, User
from drafting.services import accounts, documents, procedure
from tests.conftest import signed_in_session

EXAMPLES = int(os.environ.get("DRAFTING_MACHINE_EXAMPLES", "300"))
STEPS = int(os.environ.get("DRAFTING_MACHINE_STEPS", "10"))
ROLES = ["chair", "rapporteur", "expert", "expert2", "observer"]
WORDS = ["open", "public", "resilient", "green", "smart", "inclusive"]
PHASES = ["drafting", "amendments", "consolidation", "final_reading", "adopted", "published"]
START = datetime(2016, 7, 21, 9, 0)


class Clock:
    now = START

    def __call__(self):
        return self.now


def _replay(events):
    """Clause texts and statuses as the event log tells them, from seq 1."""
    text, status = {}, {}
    for event in events:
        p, kind = event.payload or {}, event.type
        if kind == "clause.created":
            text[p["clause_id"]], status[p["clause_id"]] = p["text"], p["status"]
        elif kind == "clause.revised":
            text[p["clause_id"]] = p["text"]
        elif kind == "clause.declared":
            status[p["clause_id"]] = p["status"]
        elif kind == "clause.bracketed" and p.get("whole"):
            status[p["clause_id"]] = "bracketed"
        elif kind == "clause.merged":
            for cid in p["merged_ids"]:
                status[cid] = "merged"
        elif kind == "clause.alternative_chosen":
            for cid in p["withdrawn_ids"]:
                status[cid] = "withdrawn"
        elif kind in ("clause.withdrawn", "clause.restored"):
            status[p["clause_id"]] = p["status"]
    return text, status


class Procedure(RuleBasedStateMachine):
    """One document per sequence; the app, client and users are set on the class by the test."""

    app = client = users = tokens = meeting = clock = None
    found = None  # what the run saw: statuses answered, per operation

    def __init__(self):
        super().__init__()
        db.session.remove()
        chair = db.session.get(User, self.users["chair"])
        meeting = db.session.get(Meeting, self.meeting)
        self.clock.now = START
        document = documents.create_document(chair, meeting, "Outcome")
        for kind, words in (("PP", "Recognizing the role of cities,"),
                            ("OP", "Recommends that cities publish open data;"),
                            ("OP", "Encourages cities to plan for resilience;")):
            section = document.sections[0 if kind == "PP" else 1]
            documents.add_clause(chair, document, section.id, kind, "principle", words)
        commit()
        self.document_id = document.id
        self.numbers = {}  # amendment id -> the number it was given

    @initialize(start=st.sampled_from(["drafting", "amendments", "consolidation", "consolidation"]))
    def start_in(self, start):
        """Sequences start in any phase before the final reading, so that more of them reach the end."""
        for target in ("amendments", "consolidation")[:["drafting", "amendments", "consolidation"].index(start)]:
            self.call("chair", "post", f"/documents/{self.document_id}/phase", {"phase": target})

    # --- calling the API ---------------------------------------------------------------------

    def call(self, role, method, path, json=None):
        response = getattr(self.client, method)(
            "/api/v1" + path, json=json, headers={"Authorization": f"Bearer {self.tokens[role]}"})
        assert response.status_code < 500, (method, path, json, response.get_data(as_text=True)[:500])
        key = path.split("/")[-1] if not path.split("/")[-1].isdigit() else path.split("/")[-2]
        self.found.setdefault(f"{method} {key}", {}).setdefault(response.status_code, 0)
        self.found[f"{method} {key}"][response.status_code] += 1
        return response

    def clauses(self, live=True):
        db.session.remove()
        rows = db.session.execute(db.select(Clause).filter_by(document_id=self.document_id).order_by(Clause.id)
                                  ).scalars().all()
        return [c for c in rows if not live or not clause_state.is_gone(c.status)]

    def pick(self, data, live=True):
        rows = self.clauses(live)
        return data.draw(st.sampled_from(rows)) if rows else None

    def open_amendments(self):
        db.session.remove()
        return db.session.execute(
            db.select(Amendment).join(Clause).where(Clause.document_id == self.document_id,
                                                    Amendment.status == "open").order_by(Amendment.id)
        ).scalars().all()

    # --- rules: text ---------------------------------------------------------------------------

    @rule(role=st.sampled_from(ROLES), data=st.data(), word=st.sampled_from(WORDS))
    def edit(self, role, data, word):
        clause = self.pick(data)
        if clause:
            self.call(role, "post", f"/clauses/{clause.id}/revisions",
                      {"base_revision_id": clause.head_revision_id, "text": f"{clause.head.text} {word}"})

    @rule(role=st.sampled_from(ROLES), data=st.data(), word=st.sampled_from(WORDS))
    def amend(self, role, data, word):
        clause = self.pick(data)
        if clause:
            self.call(role, "post", f"/clauses/{clause.id}/amendments", {
                "base_revision_id": clause.head_revision_id, "text": f"{clause.head.text} ({word})",
                "rationale": "Better."})

    @rule(role=st.sampled_from(ROLES), data=st.data(), accept=st.booleans())
    def decide(self, role, data, accept):
        pending = self.open_amendments()
        if pending:
            amendment = data.draw(st.sampled_from(pending))
            if accept:
                self.call(role, "post", f"/amendments/{amendment.id}/accept", {})
            else:
                self.call(role, "post", f"/amendments/{amendment.id}/reject", {"reason": "Not now."})

    @rule(role=st.sampled_from(ROLES))
    def compromise(self, role):
        pending = self.open_amendments()
        if pending:
            clause = pending[0].clause
            self.call(role, "post", f"/clauses/{clause.id}/compromise", {
                "base_revision_id": clause.head_revision_id, "text": clause.head.text + " together",
                "rationale": "Both.", "amendment_ids": [a.id for a in pending if a.clause_id == clause.id]})

    @rule(role=st.sampled_from(ROLES), data=st.data())
    def split(self, role, data):
        clause = self.pick(data)
        if clause and " " in clause.head.text.strip():
            self.call(role, "post", f"/clauses/{clause.id}/split",
                      {"base_revision_id": clause.head_revision_id, "at": clause.head.text.index(" ") + 1})

    @rule(role=st.sampled_from(ROLES), data=st.data())
    def merge(self, role, data):
        rows = self.clauses()
        if len(rows) >= 2:
            chosen = data.draw(st.lists(st.sampled_from(rows), min_size=2, max_size=2, unique=True))
            self.call(role, "post", f"/documents/{self.document_id}/merge", {"clause_ids": [c.id for c in chosen]})

    @rule(role=st.sampled_from(ROLES), data=st.data(), direction=st.sampled_from(["up", "down"]))
    def move(self, role, data, direction):
        clause = self.pick(data)
        if clause:
            self.call(role, "post", f"/clauses/{clause.id}/move", {"direction": direction})

    @rule(role=st.sampled_from(ROLES), data=st.data(), whole=st.booleans())
    def bracket(self, role, data, whole):
        clause = self.pick(data)
        if clause:
            body = {} if whole else {"base_revision_id": clause.head_revision_id,
                                     "quote": clause.head.text.split()[-1]}
            self.call(role, "post", f"/clauses/{clause.id}/bracket", body)

    @rule(role=st.sampled_from(ROLES), data=st.data(), word=st.sampled_from(WORDS))
    def alternative(self, role, data, word):
        clause = self.pick(data)
        if clause:
            self.call(role, "post", f"/clauses/{clause.id}/alternatives", {"text": f"Recommends {word} cities;"})

    @rule(role=st.sampled_from(ROLES), data=st.data())
    def choose(self, role, data):
        alternatives = [c for c in self.clauses() if c.alternative_of_id]
        if alternatives:
            self.call(role, "post", f"/clauses/{data.draw(st.sampled_from(alternatives)).id}/choose")

    # --- rules: status -------------------------------------------------------------------------

    @rule(role=st.sampled_from(ROLES), data=st.data())
    def withdraw(self, role, data):
        clause = self.pick(data)
        if clause:
            self.call(role, "post", f"/clauses/{clause.id}/withdraw", {"reason": "A duplicate."})

    @rule(role=st.sampled_from(ROLES), data=st.data())
    def restore(self, role, data):
        withdrawn = [c for c in self.clauses(live=False) if c.status == "withdrawn"]
        if withdrawn:
            self.call(role, "post", f"/clauses/{data.draw(st.sampled_from(withdrawn)).id}/restore")

    @rule(role=st.sampled_from(["chair", "chair", "rapporteur"]), data=st.data(),
          kind=st.sampled_from(["agreed", "agreed", "agreed_ad_ref", "bracketed", "reopened"]))
    def declare(self, role, data, kind):
        clause = self.pick(data)
        if clause:
            self.call(role, "post", f"/clauses/{clause.id}/declare", {"status": kind, "reason": "The room asked."})

    @rule(role=st.sampled_from(["chair", "chair", "expert"]),
          then=st.sampled_from([None, "adopted", "final_reading"]))
    def agree_everything(self, role, then):
        """What a chair does before adoption: decide, choose, renumber, declare (so adoption is reached)."""
        for amendment in self.open_amendments():
            self.call(role, "post", f"/amendments/{amendment.id}/reject", {"reason": "Not taken up."})
        for clause in self.clauses():
            if clause.alternative_of_id:
                self.call(role, "post", f"/clauses/{clause.id}/choose")
        self.call(role, "post", f"/documents/{self.document_id}/renumber")
        for clause in self.clauses():
            if "[" in clause.head.text:
                self.call(role, "post", f"/clauses/{clause.id}/declare", {"status": "reopened", "reason": "Brackets."})
                self.call(role, "post", f"/clauses/{clause.id}/revisions", {
                    "base_revision_id": clause.head_revision_id,
                    "text": clause.head.text.replace("[", "").replace("]", "")})
        for clause in self.clauses():
            if clause.status in ("proposed", "bracketed"):
                self.call(role, "post", f"/clauses/{clause.id}/declare", {"status": "agreed"})
        if then:
            self.call(role, "post", f"/documents/{self.document_id}/phase", {"phase": then})

    # --- rules: the procedure ------------------------------------------------------------------

    @rule(role=st.sampled_from(["chair", "chair", "expert"]), phase=st.sampled_from(PHASES))
    def set_phase(self, role, phase):
        self.call(role, "post", f"/documents/{self.document_id}/phase", {"phase": phase})

    @rule(adopt=st.booleans())
    def step_forward(self, adopt):
        """The chair moves the document on, as a meeting does: most sequences reach the end."""
        document = db.session.get(Document, self.document_id)
        following = {"drafting": "amendments", "amendments": "consolidation",
                     "consolidation": "adopted" if adopt else "final_reading", "adopted": "published"}
        target = following.get(procedure.present(document).phase)
        db.session.rollback()
        if target:
            self.call("chair", "post", f"/documents/{self.document_id}/phase", {"phase": target})

    @rule(role=st.sampled_from(["chair", "rapporteur"]), hours=st.integers(1, 100))
    def start_silence(self, role, hours):
        self.call(role, "post", f"/documents/{self.document_id}/silence", {"hours": hours})

    @rule(role=st.sampled_from(["chair", "expert"]), hours=st.integers(1, 48))
    def extend_silence(self, role, hours):
        self.call(role, "post", f"/documents/{self.document_id}/silence/extend", {"hours": hours})

    @rule(role=st.sampled_from(["chair", "expert"]))
    def cancel_silence(self, role):
        self.call(role, "post", f"/documents/{self.document_id}/silence/cancel", {"reason": "Again."})

    @rule(role=st.sampled_from(ROLES))
    def object_to(self, role):
        self.call(role, "post", f"/documents/{self.document_id}/objections", {"text": "Not yet."})

    @rule(role=st.sampled_from(["chair", "chair", "rapporteur"]))
    def adopt(self, role):
        self.call(role, "post", f"/documents/{self.document_id}/adopt")

    @rule(role=st.sampled_from(["chair", "expert"]), visibility=st.sampled_from(["public", "members"]))
    def publish(self, role, visibility):
        self.call(role, "post", f"/documents/{self.document_id}/publish", {"visibility": visibility})

    @rule(hours=st.integers(1, 200), ticked=st.booleans())
    def time_passes(self, hours, ticked):
        self.clock.now += timedelta(hours=hours)
        if ticked:
            procedure.tick()
            commit()

    # --- invariants ----------------------------------------------------------------------------

    @invariant()
    def the_negotiations_invariants_hold(self):
        """Checked after every step, on one fresh read of the document."""
        rows = self.clauses(live=False)
        live = [c for c in rows if not clause_state.is_gone(c.status)]
        heads = {r.id: r for r in db.session.execute(db.select(ClauseRevision).where(
            ClauseRevision.id.in_([c.head_revision_id for c in rows]))).scalars()}
        # Agreed text is the text of the revision it was agreed on.
        for clause in live:
            if clause_state.is_frozen(clause.status):
                declaration = db.session.execute(
                    db.select(Declaration).filter_by(clause_id=clause.id).order_by(Declaration.id.desc()).limit(1)
                ).scalar_one()
                assert declaration.revision_id is not None
                agreed = db.session.get(ClauseRevision, declaration.revision_id)
                assert heads[clause.head_revision_id].text == agreed.text, (clause.id, clause.status)
        # An adopted document has nothing left open: no brackets, alternatives, amendments, undeclared.
        document = procedure.present(db.session.get(Document, self.document_id))
        if document.phase in ("adopted", "published"):
            assert procedure.readiness(document) == []
            assert all(c.status == "agreed" for c in live)
        # Amendment numbers never change and never repeat.
        numbered = db.session.execute(db.select(Amendment.id, Amendment.number).join(Clause)
                                      .where(Clause.document_id == self.document_id)).all()
        for amendment_id, number in numbered:
            assert self.numbers.setdefault(amendment_id, number) == number
        assert len({n for _, n in numbered}) == len(numbered)
        # The event log, replayed from seq 1, gives the clause texts and statuses of the database.
        log = db.session.execute(db.select(Event).filter_by(document_id=self.document_id).order_by(Event.seq)
                                 ).scalars().all()
        assert [e.seq for e in log] == list(range(1, len(log) + 1))
        text, status = _replay(log)
        for clause in rows:
            assert text.get(clause.id) == heads[clause.head_revision_id].text, clause.id
            assert status.get(clause.id) == clause.status, (clause.id, status.get(clause.id), clause.status)
        db.session.rollback()

    def teardown(self):
        """Every page and export of the document answers 200 once the sequence is over."""
        headers = {"Authorization": f"Bearer {self.tokens['chair']}"}
        # Every page and export each time but the slowest two, which take turns (.docx every third
        # sequence, .pdf every twentieth): test_every_state_renders fetches all of them for every state.
        exports = [".md", ".xml"] + ([".docx"] if self.document_id % 3 == 0 else []) + (
            [".pdf"] if self.document_id % 20 == 0 else [])
        values = signed_in_session(db.session.get(User, self.users["chair"]))
        with self.client.session_transaction() as session:
            session.update(values)
        for url in [f"/documents/{self.document_id}", f"/documents/{self.document_id}/procedure",
                    f"/documents/{self.document_id}/activity", f"/documents/{self.document_id}/dashboard",
                    *(f"/documents/{self.document_id}/outcome{e}" for e in ["", *exports]),
                    *(f"/clauses/{c.id}" for c in self.clauses(live=False)[-1:])]:
            assert self.client.get(url).status_code == 200, url
        with self.client.session_transaction() as session:
            session.clear()
        assert self.client.get(f"/api/v1/documents/{self.document_id}", headers=headers).status_code == 200


def test_random_sequences_keep_the_procedures_invariants(app, client, world, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(procedure, "clock", clock)
    # Hundreds of downloads a minute from one test client: the download limit is not under test here.
    monkeypatch.setattr(limiter, "enabled", False)
    users = {"chair": world.chair, "rapporteur": world.rapporteur, "expert": world.expert,
             "expert2": world.expert2, "observer": world.observer}
    tokens = {role: accounts.issue_token(user, "machine") for role, user in users.items()}
    db.session.commit()
    Procedure.app, Procedure.client, Procedure.tokens = app, client, tokens
    Procedure.users = {role: user.id for role, user in users.items()}
    Procedure.meeting, Procedure.clock, Procedure.found = world.meeting.id, clock, {}
    run_state_machine_as_test(Procedure, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None,
        suppress_health_check=list(HealthCheck)))
    found = Procedure.found
    print("\nstatuses answered per operation:", {k: dict(sorted(v.items())) for k, v in sorted(found.items())})
    documents_made = db.session.execute(db.select(db.func.count(Document.id))).scalar_one()
    print(f"sequences: {documents_made - 2}, steps answered: {sum(sum(v.values()) for v in found.values())}")
    adopted = db.session.execute(db.select(db.func.count(Event.id)).filter_by(type="document.adopted")).scalar_one()
    print(f"documents adopted: {adopted}")
    # The run reached the states that matter: documents were adopted, in session or by silence.
    assert adopted > 0
