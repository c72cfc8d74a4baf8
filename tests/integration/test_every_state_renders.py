"""Every value of every state enum renders on every page and in every export."""
from datetime import timedelta

import pytest

from drafting.boundary import commit
from drafting.domain.vocabulary import AmendmentStatus, ClauseStatus, ConsensusState, DeclarationKind, Phase
from drafting.extensions import db
from drafting.models import Amendment, Clause, Declaration
from drafting.services import amendments, comments, consolidation, declarations, procedure, versions, votes
from tests.security.matrix_world import in_phase


@pytest.fixture
def every_state(world, make_user, join, make_clause):
    """The world's document with a clause in each status, amendments in each status, each declaration
    kind and each consensus state."""
    w = world
    w.expert3, w.expert4 = make_user(name="Expert Three"), make_user(name="Expert Four")
    join(w.meeting, w.expert3, "expert")
    join(w.meeting, w.expert4, "expert")
    doc = w.document
    clause = {}
    for name in ("quorum", "consensus", "contested", "blocked", "bracketed", "ad_ref", "agreed",
                 "reopened", "withdrawn", "merge_a", "merge_b"):
        clause[name] = make_clause(doc, w.expert, f"Recommends that cities {name.replace('_', ' ')} data;")
    with in_phase(doc, "drafting"):
        votes.cast(w.expert, clause["quorum"], "agree")
        for voter in (w.expert, w.expert2, w.expert3, w.expert4, w.rapporteur):
            votes.cast(voter, clause["consensus"], "agree")
        for voter, position in ((w.expert, "agree"), (w.expert2, "disagree"), (w.expert3, "agree"),
                                (w.expert4, "disagree")):
            votes.cast(voter, clause["contested"], position)
        votes.cast(w.expert, clause["blocked"], "agree")
        votes.cast(w.expert2, clause["blocked"], "block", "Not without privacy safeguards.")
        votes.cast(w.expert3, clause["blocked"], "agree")
        comments.post(w.expert, w.op, "Which data?", quote="open data")
    with in_phase(doc, "amendments"):
        made = {s: amendments.propose(w.expert, w.op, w.op.head_revision_id,
                                      f"Recommends that cities publish {s} data now;", "Because.")
                for s in ("open", "accepted", "rejected", "withdrawn", "incorporated")}
        amendments.withdraw(w.expert, made["withdrawn"])
        amendments.reject(w.rapporteur, made["rejected"], "Too narrow.")
        amendments.accept(w.rapporteur, made["accepted"])
    with in_phase(doc, "consolidation"):
        consolidation.compromise(w.rapporteur, w.op, w.op.head_revision_id,
                                 "Recommends that cities publish open data every year;", "Both ideas.",
                                 [made["incorporated"].id])
        declarations.declare(w.chair, clause["bracketed"], "bracketed")
        declarations.declare(w.chair, clause["ad_ref"], "agreed_ad_ref")
        declarations.declare(w.chair, clause["agreed"], "agreed")
        declarations.declare(w.chair, clause["reopened"], "agreed")
        declarations.declare(w.chair, clause["reopened"], "reopened", "Kenya asked to revisit it.")
        consolidation.withdraw(w.chair, clause["withdrawn"], "A duplicate.")
        consolidation.merge(w.rapporteur, doc, [clause["merge_a"].id, clause["merge_b"].id])
        consolidation.add_alternative(w.rapporteur, clause["quorum"], "Recommends that cities open data;")
        versions.snapshot(w.rapporteur, doc, "Rev.1")
    commit()
    statuses = {c.status for c in db.session.execute(db.select(Clause).filter_by(document_id=doc.id)).scalars()}
    assert statuses == set(ClauseStatus.values())
    assert {a.status for a in db.session.execute(db.select(Amendment)).scalars()} == set(AmendmentStatus.values())
    assert {d.status for d in db.session.execute(db.select(Declaration)).scalars()} == set(DeclarationKind.values())
    states = {t.state.value for t in votes.tallies(doc).values()}
    assert states == set(ConsensusState.values()), states
    w.every = clause
    return w


def _put_in_phase(document, phase):
    document.phase = phase
    now = procedure.now()
    document.silence_started_at = now if phase == "final_reading" else None
    document.silence_deadline = now + timedelta(hours=72) if phase == "final_reading" else None
    document.adopted_at = now if phase in ("adopted", "published") else None
    document.published_at = now if phase == "published" else None
    db.session.commit()


@pytest.mark.parametrize("phase", Phase.values())
def test_every_page_and_export_renders_every_state(every_state, login, api, phase):
    w = every_state
    doc = w.document
    _put_in_phase(doc, phase)
    client = login(w.chair)
    clause_ids = [c.id for c in db.session.execute(db.select(Clause).filter_by(document_id=doc.id)).scalars()]
    pages = [f"/documents/{doc.id}", f"/documents/{doc.id}/activity", f"/documents/{doc.id}/dashboard",
             f"/documents/{doc.id}/procedure", f"/documents/{doc.id}/versions",
             f"/documents/{doc.id}/outcome", f"/documents/{doc.id}/outcome.md",
             f"/documents/{doc.id}/outcome.docx", f"/documents/{doc.id}/outcome.xml",
             f"/documents/{doc.id}/outcome.pdf", f"/meetings/{w.meeting.id}"]
    for cid in clause_ids:
        pages += [f"/clauses/{cid}", f"/clauses/{cid}/history", f"/clauses/{cid}/consolidate"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, (phase, url, response.status_code)
    reader = api(w.chair)
    for url in (f"/documents/{doc.id}", f"/documents/{doc.id}/procedure", f"/documents/{doc.id}/events",
                *(f"/clauses/{cid}" for cid in clause_ids), f"/clauses/{w.op.id}/amendments"):
        response = reader.get(url)
        assert response.status_code == 200, (phase, url, response.get_json())
    # Each state's label is shown on the document page (badges) in its reader's words.
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    for status in ("Proposed", "Bracketed", "Agreed ad ref", "Agreed", "Withdrawn", "Merged"):
        assert f">{status}</span>" in page, status
    clause_page = client.get(f"/clauses/{w.every['reopened'].id}").get_data(as_text=True)
    assert "Reopened" in clause_page and "Kenya asked to revisit it." in clause_page
    op_page = client.get(f"/clauses/{w.op.id}").get_data(as_text=True)
    for label in ("Accepted", "Rejected", "Withdrawn", "Incorporated in compromise"):
        assert label in op_page, label
    annex = client.get(f"/documents/{doc.id}/outcome").get_data(as_text=True)
    assert "declared reopened" in annex and "Withdrawn paragraphs" in annex
