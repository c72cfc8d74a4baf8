"""Drafting checks in the app: asked as one types, on the clause page, counted on the dashboard."""
from drafting.services import editorial


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
