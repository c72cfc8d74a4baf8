"""Rapporteur tools: every change keeps where the text came from."""
import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Amendment, Clause, ClauseRevision, Event, Notification, Version
from drafting.services import documents, procedure

ROLES = ["anonymous", "outsider", "observer", "expert", "rapporteur", "chair", "admin", "other_chair"]
MAY_CONSOLIDATE = {"rapporteur", "chair", "admin"}


def amendment(clause, author, text):
    from drafting.services import amendments
    from tests.security.matrix_world import in_phase

    with in_phase(clause.document, "amendments"):
        a = amendments.propose(author, clause, clause.head_revision_id, text, "A proposal.")
    commit()
    return a


def numbers(document):
    return [(r.number, r.clause.id) for s in documents.outline(document) for r in s.clauses
            if r.clause.status not in ("merged", "withdrawn")]


def event_types(document):
    return [e.type for e in db.session.execute(
        db.select(Event).filter_by(document_id=document.id).order_by(Event.seq)).scalars()]


# --- compromise ----------------------------------------------------------------------------------


def test_compromise_incorporates_amendments_and_tells_their_authors(consolidating, api, login):
    w = consolidating
    a1 = amendment(w.op, w.expert, "Recommends that cities publish open data annually;")
    a2 = amendment(w.op, w.expert2, "Recommends that cities publish open and accessible data;")
    response = api(w.rapporteur).post(f"/clauses/{w.op.id}/compromise", json={
        "base_revision_id": w.op.head_revision_id, "amendment_ids": [a1.id, a2.id],
        "text": "Recommends that cities publish open and accessible data annually;",
        "rationale": "Combines the two proposals."})
    assert response.status_code == 201, response.get_json()
    db.session.expire_all()
    assert {a.status for a in db.session.execute(db.select(Amendment)).scalars()} == {"incorporated"}
    revision = db.session.get(ClauseRevision, response.get_json()["id"])
    assert db.session.get(Amendment, a1.id).result_revision_id == revision.id
    told = {n.user_id for n in db.session.execute(db.select(Notification)).scalars()}
    assert told == {w.expert.id, w.expert2.id}
    annex = login(w.chair).get(f"/documents/{w.document.id}/outcome").get_data(as_text=True).split('id="annex"')[1]
    assert f"Amendment {a1.number} by Expert One (incorporated in compromise)" in annex
    assert f"Amendment {a2.number} by Expert Two" in annex


def test_compromise_refuses_amendments_of_another_clause_and_changes_nothing(consolidating, api):
    w = consolidating
    a1 = amendment(w.op, w.expert, "Recommends more;")
    other = amendment(w.pp, w.expert, "Recognizing more,")
    head = w.op.head_revision_id
    response = api(w.rapporteur).post(f"/clauses/{w.op.id}/compromise", json={
        "base_revision_id": head, "amendment_ids": [a1.id, other.id], "text": "Recommends x;", "rationale": "r"})
    assert response.status_code == 422
    assert "not an amendment of this clause" in response.get_json()["error"]["message"]
    db.session.expire_all()
    assert db.session.get(Clause, w.op.id).head_revision_id == head
    assert db.session.get(Amendment, a1.id).status == "open"


def test_compromise_on_a_stale_revision_is_a_conflict(consolidating, api):
    w = consolidating
    a1 = amendment(w.op, w.expert, "Recommends more;")
    stale = w.op.head_revision_id
    api(w.rapporteur).post(f"/clauses/{w.op.id}/revisions", json={"base_revision_id": stale, "text": "Recommends less;"})
    response = api(w.rapporteur).post(f"/clauses/{w.op.id}/compromise", json={
        "base_revision_id": stale, "amendment_ids": [a1.id], "text": "Recommends x;", "rationale": "r"})
    assert response.status_code == 409
    assert response.get_json()["error"]["theirs"]["text"] == "Recommends less;"


# --- merge and split -----------------------------------------------------------------------------


def test_merge_keeps_provenance(consolidating, api, login, make_clause):
    w = consolidating
    procedure.set_phase(w.chair, w.document, "drafting")
    second = make_clause(w.document, w.expert2, "Encourages open standards;", tags=["11.b"])
    procedure.set_phase(w.chair, w.document, "amendments")
    procedure.set_phase(w.chair, w.document, "consolidation")
    commit()
    response = api(w.rapporteur).post(f"/documents/{w.document.id}/merge", json={
        "clause_ids": [second.id, w.op.id], "text": "Recommends open data on open standards;"})
    assert response.status_code == 201, response.get_json()
    merged = response.get_json()
    assert merged["number"] == "1"
    assert merged["tags"] == ["11.3", "11.b", "economy"]
    db.session.expire_all()
    for old in (w.op, second):
        clause = db.session.get(Clause, old.id)
        assert clause.status == "merged" and clause.merged_into_id == merged["id"]
    annex = login(w.chair).get(f"/documents/{w.document.id}/outcome").get_data(as_text=True).split('id="annex"')[1]
    entry = annex.split(f'id="annex-{merged["id"]}"')[1].split("</section>")[0]
    assert "Expert One" in entry and "Expert Two" in entry and "Rapporteur" in entry
    assert "clause.merged" in event_types(w.document)


@pytest.mark.parametrize("ids, message", [
    ("other", "not part of this document"),
    ("one", "at least two"),
    ("missing", "not part of this document"),
])
def test_bad_merges_are_refused_and_change_nothing(consolidating, api, ids, message):
    w = consolidating
    clause_ids = {"other": [w.op.id, w.other_clause.id], "one": [w.op.id, w.op.id],
                  "missing": [w.op.id, 999999]}[ids]
    response = api(w.rapporteur).post(f"/documents/{w.document.id}/merge", json={"clause_ids": clause_ids})
    assert response.status_code == 422
    assert message in response.get_json()["error"]["message"]
    db.session.expire_all()
    assert db.session.get(Clause, w.op.id).status == "proposed"
    assert db.session.get(Clause, w.other_clause.id).status == "proposed"


def test_split_makes_two_clauses_linked_to_the_original(consolidating, api, login):
    w = consolidating
    original = w.op.head
    response = api(w.rapporteur).post(f"/clauses/{w.op.id}/split", json={
        "base_revision_id": original.id, "before": "publish open data;"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["clause"]["text"] == "Recommends that cities"
    assert body["new_clause"]["text"] == "publish open data;"
    assert [n for n, _ in numbers(w.document)] == ["", "1", "2"]
    first_revision = db.session.execute(db.select(ClauseRevision).filter_by(
        clause_id=body["new_clause"]["id"])).scalar_one()
    assert first_revision.parent_id == original.id
    annex = login(w.chair).get(f"/documents/{w.document.id}/outcome").get_data(as_text=True).split('id="annex"')[1]
    entry = annex.split(f'id="annex-{body["new_clause"]["id"]}"')[1].split("</section>")[0]
    assert "Expert One" in entry  # wrote the text it was split from


@pytest.mark.parametrize("where", [{"at": 0}, {"at": 999}, {"at": -1}, {"at": "middle"}, {"before": "not in it"},
                                   {"at": 10.5}])
def test_split_point_outside_the_text_is_422(consolidating, api, where):
    w = consolidating
    head = w.op.head_revision_id
    response = api(w.rapporteur).post(f"/clauses/{w.op.id}/split", json={"base_revision_id": head, **where})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Clause, w.op.id).head_revision_id == head
    assert db.session.execute(db.select(db.func.count(Clause.id)).filter_by(document_id=w.document.id)).scalar() == 2


def test_split_form_reshows_with_the_message(consolidating, login):
    w = consolidating
    response = login(w.rapporteur).post(f"/clauses/{w.op.id}/split", data={
        "base_revision_id": w.op.head_revision_id, "before": "nowhere"})
    assert response.status_code == 422
    assert "Those words are not in the clause text." in response.get_data(as_text=True)


# --- moving --------------------------------------------------------------------------------------


def test_move_up_and_down_and_across_sections(consolidating, api, login, make_clause):
    w = consolidating
    procedure.set_phase(w.chair, w.document, "drafting")
    second = make_clause(w.document, w.expert, "Encourages cities;")
    procedure.set_phase(w.chair, w.document, "amendments")
    procedure.set_phase(w.chair, w.document, "consolidation")
    commit()
    assert numbers(w.document) == [("", w.pp.id), ("1", w.op.id), ("2", second.id)]
    response = login(w.rapporteur).post(f"/clauses/{second.id}/move", data={"direction": "up"})
    assert response.status_code == 302
    assert numbers(w.document) == [("", w.pp.id), ("1", second.id), ("2", w.op.id)]
    assert api(w.rapporteur).post(f"/clauses/{second.id}/move", json={"direction": "up"}).status_code == 200
    preamble = w.document.sections[0]
    db.session.expire_all()
    assert db.session.get(Clause, second.id).section_id == preamble.id
    response = api(w.rapporteur).post(f"/clauses/{w.pp.id}/move", json={"direction": "up"})
    assert response.status_code == 422 and "already at the top" in response.get_json()["error"]["message"]
    response = api(w.rapporteur).post(f"/clauses/{w.pp.id}/move", json={"section_id": w.other_document.sections[0].id})
    assert response.status_code == 422
    assert "clause.moved" in event_types(w.document)


@pytest.mark.parametrize("who", ROLES)
def test_move_role_matrix(consolidating, api, who):
    response = api(consolidating.users[who]).post(f"/clauses/{consolidating.op.id}/move", json={"direction": "up"})
    expected = 200 if who in MAY_CONSOLIDATE else 401 if who == "anonymous" else 403
    assert response.status_code == expected


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("outsider", 403), ("observer", 200),
                                         ("expert", 200), ("rapporteur", 200), ("chair", 200),
                                         ("admin", 200), ("other_chair", 403)])
def test_tools_page_matrix(consolidating, login, who, status):
    response = login(consolidating.users[who]).get(f"/clauses/{consolidating.op.id}/consolidate")
    assert response.status_code == status
    if status == 200:
        assert ("Split in two" in response.get_data(as_text=True)) == (who in MAY_CONSOLIDATE)


def test_tools_only_during_consolidation(world, api):
    response = api(world.rapporteur).post(f"/clauses/{world.op.id}/move", json={"direction": "up"})
    assert response.status_code == 409
    assert "consolidation phase" in response.get_json()["error"]["message"]


# --- brackets and alternatives -------------------------------------------------------------------


def test_bracket_a_span_and_a_whole_clause(consolidating, api, login):
    w = consolidating
    response = api(w.rapporteur).post(f"/clauses/{w.op.id}/bracket",
                                      json={"base_revision_id": w.op.head_revision_id, "start": 11, "end": 17})
    assert response.status_code == 200
    assert response.get_json()["text"] == "Recommends [that c]ities publish open data;"
    bad = api(w.rapporteur).post(f"/clauses/{w.op.id}/bracket",
                                 json={"base_revision_id": response.get_json()["revision_id"], "start": 5, "end": 500})
    assert bad.status_code == 422
    assert api(w.rapporteur).post(f"/clauses/{w.pp.id}/bracket", json={}).get_json()["status"] == "bracketed"
    page = login(w.chair).get(f"/documents/{w.document.id}/outcome.md").get_data(as_text=True)
    assert "[*Recognizing* the role of cities,]" in page


def test_alternatives_are_numbered_and_one_is_chosen(consolidating, api, login):
    w = consolidating
    response = api(w.rapporteur).post(f"/clauses/{w.op.id}/alternatives",
                                      json={"text": "Recommends that cities share data;"})
    assert response.status_code == 201
    alt = response.get_json()
    assert (alt["number"], alt["alt"]) == ("1", 2)
    third = api(w.rapporteur).post(f"/clauses/{w.op.id}/alternatives", json={"text": "Invites cities to share;"})
    assert third.get_json()["alt"] == 3
    page = login(w.chair).get(f"/documents/{w.document.id}/outcome").get_data(as_text=True)
    assert "1 Alt 1." in page and "1 Alt 2." in page and "1 Alt 3." in page
    response = api(w.rapporteur).post(f"/clauses/{alt['id']}/choose")
    assert response.status_code == 200
    chosen = response.get_json()
    assert chosen["number"] == "1" and "alt" not in chosen
    db.session.expire_all()
    assert db.session.get(Clause, w.op.id).status == "withdrawn"
    assert db.session.get(Clause, third.get_json()["id"]).status == "withdrawn"
    assert numbers(w.document) == [("", w.pp.id), ("1", alt["id"])]
    assert api(w.rapporteur).post(f"/clauses/{alt['id']}/choose").status_code == 422


# --- bis / ter and renumbering -------------------------------------------------------------------


def test_late_paragraphs_are_bis_until_the_chair_renumbers(consolidating, api, make_clause):
    w = consolidating
    db.session.add(Version(document_id=w.document.id, label="Rev.1"))
    commit()
    split = api(w.rapporteur).post(f"/clauses/{w.op.id}/split", json={
        "base_revision_id": w.op.head_revision_id, "before": "publish"}).get_json()
    assert split["new_clause"]["number"] == "1 bis"
    assert api(w.rapporteur).post(f"/documents/{w.document.id}/renumber").status_code == 403
    response = api(w.chair).post(f"/documents/{w.document.id}/renumber")
    assert response.status_code == 200
    assert response.get_json()["changes"] == {str(split["new_clause"]["id"]): ["1 bis", "2"]}
    assert [n for n, _ in numbers(w.document)] == ["", "1", "2"]
    renumbered = [e for e in db.session.execute(db.select(Event).filter_by(
        document_id=w.document.id, type="document.renumbered")).scalars()]
    assert len(renumbered) == 1 and renumbered[0].actor_id == w.chair.id
