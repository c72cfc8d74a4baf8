"""Drafting checks in the app: asked as one types, on the clause page, counted on the dashboard."""
from drafting.boundary import commit
from drafting.services import clauses, editorial, procedure
from tests.security.matrix_world import in_phase


def test_the_checks_answer_with_advice_where_the_clause_stands(world, api):
    answer = api(world.expert).post(f"/clauses/{world.op.id}/checks", json={"text": "Cities publish data (open;"})
    assert answer.status_code == 200
    findings = answer.get_json()["findings"]
    assert [f["code"] for f in findings] == ["op_opening", "brackets", "op_ending"]
    # the only operative paragraph is the last one: it ends with a full stop
    assert findings[-1]["message"] == "The last operative paragraph ends with a full stop."
    assert api(world.expert).post(f"/clauses/{world.op.id}/checks", json={"text": "Recommends open data."}).get_json() == {
        "findings": []}
    assert world.op.head.text == "Recommends that cities publish open data;"  # nothing saved


def test_bad_input_to_the_checks_is_refused_clearly(world, api):
    assert api(world.expert).post(f"/clauses/{world.op.id}/checks", json=["text"]).status_code == 422
    assert api(world.expert).post(f"/clauses/{world.op.id}/checks", json={"text": 5}).status_code == 422
    assert api(world.expert).post("/clauses/999999/checks", json={"text": "x"}).status_code == 404


def test_the_terminology_list_is_the_chairs_and_the_checks_use_it(world, login, client, api):
    login(world.expert)
    assert client.post(f"/meetings/{world.meeting.id}/terminology", data={"terminology": "x = y"}).status_code == 403
    login(world.chair)
    answer = client.post(f"/meetings/{world.meeting.id}/terminology",
                         data={"terminology": "open data = open-data, public data"}, follow_redirects=True)
    assert "The terminology list has 1 preferred term" in answer.get_data(as_text=True)
    findings = api(world.expert).post(f"/clauses/{world.op.id}/checks", json={
        "text": "Recommends that cities publish public data."}).get_json()["findings"]
    assert [f["message"] for f in findings] == ["The meeting writes “open data”, not “public data”."]


def test_the_clause_page_and_the_dashboard_show_the_advice(world, login, client):
    login(world.expert)
    page = client.get(f"/clauses/{world.op.id}").get_data(as_text=True)
    assert "Drafting checks" in page and "The last operative paragraph ends with a full stop." in page
    dashboard = client.get(f"/documents/{world.document.id}/dashboard").get_data(as_text=True)
    assert 'id="advice-h">Drafting checks <span class="count">1</span>' in dashboard
    advice = editorial.document_advice(world.document)
    assert [(item.row.clause.id, [f.code for f in item.findings]) for item in advice] == [(world.op.id, ["op_ending"])]


def test_the_chairs_checklist_lists_the_drafting_warnings_without_blocking(world, login):

    procedure.set_phase(world.chair, world.document, "amendments")
    procedure.set_phase(world.chair, world.document, "consolidation")
    commit()
    for url in (f"/documents/{world.document.id}", f"/documents/{world.document.id}/procedure"):
        page = login(world.chair).get(url).get_data(as_text=True)
        warnings = page.split('id="checklist-advice-h"')[1].split("</ul>")[0]
        assert f'href="/documents/{world.document.id}#clause-{world.op.id}"' in warnings
        assert "The last operative paragraph ends with a full stop." in warnings
        assert "They do not prevent adoption." in warnings
    # an expert sees neither the checklist nor its warnings; mending the text empties the list
    assert 'id="checklist-advice-h"' not in login(world.expert).get(f"/documents/{world.document.id}").get_data(as_text=True)
    with in_phase(world.document, "drafting"):
        clauses.save_edit(world.expert, world.op, world.op.head_revision_id, "Recommends that cities publish open data.")
    commit()
    page = login(world.chair).get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert 'id="checklist"' in page and 'id="checklist-advice-h"' not in page
