import pytest

from drafting.extensions import db
from drafting.models import ClauseRevision, Event


def test_document_page_numbers_operative_paragraphs_only(client, login, world, make_clause):
    make_clause(world.document, world.expert, "Encourages cities to share data;")
    login(world.observer)
    page = client.get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert "Recognizing the role of cities," in page
    assert '<div class="clause__num" aria-hidden="false">1.</div>' in page
    assert '<div class="clause__num" aria-hidden="false">2.</div>' in page
    assert page.count('aria-hidden="true"></div>') == 1  # the preambular paragraph has no number


def test_filter_by_category_and_tag_keeps_real_numbers(client, login, world, make_clause):
    make_clause(world.document, world.expert, "Encourages cities to plant trees;", category="guideline",
                tags=["environment"])
    login(world.expert)
    page = client.get(f"/documents/{world.document.id}?category=guideline").get_data(as_text=True)
    assert "plant trees" in page and "publish open data" not in page
    assert '<div class="clause__num" aria-hidden="false">2.</div>' in page
    page = client.get(f"/documents/{world.document.id}?tag=11.3").get_data(as_text=True)
    assert "publish open data" in page and "plant trees" not in page
    page = client.get(f"/documents/{world.document.id}?tag=<script>").get_data(as_text=True)
    assert "plant trees" in page


def test_expert_adds_a_clause_through_the_form(client, login, world):
    login(world.expert)
    section = world.document.sections[-1]
    response = client.post(f"/documents/{world.document.id}/clauses/new", data={
        "section_id": section.id, "kind": "OP", "category": "kpi",
        "text": "Encourages cities to report on KPI 3.1;", "tags": ["11.6", "environment"]})
    assert response.status_code == 302
    page = client.get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert "report on KPI 3.1" in page and "SDG 11.6" in page and "Key performance indicator" in page


@pytest.mark.parametrize("data,message", [
    ({"kind": "XX"}, "Kind must be one of"),
    ({"category": "wish"}, "Category must be one of"),
    ({"text": ""}, "Clause text must not be empty"),
    ({"text": "x" * 20001}, "the limit is 20,000"),
    ({"tags": ["11.9"]}, "Unknown tag"),
    ({"section_id": "abc"}, "section_id must be a positive whole number"),
])
def test_clause_form_refuses_bad_input_and_keeps_the_text(client, login, world, data, message):
    login(world.expert)
    form = {"section_id": world.document.sections[-1].id, "kind": "OP", "category": "kpi",
            "text": "Keeps my words;"}
    form.update(data)
    before = db.session.execute(db.select(db.func.count(ClauseRevision.id))).scalar()
    response = client.post(f"/documents/{world.document.id}/clauses/new", data=form)
    assert response.status_code in (413, 422)
    page = response.get_data(as_text=True)
    assert message in page
    if "text" not in data:
        assert "Keeps my words;" in page
    assert db.session.execute(db.select(db.func.count(ClauseRevision.id))).scalar() == before


def test_a_section_of_another_document_is_refused(client, login, world):
    login(world.expert)
    response = client.post(f"/documents/{world.document.id}/clauses/new", data={
        "section_id": world.other_document.sections[0].id, "kind": "OP", "category": "kpi", "text": "x"})
    assert response.status_code == 422 and "not part of this document" in response.get_data(as_text=True)


def test_edit_saves_a_revision_with_author_and_rationale(client, login, world):
    login(world.expert2)
    response = client.post(f"/clauses/{world.op.id}/edit", data={
        "base_revision_id": world.op.head_revision_id, "text": "Recommends that cities publish open data annually;",
        "rationale": "Say how often"})
    assert response.status_code == 302
    page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
    assert "publish open data annually" in page and "Revision 2" in page and "Say how often" in page
    assert "Expert Two" in page


def test_an_edit_identical_to_the_head_creates_nothing(client, login, world):
    login(world.expert)
    client.post(f"/clauses/{world.op.id}/edit", data={"base_revision_id": world.op.head_revision_id,
                                                      "text": world.op.head.text})
    assert db.session.execute(db.select(db.func.count(ClauseRevision.id))
                              .filter_by(clause_id=world.op.id)).scalar() == 1


def test_observers_and_outsiders_cannot_edit(client, login, world):
    for user, status in ((world.observer, 403), (world.outsider, 403), (world.other_chair, 403)):
        login(user)
        response = client.post(f"/clauses/{world.op.id}/edit", data={
            "base_revision_id": world.op.head_revision_id, "text": "Hijacked;"})
        assert response.status_code == status
    login(None)
    response = client.post(f"/clauses/{world.op.id}/edit", data={"base_revision_id": world.op.head_revision_id,
                                                                 "text": "Hijacked;"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.refresh(world.op)
    assert world.op.head.text == "Recommends that cities publish open data;"


def test_outsiders_cannot_read_the_draft(client, login, world):
    login(world.outsider)
    assert client.get(f"/documents/{world.document.id}").status_code == 403
    assert client.get(f"/clauses/{world.op.id}").status_code == 403
    assert client.get(f"/documents/{world.document.id}/activity").status_code == 403
    login(world.expert)
    assert client.get("/documents/999999").status_code == 404
    assert client.get("/clauses/999999").status_code == 404


def test_observers_follow_drafts_only_when_the_meeting_lets_them(client, login, world):
    login(world.observer)
    assert client.get(f"/documents/{world.document.id}").status_code == 200
    world.meeting.observers_follow_drafts = False
    db.session.commit()
    assert client.get(f"/documents/{world.document.id}").status_code == 403


def test_text_is_frozen_outside_drafting(client, login, world, advance):
    advance(world.document, world.chair, "amendments")
    db.session.commit()
    login(world.expert)
    response = client.post(f"/clauses/{world.op.id}/edit", data={
        "base_revision_id": world.op.head_revision_id, "text": "Changed;"})
    assert response.status_code == 409 and "propose an amendment" in response.get_data(as_text=True)


def test_activity_lists_every_change_in_order(client, login, world):
    login(world.expert)
    client.post(f"/clauses/{world.op.id}/edit", data={"base_revision_id": world.op.head_revision_id,
                                                      "text": "Recommends open data;"})
    page = client.get(f"/documents/{world.document.id}/activity").get_data(as_text=True)
    assert "created the document" in page and "added the section" in page
    assert "saved" in page and "revision 2" in page
    seqs = db.session.execute(db.select(Event.seq).filter_by(document_id=world.document.id)
                              .order_by(Event.seq)).scalars().all()
    assert seqs == list(range(1, len(seqs) + 1))


def test_chair_moves_the_phase_and_sets_rules_through_the_page(client, login, world):
    login(world.chair)
    url = f"/documents/{world.document.id}/procedure"
    assert client.post(url, data={"action": "rules", "quorum": "60", "threshold": "80",
                                  "block_prevents_consensus": "1"}).status_code == 302
    db.session.refresh(world.document)
    assert (world.document.quorum, world.document.threshold, world.document.hide_tallies) == (0.6, 0.8, False)
    response = client.post(url, data={"action": "rules", "quorum": "150", "threshold": "80"})
    assert response.status_code == 422 and "quorum must be a number from 0 to 1" in response.get_data(as_text=True)
    login(world.rapporteur)
    assert client.post(url, data={"action": "phase", "phase": "amendments"}).status_code == 403


def test_tags_can_be_changed_on_the_clause_page(client, login, world):
    login(world.expert)
    assert client.post(f"/clauses/{world.op.id}/tags", data={"tags": ["11.2", "society_culture"]}).status_code == 302
    db.session.refresh(world.op)
    assert world.op.tag_values == ["11.2", "society_culture"]
    response = client.post(f"/clauses/{world.op.id}/tags", data={"tags": ["nonsense"]})
    assert response.status_code == 422


def test_a_stale_form_edit_keeps_the_persons_text(client, login, world):
    base = world.op.head_revision_id
    login(world.expert)
    client.post(f"/clauses/{world.op.id}/edit", data={"base_revision_id": base,
                                                      "text": "Recommends that all cities publish open data;"})
    login(world.expert2)
    response = client.post(f"/clauses/{world.op.id}/edit", data={
        "base_revision_id": base, "text": "Recommends that cities publish open data without delay;"})
    page = response.get_data(as_text=True)
    assert response.status_code in (302, 409)
    if response.status_code == 409:
        assert "without delay" in page
    else:
        db.session.refresh(world.op)
        assert "without delay" in world.op.head.text and "all cities" in world.op.head.text
