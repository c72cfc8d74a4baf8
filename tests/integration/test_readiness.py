"""Adoption readiness, withdrawal, the silence procedure's extension, cancellation and objections."""
from datetime import datetime, timedelta

import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Clause, Notification
from drafting.services import amendments, declarations, procedure, versions, votes
from tests.conftest import make_ready
from tests.security.matrix_world import in_phase

START = datetime(2016, 7, 21, 9, 0)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = START

        def __call__(self):
            return self.now

    fake = Clock()
    monkeypatch.setattr(procedure, "clock", fake)
    return fake


def _kinds(response):
    return {(b["kind"], b["clause_id"]) for b in response.get_json()["error"]["blockers"]}


def test_silence_and_adoption_are_refused_with_the_list_of_what_remains(consolidating, api, make_clause, login):
    w = consolidating
    chair = api(w.chair)
    # An amendment left open, a clause in brackets, an Alt 1 / Alt 2 pair, a late "bis" paragraph,
    # a block, and paragraphs nobody declared.
    with in_phase(w.document, "amendments"):
        amendments.propose(w.expert, w.op, w.op.head_revision_id, "Recommends open data;", "Shorter.")
    commit()
    chair.post(f"/clauses/{w.pp.id}/bracket", json={"base_revision_id": w.pp.head_revision_id, "quote": "role"})
    alternative = chair.post(f"/clauses/{w.op.id}/alternatives", json={"text": "Recommends shared data;"}).get_json()
    versions.snapshot(w.rapporteur, w.document, "Rev.1")
    commit()
    late = make_clause(w.document, w.chair, "Encourages cities to share data;")
    api(w.expert2).put(f"/clauses/{late.id}/vote", json={"position": "block", "reason": "Not without privacy."})
    for response in (chair.post(f"/documents/{w.document.id}/silence", json={}),
                     chair.post(f"/documents/{w.document.id}/adopt")):
        assert response.status_code == 409
        kinds = _kinds(response)
        assert ("brackets_in_text", w.pp.id) in kinds
        assert ("open_amendments", w.op.id) in kinds
        assert ("alternatives", w.op.id) in kinds and ("alternatives", alternative["id"]) in kinds
        assert ("undeclared", late.id) in kinds
        assert ("blocked", late.id) in kinds
        assert ("late_numbering", late.id) in kinds
        assert "not ready for adoption" in response.get_json()["error"]["message"]
    assert chair.get(f"/documents/{w.document.id}").get_json()["phase"] == "consolidation"
    # The chair's checklist shows the same list, each with a link to its paragraph.
    page = login(w.chair).get(f"/documents/{w.document.id}").get_data(as_text=True)
    assert 'id="checklist"' in page and f'href="/documents/{w.document.id}#clause-{late.id}"' in page
    assert "Numbered bis / ter" in page and "Open amendments" in page
    assert "Start the silence procedure" not in page
    # An expert sees no checklist.
    assert 'id="checklist"' not in login(w.expert).get(f"/documents/{w.document.id}").get_data(as_text=True)
    assert api(w.observer).get(f"/documents/{w.document.id}/procedure").get_json()["blockers"]


def test_only_stale_votes_block_until_confirmed(consolidating, api):
    w = consolidating
    with in_phase(w.document, "drafting"):
        votes.cast(w.expert, w.op, "agree")
    commit()
    api(w.rapporteur).post(f"/clauses/{w.op.id}/revisions",
                           json={"base_revision_id": w.op.head_revision_id, "text": "Recommends that cities publish data;"})
    blockers = api(w.chair).get(f"/documents/{w.document.id}/procedure").get_json()["blockers"]
    assert {"only_stale_votes"} <= {b["kind"] for b in blockers if b["clause_id"] == w.op.id}
    api(w.expert).post(f"/clauses/{w.op.id}/vote/confirm")
    blockers = api(w.chair).get(f"/documents/{w.document.id}/procedure").get_json()["blockers"]
    assert "only_stale_votes" not in {b["kind"] for b in blockers}


def test_after_adoption_every_paragraph_shows_its_final_state(consolidating, api, login):
    w = consolidating
    with in_phase(w.document, "consolidation"):
        declarations.declare(w.chair, w.pp, "agreed_ad_ref")
        declarations.declare(w.chair, w.op, "agreed")
    commit()
    assert api(w.chair).get(f"/documents/{w.document.id}/procedure").get_json()["blockers"] == []
    assert api(w.chair).post(f"/documents/{w.document.id}/adopt").status_code == 200
    document = api(w.chair).get(f"/documents/{w.document.id}").get_json()
    statuses = [c["status"] for s in document["sections"] for c in s["clauses"]]
    assert statuses == ["agreed", "agreed"]  # agreed ad referendum is confirmed by the adoption
    page = login(w.expert).get(f"/documents/{w.document.id}").get_data(as_text=True)
    assert "Proposed" not in page and page.count("Vote closed") == 2
    vote = api(w.expert).put(f"/clauses/{w.op.id}/vote", json={"position": "agree"})
    assert vote.status_code == 409


def test_withdrawal_by_the_author_before_any_declaration_and_restore_by_the_chair(world, api, login):
    expert = api(world.expert)
    assert api(world.expert2).post(f"/clauses/{world.op.id}/withdraw", json={"reason": "Mine now."}).status_code == 403
    assert expert.post(f"/clauses/{world.op.id}/withdraw", json={"reason": " "}).status_code == 422
    withdrawn = expert.post(f"/clauses/{world.op.id}/withdraw", json={"reason": "A duplicate of paragraph 2."})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert withdrawn.get_json()["number"] in (None, "")
    events = expert.get(f"/documents/{world.document.id}/events").get_json()["events"]
    assert events[-1]["type"] == "clause.withdrawn" and events[-1]["payload"]["paragraph"] == "paragraph 1"
    annex = login(world.chair).get(f"/documents/{world.document.id}/outcome").get_data(as_text=True)
    assert "Withdrawn paragraphs" in annex and "A duplicate of paragraph 2." in annex and "Expert One" in annex
    login(None)
    assert expert.post(f"/clauses/{world.op.id}/restore").status_code == 403
    restored = api(world.chair).post(f"/clauses/{world.op.id}/restore")
    assert restored.status_code == 200 and restored.get_json()["status"] == "proposed"
    assert restored.get_json()["number"] == "1"


def test_an_author_may_not_withdraw_a_declared_clause_nor_a_rapporteur_agreed_text(world, api):
    with in_phase(world.document, "consolidation"):
        declarations.declare(world.chair, world.op, "agreed")
    commit()
    assert api(world.expert).post(f"/clauses/{world.op.id}/withdraw", json={"reason": "Changed my mind."}).status_code == 403
    assert api(world.rapporteur).post(f"/clauses/{world.op.id}/withdraw", json={"reason": "Gone."}).status_code == 403
    made = api(world.chair).post(f"/clauses/{world.op.id}/withdraw", json={"reason": "The room dropped it."})
    assert made.status_code == 200
    restored = api(world.chair).post(f"/clauses/{world.op.id}/restore")
    assert restored.get_json()["status"] == "agreed"  # back as it was, its agreed text still frozen


def test_withdrawal_form_on_the_tools_page(world, login):
    client = login(world.expert)
    page = client.get(f"/clauses/{world.op.id}/consolidate").get_data(as_text=True)
    assert "Withdraw the clause" in page
    answer = client.post(f"/clauses/{world.op.id}/withdraw", data={"reason": "Duplicate."})
    assert answer.status_code == 302
    assert db.session.get(Clause, world.op.id).status == "withdrawn"
    chair_page = login(world.chair).get(f"/clauses/{world.op.id}/consolidate").get_data(as_text=True)
    assert "Restore the clause" in chair_page and "Duplicate." in chair_page


def _silence(world, api, clock, hours=72):
    procedure.set_phase(world.chair, world.document, "amendments")
    procedure.set_phase(world.chair, world.document, "consolidation")
    commit()
    make_ready(world.document, world.chair)
    assert api(world.chair).post(f"/documents/{world.document.id}/silence", json={"hours": hours}).status_code == 200


def test_the_chair_extends_the_silence_procedure_and_everyone_is_told(world, api, clock, login):
    world.meeting.time_zone = "Europe/Zurich"
    db.session.commit()
    _silence(world, api, clock, hours=24)
    assert api(world.rapporteur).post(f"/documents/{world.document.id}/silence/extend", json={"hours": 24}).status_code == 403
    extended = api(world.chair).post(f"/documents/{world.document.id}/silence/extend",
                                     json={"hours": 48, "reason": "Capitals need the weekend."})
    assert extended.status_code == 200
    assert extended.get_json()["silence_deadline"] == "2016-07-24T09:00:00Z"
    assert extended.get_json()["silence_deadline_local"] == "24 July 2016, 11:00 Europe/Zurich (09:00 UTC)"
    told = db.session.execute(db.select(Notification).filter_by(user_id=world.expert.id, kind="silence.extended")
                              ).scalars().all()
    assert told and "Capitals need the weekend." in told[0].message
    page = login(world.expert).get(f"/documents/{world.document.id}/procedure").get_data(as_text=True)
    assert "24 July 2016, 11:00 Europe/Zurich (09:00 UTC)" in page
    clock.now = START + timedelta(hours=30)
    procedure.tick()
    commit()
    assert api(world.chair).get(f"/documents/{world.document.id}").get_json()["phase"] == "final_reading"


def test_the_chair_cancels_the_silence_procedure(world, api, clock):
    _silence(world, api, clock)
    cancelled = api(world.chair).post(f"/documents/{world.document.id}/silence/cancel", json={"reason": "New text."})
    assert cancelled.status_code == 200 and cancelled.get_json()["phase"] == "consolidation"
    assert cancelled.get_json()["silence_deadline"] is None
    events = api(world.chair).get(f"/documents/{world.document.id}/events").get_json()["events"]
    assert "silence.cancelled" in [e["type"] for e in events]
    again = api(world.chair).post(f"/documents/{world.document.id}/silence/cancel", json={})
    assert again.status_code == 409


def test_an_objection_is_its_own_notice_with_its_text_and_asks_for_confirmation(world, api, clock, login):
    _silence(world, api, clock)
    client = login(world.expert2)
    asked = client.post(f"/documents/{world.document.id}/objections", data={"text": "Paragraph 1 overreaches."})
    assert asked.status_code == 200 and "Yes, object and break silence" in asked.get_data(as_text=True)
    assert api(world.chair).get(f"/documents/{world.document.id}").get_json()["phase"] == "final_reading"
    done = client.post(f"/documents/{world.document.id}/objections",
                       data={"text": "Paragraph 1 overreaches.", "confirm": "yes"})
    assert done.status_code == 302
    assert api(world.chair).get(f"/documents/{world.document.id}").get_json()["phase"] == "consolidation"
    for member in (world.chair, world.expert, world.observer):
        notes = db.session.execute(db.select(Notification).filter_by(user_id=member.id, kind="silence.broken")
                                   ).scalars().all()
        assert notes and "Expert Two" in notes[0].message and "Paragraph 1 overreaches." in notes[0].message
    events = api(world.chair).get(f"/documents/{world.document.id}/events").get_json()["events"]
    types = [e["type"] for e in events]
    assert types.index("silence.broken") < len(types) - 1 and types[-1] == "document.phase"
    activity = login(world.chair).get(f"/documents/{world.document.id}/activity").get_data(as_text=True)
    assert "objected and broke silence: “Paragraph 1 overreaches.”" in activity


def test_sections_are_the_chairs(world, api, login):
    assert api(world.expert).post(f"/documents/{world.document.id}/sections", json={"title": "Annex"}).status_code == 403
    assert 'id="section-new-h"' not in login(world.expert).get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert 'id="section-new-h"' in login(world.chair).get(f"/documents/{world.document.id}").get_data(as_text=True)
    login(None)
    first = world.document.sections[0]
    renamed = api(world.chair).put(f"/sections/{first.id}", json={"title": "Preambular part"})
    assert renamed.status_code == 200 and renamed.get_json()["title"] == "Preambular part"
    assert api(world.rapporteur).put(f"/sections/{first.id}", json={"title": "Mine"}).status_code == 403
    moved = api(world.chair).post(f"/sections/{first.id}/move", json={"direction": "down"})
    assert moved.status_code == 200 and moved.get_json()["position"] == 2
    assert api(world.chair).post(f"/sections/{first.id}/move", json={"direction": "down"}).status_code == 422


def test_meeting_settings_observers_and_time_zone(world, api, login):
    assert api(world.expert).put(f"/meetings/{world.meeting.id}/settings",
                                 json={"observers_follow_drafts": False}).status_code == 403
    assert api(world.chair).put(f"/meetings/{world.meeting.id}/settings",
                                json={"time_zone": "Mars/Olympus"}).status_code == 422
    answer = api(world.chair).put(f"/meetings/{world.meeting.id}/settings",
                                  json={"observers_follow_drafts": False, "time_zone": "Africa/Nairobi"})
    assert answer.get_json() == {"id": world.meeting.id, "observers_follow_drafts": False, "time_zone": "Africa/Nairobi"}
    assert login(world.observer).get(f"/documents/{world.document.id}").status_code == 403
    login(world.chair).post(f"/meetings/{world.meeting.id}/settings",
                            data={"observers_follow_drafts": "1", "time_zone": "Africa/Nairobi"})
    assert login(world.observer).get(f"/documents/{world.document.id}").status_code == 200
    login(None)
    created = api(world.admin).post("/meetings", json={"title": "Habitat III", "time_zone": "America/Guayaquil"})
    assert created.status_code == 201 and created.get_json()["time_zone"] == "America/Guayaquil"
