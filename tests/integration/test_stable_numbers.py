"""An amendment's number and a comment's marker are given once and never move."""
import re

from drafting.boundary import commit
from drafting.services import amendments, comments, procedure
from tests.security.matrix_world import in_phase


def _propose(world, clause, author, text):
    with in_phase(world.document, "amendments"):
        made = amendments.propose(author, clause, clause.head_revision_id, text, "Because.")
    commit()
    return made


def test_amendment_numbers_never_change_and_agree_on_every_page(world, api, login, client):
    first = _propose(world, world.pp, world.expert, "Recognizing the leading role of cities,")
    second = _propose(world, world.op, world.expert, "Recommends that cities publish open data yearly;")
    third = _propose(world, world.op, world.expert2, "Recommends that cities publish data;")
    assert (first.number, second.number, third.number) == (1, 2, 3)
    procedure.set_phase(world.chair, world.document, "amendments")
    commit()
    # Deciding one amendment leaves the others' numbers alone.
    api(world.rapporteur).post(f"/amendments/{second.id}/reject", json={"reason": "Too specific."})
    login(world.chair)
    page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
    assert "Amendment 3" in page and "Amendment 2" in page and "Amendment 1" not in page
    listed = api(world.expert).get(f"/clauses/{world.op.id}/amendments").get_json()["amendments"]
    assert [(a["id"], a["number"]) for a in listed] == [(second.id, 2), (third.id, 3)]
    procedure.set_phase(world.chair, world.document, "consolidation")
    commit()
    tools = client.get(f"/clauses/{world.op.id}/consolidate").get_data(as_text=True)
    assert "Amendment 3 by Expert Two" in tools
    api(world.rapporteur).post(f"/clauses/{world.op.id}/compromise", json={
        "base_revision_id": world.op.head_revision_id, "amendment_ids": [third.id],
        "text": "Recommends that cities publish their data;", "rationale": "Shorter."})
    annex = client.get(f"/documents/{world.document.id}/outcome").get_data(as_text=True)
    assert "Amendment 3 by Expert Two (incorporated in compromise)" in annex
    events = api(world.expert).get(f"/documents/{world.document.id}/events").get_json()["events"]
    proposed = [e["payload"] for e in events if e["type"] == "amendment.proposed"]
    assert [p["number"] for p in proposed] == [1, 2, 3]
    assert proposed[0]["paragraph"] == "preambular paragraph 1" and proposed[1]["paragraph"] == "paragraph 1"
    activity = client.get(f"/documents/{world.document.id}/activity").get_data(as_text=True)
    assert re.search(r"rejected <a [^>]*>amendment 2</a> to <a [^>]*>paragraph 1</a>", activity)


def test_a_rejected_amendments_author_is_told_which_one_and_on_which_paragraph(world, api):
    made = _propose(world, world.op, world.expert, "Recommends that cities publish open data yearly;")
    procedure.set_phase(world.chair, world.document, "amendments")
    commit()
    api(world.rapporteur).post(f"/amendments/{made.id}/reject", json={"reason": "Too specific."})
    from drafting.services import notifications
    told = [n.message for n in notifications.recent(world.expert)]
    assert any("amendment 1 to paragraph 1" in m for m in told), told


def test_comment_markers_are_per_clause_and_stay_when_others_are_deleted(world, login, client):
    with in_phase(world.document, "drafting"):
        elsewhere = comments.post(world.expert, world.pp, "Which role?")
        one = comments.post(world.expert, world.op, "Which data?", quote="open data")
        two = comments.post(world.expert2, world.op, "Publish where?", quote="publish")
    commit()
    assert (one.marker, two.marker, elsewhere.marker) == (1, 2, 1)
    with in_phase(world.document, "drafting"):
        comments.delete(world.expert, one)
    commit()
    login(world.chair)
    page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
    assert two.id == 3 and re.search(rf'<a href="#comment-{two.id}"[^>]*>\[2\]</a>', page)
