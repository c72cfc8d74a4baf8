"""Consolidation by selection over the API: each preview shows track changes and stores nothing; each
apply does what its preview showed; wrong ids, roles, phases, offsets and stale or frozen text are refused."""
import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Clause, ClauseRevision, Event
from drafting.services import declarations, documents, procedure
from tests.integration.test_consolidation import amendment, numbers

OP = "Recommends that cities publish open data;"


def stored():
    return (db.session.query(ClauseRevision).count(), db.session.query(Clause).count(),
            db.session.query(Event).count())


def ask(api, user, clause, path="preview", **data):
    data.setdefault("base_revision_id", clause.head_revision_id)
    return api(user).post(f"/clauses/{clause.id}/selection/{path}", json=data)


def test_bracket_preview_shows_track_changes_and_stores_nothing(consolidating, api):
    w = consolidating
    before = stored()
    response = ask(api, w.rapporteur, w.op, action="bracket", quote="open data")
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["span"] == {"start": OP.index("open data"), "end": OP.index("open data") + 9, "words": "open data"}
    [paragraph] = answer["paragraphs"]
    assert [c for c in paragraph["changes"] if c[0] == 1] == [[1, "["], [1, "]"]]
    assert stored() == before

    applied = ask(api, w.rapporteur, w.op, "apply", action="bracket", quote="open data")
    assert applied.status_code == 200, applied.get_json()
    db.session.expire_all()
    assert db.session.get(Clause, w.op.id).head.text == "Recommends that cities publish [open data];"


def test_a_repeated_quote_is_asked_about_then_taken_by_occurrence(consolidating, api, login):
    w = consolidating
    text = "Recommends that cities share data, and that regions share data;"
    login(w.expert)
    from drafting.services import clauses
    from tests.security.matrix_world import in_phase
    with in_phase(w.document, "drafting"):
        clauses.save_edit(w.expert, w.op, w.op.head_revision_id, text)
    commit()
    ambiguous = ask(api, w.rapporteur, w.op, action="bracket", quote="share data")
    assert ambiguous.status_code == 422
    error = ambiguous.get_json()["error"]
    assert error["field"] == "occurrence" and len(error["candidates"]) == 2
    second = ask(api, w.rapporteur, w.op, "apply", action="bracket", quote="share  data", occurrence=1)
    assert second.status_code == 200, second.get_json()
    db.session.expire_all()
    assert db.session.get(Clause, w.op.id).head.text == \
        "Recommends that cities share data, and that regions [share data];"


def test_selected_words_are_found_through_emphasis_markup(consolidating, api):
    w = consolidating
    from drafting.services import clauses
    from tests.security.matrix_world import in_phase
    with in_phase(w.document, "drafting"):
        clauses.save_edit(w.expert, w.op, w.op.head_revision_id, "Recommends that cities publish *open\ndata*;")
    commit()
    answer = ask(api, w.rapporteur, w.op, action="bracket", quote="publish open data").get_json()
    assert answer["span"]["words"] == "publish *open\ndata"


def test_split_here_previews_both_paragraphs_then_splits(consolidating, api):
    w = consolidating
    text = "Recommends that cities publish open data; and encourages regions to do the same;"
    from drafting.services import clauses
    from tests.security.matrix_world import in_phase
    with in_phase(w.document, "drafting"):
        clauses.save_edit(w.expert, w.op, w.op.head_revision_id, text)
    commit()
    preview = ask(api, w.rapporteur, w.op, action="split", quote="and encourages").get_json()
    kept, new = preview["paragraphs"]
    assert new["changes"] == [[1, "and encourages regions to do the same;"]]
    assert [c for c in kept["changes"] if c[0] == -1]
    applied = ask(api, w.rapporteur, w.op, "apply", action="split", quote="and encourages")
    assert applied.status_code == 200, applied.get_json()
    answer = applied.get_json()
    assert answer["new_clause"]["text"] == "and encourages regions to do the same;"
    assert answer["clause"]["text"] == "Recommends that cities publish open data;"
    assert [n for n, _ in numbers(w.document)][-2:] == ["1", "2"]


def test_make_an_alternative_rewords_the_selection_as_alt_2(consolidating, api):
    w = consolidating
    preview = ask(api, w.rapporteur, w.op, action="alternative", quote="open data", text="open and reusable data")
    assert preview.status_code == 200
    alt1, alt2 = preview.get_json()["paragraphs"]
    assert alt2["label"] == "Alt 2, a new paragraph after it"
    assert "".join(t for op, t in alt2["changes"] if op == 1) == "and reusable "
    applied = ask(api, w.rapporteur, w.op, "apply", action="alternative", quote="open data",
                  text="open and reusable data").get_json()
    assert applied["new_clause"]["text"] == "Recommends that cities publish open and reusable data;"
    assert db.session.get(Clause, applied["new_clause"]["id"]).alternative_of_id == w.op.id
    again = ask(api, w.rapporteur, db.session.get(Clause, applied["new_clause"]["id"]), action="alternative",
                quote="reusable", text="machine-readable").get_json()
    assert again["paragraphs"][1]["label"] == "Alt 3, a new paragraph after it"


def test_compromise_from_selected_suggestions_merges_them_for_the_preview(consolidating, api):
    w = consolidating
    a1 = amendment(w.op, w.expert, "Recommends that cities publish open data annually;")
    a2 = amendment(w.op, w.expert2, "Recommends that large cities publish open data;")
    preview = ask(api, w.rapporteur, w.op, action="compromise", amendment_ids=[a1.id, a2.id]).get_json()
    assert preview["text"] == "Recommends that large cities publish open data annually;"
    assert preview["conflicts"] == 0
    inserted = "".join(t for op, t in preview["paragraphs"][0]["changes"] if op == 1)
    assert "large" in inserted and "annually" in inserted
    missing_rationale = ask(api, w.rapporteur, w.op, "apply", action="compromise", amendment_ids=[a1.id],
                            text=preview["text"])
    assert missing_rationale.status_code == 422
    applied = ask(api, w.rapporteur, w.op, "apply", action="compromise", amendment_ids=[a1.id, a2.id],
                  text=preview["text"], rationale="Both.")
    assert applied.status_code == 200, applied.get_json()
    db.session.expire_all()
    assert db.session.get(Clause, w.op.id).head.text == preview["text"]


@pytest.mark.parametrize("data, status, field", [
    ({"action": "bracket", "start": 5, "end": 500}, 422, "end"),
    ({"action": "bracket", "start": 9, "end": 3}, 422, "start"),
    ({"action": "bracket", "start": -1, "end": 3}, 422, "start"),
    ({"action": "bracket", "start": "x", "end": True}, 422, "start"),
    ({"action": "bracket", "quote": "not in the text"}, 422, "quote"),
    ({"action": "bracket", "quote": ["a list"]}, 422, "quote"),
    ({"action": "bracket", "quote": "open", "occurrence": 3}, 422, "occurrence"),
    ({"action": "bracket", "quote": "e", "occurrence": 99}, 422, "occurrence"),
    ({"action": "bracket", "quote": "e", "occurrence": "first"}, 422, "occurrence"),
    ({"action": "bracket"}, 422, "quote"),
    ({"action": "split", "quote": "Recommends"}, 422, "at"),
    ({"action": "explode", "quote": "open"}, 422, "action"),
    ({"action": "alternative", "quote": "open", "text": 5}, 422, "text"),
    ({"action": "compromise", "amendment_ids": "all", "text": "Recommends more;", "rationale": "r"}, 422, "amendment_ids"),
    ({"action": "compromise", "amendment_ids": [999999], "text": "Recommends more;", "rationale": "r"}, 422, "amendment_ids"),
    ({"action": "bracket", "quote": "open", "base_revision_id": "x"}, 422, "base_revision_id"),
    ({"action": "bracket", "quote": "open", "base_revision_id": 999999}, 422, "base_revision_id"),
])
def test_bad_selections_are_refused_with_what_is_wrong(consolidating, api, data, status, field):
    w = consolidating
    before = stored()
    for path in ("preview", "apply"):
        response = ask(api, w.rapporteur, w.op, path, **data)
        assert response.status_code == status, (path, response.get_json())
        assert response.get_json()["error"]["field"] == field
    assert stored() == before


def test_stale_text_is_a_409_with_the_current_text(consolidating, api):
    w = consolidating
    old = w.op.head_revision_id
    ask(api, w.rapporteur, w.op, "apply", action="bracket", quote="cities")
    for path in ("preview", "apply"):
        response = ask(api, w.rapporteur, w.op, path, action="bracket", quote="open data", base_revision_id=old)
        assert response.status_code == 409
        error = response.get_json()["error"]
        assert error["current_text"] == "Recommends that [cities] publish open data;"
        assert error["current_revision_id"] != old


def test_agreed_text_is_frozen_for_preview_and_apply(consolidating, api):
    w = consolidating
    declarations.declare(w.chair, w.op, "agreed")
    commit()
    for path in ("preview", "apply"):
        response = ask(api, w.rapporteur, w.op, path, action="bracket", quote="open data")
        assert response.status_code == 409
        assert response.get_json()["error"]["agreed_revision_id"] == w.op.head_revision_id


def test_wrong_role_wrong_phase_wrong_id(world, consolidating, api):
    w = consolidating
    for user, status in [(w.expert, 403), (w.observer, 403), (w.outsider, 403), (None, 401)]:
        assert ask(api, user, w.op, action="bracket", quote="open data").status_code == status
    assert api(w.rapporteur).post("/clauses/999999/selection/preview",
                                  json={"action": "bracket", "base_revision_id": 1}).status_code == 404
    assert api(w.rapporteur).post("/documents/999999/merge/preview", json={"clause_ids": [1, 2]}).status_code == 404
    procedure.set_phase(w.chair, w.document, "amendments")
    commit()
    response = ask(api, w.rapporteur, w.op, "apply", action="bracket", quote="open data")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "wrong_phase"


def test_non_json_and_non_object_bodies_are_422(consolidating, api):
    w = consolidating
    url = f"/clauses/{w.op.id}/selection/preview"
    assert api(w.rapporteur).post(url, data="x").status_code == 422
    assert api(w.rapporteur).post(url, json=[1, 2]).status_code == 422


def test_merge_preview_then_merge(consolidating, api):
    w = consolidating
    before = stored()
    ids = [w.op.id, w.pp.id]
    preview = api(w.rapporteur).post(f"/documents/{w.document.id}/merge/preview", json={"clause_ids": ids})
    assert preview.status_code == 200, preview.get_json()
    answer = preview.get_json()
    assert answer["clause_ids"] == [w.pp.id, w.op.id]
    assert answer["text"] == "Recognizing the role of cities,\n\nRecommends that cities publish open data;"
    edited = api(w.rapporteur).post(f"/documents/{w.document.id}/merge/preview",
                                    json={"clause_ids": ids, "text": "Recognizing cities, recommends open data;"})
    assert any(op == -1 for op, _ in edited.get_json()["paragraphs"][0]["changes"])
    assert stored() == before
    for bad, field in [({"clause_ids": [w.op.id]}, "clause_ids"), ({"clause_ids": "x"}, "clause_ids"),
                       ({"clause_ids": [w.op.id, w.other_clause.id]}, "clause_ids"),
                       ({"clause_ids": ids, "text": 7}, "Merged text")]:
        response = api(w.rapporteur).post(f"/documents/{w.document.id}/merge/preview", json=bad)
        assert response.status_code == 422, bad
    assert api(w.expert).post(f"/documents/{w.document.id}/merge/preview", json={"clause_ids": ids}).status_code == 403


def test_move_to_an_index_as_drag_and_drop_does(consolidating, api, make_clause):
    w = consolidating
    third = make_clause(w.document, w.chair, "Encourages regions to share data;")
    section = w.op.section_id
    response = api(w.rapporteur).post(f"/clauses/{third.id}/move", json={"section_id": section, "index": 0})
    assert response.status_code == 200, response.get_json()
    order = dict((s, ids) for s, ids in response.get_json()["numbering"]["order"])[section]
    assert order[0] == third.id
    for bad in [{"section_id": section, "index": 99}, {"section_id": section, "index": -1},
                {"section_id": section, "index": "first"}, {"section_id": section, "index": 0}]:
        assert api(w.rapporteur).post(f"/clauses/{third.id}/move", json=bad).status_code == 422, bad
    assert api(w.expert).post(f"/clauses/{third.id}/move", json={"section_id": section, "index": 1}).status_code == 403
    db.session.expire_all()
    assert documents.numbered(db.session.get(Clause, third.id)).clause.position == 1


def test_the_document_page_loads_the_selection_tools_only_for_those_who_consolidate(consolidating, login):
    w = consolidating
    for user, offered in [(w.rapporteur, True), (w.chair, True), (w.expert, False), (w.observer, False)]:
        page = login(user).get(f"/documents/{w.document.id}").get_data(as_text=True)
        assert ('data-may-consolidate="true"' in page) is offered
        assert ("js/consolidation.js" in page) is offered
        # without JavaScript the up/down forms and the Consolidate page remain, as before
        assert (f'action="/clauses/{w.op.id}/move"' in page) is offered
    procedure.set_phase(w.chair, w.document, "amendments")
    commit()
    assert "js/consolidation.js" not in login(w.rapporteur).get(f"/documents/{w.document.id}").get_data(as_text=True)
