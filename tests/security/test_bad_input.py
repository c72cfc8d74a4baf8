"""Bad input of every kind gets a 4xx with a message a person can act on, never a 500."""
import pytest

from drafting.models import ClauseRevision
from drafting.extensions import db

HUGE = "99999999999999999999999"


def _error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str) and len(error["message"]) > 10
    return error


def _revisions():
    return db.session.execute(db.select(db.func.count(ClauseRevision.id))).scalar()


def test_a_request_over_the_size_limit_gets_413_with_a_message(app, api, login, client, world):
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = api(world.expert).post(f"/clauses/{world.op.id}/revisions", data=too_big,
                                      headers={"Content-Type": "application/json"})
    assert _error(response, 413)["code"] == "too_large"
    login(world.expert)
    page = client.post(f"/clauses/{world.op.id}/edit", data={"base_revision_id": "1", "text": too_big})
    assert page.status_code == 413 and "too large" in page.get_data(as_text=True)


@pytest.mark.parametrize("raw,message", [
    ("{not json", "not valid JSON"),
    ("[" * 50000 + "]" * 50000, "not valid JSON"),  # nesting deeper than the parser's recursion
    ('{"text": NaN, "base_revision_id": 1}', "not valid JSON"),
    (b'{"text": "\xff\xfe", "base_revision_id": 1}', "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
])
def test_invalid_json_is_refused_with_a_message(api, world, raw, message):
    before = _revisions()
    response = api(world.expert).post(f"/clauses/{world.op.id}/revisions", data=raw,
                                      headers={"Content-Type": "application/json"})
    assert message in _error(response, 422)["message"]
    assert _revisions() == before


def test_a_body_without_the_json_content_type_is_refused_with_a_message(api, world):
    response = api(world.expert).post(f"/clauses/{world.op.id}/revisions", data="text=x",
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "Content-Type: application/json" in _error(response, 422)["message"]


@pytest.mark.parametrize("body,field", [
    ({"text": 5}, "Clause text"),
    ({"text": ["Recommends;"]}, "Clause text"),
    ({"text": {"a": 1}}, "Clause text"),
    ({"text": "Recommends;", "rationale": 3.5}, "Rationale"),
    ({"text": "Recommends;", "base_revision_id": "first"}, "base_revision_id"),
    ({"text": "Recommends;", "base_revision_id": True}, "base_revision_id"),
    ({"text": "Recommends;", "base_revision_id": 10**30}, "base_revision_id"),
    ({"text": "Recommends;", "base_revision_id": 2**31}, "base_revision_id"),  # past PostgreSQL's INTEGER
    ({"text": "Recommends;", "base_revision_id": 1.5}, "base_revision_id"),
    ({"text": "Recommends;", "base_revision_id": None}, "base_revision_id"),
])
def test_wrong_types_are_refused_naming_the_field(api, world, body, field):
    body = {"base_revision_id": world.op.head_revision_id, **body}
    before = _revisions()
    error = _error(api(world.expert).post(f"/clauses/{world.op.id}/revisions", json=body), 422)
    assert error["field"] == field
    assert _revisions() == before


@pytest.mark.parametrize("text", ["Recommends\x00 data;", "Recommends\x1b[31m data;", "Recommends \x08 data;",
                                  "Recommends \ud800 data;", "\udfff"])
def test_control_characters_and_lone_surrogates_are_refused(api, world, text):
    import json

    raw = json.dumps({"base_revision_id": world.op.head_revision_id, "text": text})  # escapes them as \uXXXX
    response = api(world.expert).post(f"/clauses/{world.op.id}/revisions", data=raw,
                                      headers={"Content-Type": "application/json"})
    assert "control characters" in _error(response, 422)["message"]


@pytest.mark.parametrize("body", [
    {"email": "someone\ud800@example.org", "role": "expert"},
    {"email": ["x@example.org"], "role": "expert"},
    {"email": "x@example.org", "role": {"name": "chair"}},
    {"email": "x@example.org", "role": "\x00chair"},
])
def test_the_chairs_forms_refuse_bad_values_too(api, world, body):
    import json

    response = api(world.chair).post(f"/meetings/{world.meeting.id}/members", data=json.dumps(body),
                                     headers={"Content-Type": "application/json"})
    _error(response, 422)


def test_ids_beyond_the_databases_range_are_404_not_500(api, login, client, world):
    for path in [f"/clauses/{HUGE}", f"/documents/{HUGE}", f"/meetings/{HUGE}/members/{HUGE}",
                 f"/clauses/{2**31}", f"/meetings/{world.meeting.id}/members/{2**31}"]:
        _error(api(world.chair).get(path), 404)
    assert _error(api(world.chair).get(f"/documents/{world.document.id}/events?after={HUGE}"), 422)
    login(world.chair)
    for path in [f"/clauses/{HUGE}", f"/documents/{HUGE}", f"/documents/{world.document.id}/activity?after={HUGE}"]:
        assert client.get(path).status_code == 404, path
    assert client.post(f"/meetings/{world.meeting.id}/members/{HUGE}", data={"action": "remove"}).status_code == 404


@pytest.mark.parametrize("form,message", [
    ({"action": "rules", "quorum": "nan", "threshold": "inf"}, "quorum must be a number from 0 to 1"),
    ({"action": "rules", "quorum": "1e400", "threshold": "50"}, "quorum must be a number from 0 to 1"),
    ({"action": "phase", "phase": "\x00"}, "Phase"),
])
def test_forms_refuse_bad_values_with_the_page_and_a_message(login, client, world, form, message):
    login(world.chair)
    response = client.post(f"/documents/{world.document.id}/procedure", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
