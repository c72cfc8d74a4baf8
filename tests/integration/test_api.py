"""The JSON API: shapes, the role matrix for every endpoint, and bad input."""
import pytest

from drafting.extensions import db
from drafting.models import Clause, Event, Meeting, Membership, Section

ROLES = ["anonymous", "outsider", "other_chair", "observer", "expert", "rapporteur", "chair", "admin"]


def _membership_id(world, user):
    return db.session.execute(db.select(Membership.id).filter_by(meeting_id=world.meeting.id,
                                                                 user_id=user.id)).scalar_one()


# name -> (method, path(world), body(world), the lowest role that may do it)
ENDPOINTS = {
    "list meetings": ("get", lambda w: "/meetings", None, "outsider"),
    "create meeting": ("post", lambda w: "/meetings", lambda w: {"title": "New"}, "admin"),
    "read meeting": ("get", lambda w: f"/meetings/{w.meeting.id}", None, "observer"),
    "add member": ("post", lambda w: f"/meetings/{w.meeting.id}/members",
                   lambda w: {"email": "fresh@example.org", "role": "expert"}, "chair"),
    "change role": ("put", lambda w: f"/meetings/{w.meeting.id}/members/{_membership_id(w, w.expert2)}",
                    lambda w: {"role": "rapporteur"}, "chair"),
    "remove member": ("delete", lambda w: f"/meetings/{w.meeting.id}/members/{_membership_id(w, w.expert2)}",
                      None, "chair"),
    "create document": ("post", lambda w: f"/meetings/{w.meeting.id}/documents", lambda w: {"title": "D"}, "chair"),
    "read document": ("get", lambda w: f"/documents/{w.document.id}", None, "observer"),
    "add section": ("post", lambda w: f"/documents/{w.document.id}/sections", lambda w: {"title": "Annex"}, "chair"),
    "add clause": ("post", lambda w: f"/documents/{w.document.id}/clauses",
                   lambda w: {"section_id": w.document.sections[-1].id, "kind": "OP",
                              "category": "recommendation", "text": "Urges action;"}, "expert"),
    "read clause": ("get", lambda w: f"/clauses/{w.op.id}", None, "observer"),
    "tag clause": ("put", lambda w: f"/clauses/{w.op.id}/tags", lambda w: {"tags": ["11.1"]}, "expert"),
    "list revisions": ("get", lambda w: f"/clauses/{w.op.id}/revisions", None, "observer"),
    "save revision": ("post", lambda w: f"/clauses/{w.op.id}/revisions",
                      lambda w: {"base_revision_id": w.op.head_revision_id, "text": "Recommends more;"}, "expert"),
    "set phase": ("post", lambda w: f"/documents/{w.document.id}/phase", lambda w: {"phase": "amendments"}, "chair"),
    "set rules": ("put", lambda w: f"/documents/{w.document.id}/rules",
                  lambda w: {"quorum": 0.5, "threshold": 0.8, "block_prevents_consensus": True,
                             "hide_tallies": False}, "chair"),
    "list events": ("get", lambda w: f"/documents/{w.document.id}/events", None, "observer"),
}

RANK = {"anonymous": 0, "outsider": 1, "other_chair": 1, "observer": 2, "expert": 3, "rapporteur": 4,
        "chair": 5, "admin": 6}


def expected_status(role, minimum, method):
    if role == "anonymous":
        return 401
    if minimum == "admin":
        return None if role == "admin" else 403
    if RANK[role] >= RANK[minimum] or (role == "admin"):
        return None
    if minimum == "outsider":
        return None
    return 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_role_matrix(api, world, name, role):
    method, path, body, minimum = ENDPOINTS[name]
    client = api(world.users[role])
    kwargs = {"json": body(world)} if body else {}
    response = getattr(client, method)(path(world), **kwargs)
    wanted = expected_status(role, minimum, method)
    if wanted is None:
        assert response.status_code in (200, 201, 204), (name, role, response.get_json())
    else:
        assert response.status_code == wanted, (name, role, response.get_json())
        assert set(response.get_json()["error"]) >= {"code", "message"}


def test_every_api_route_is_in_the_matrix_or_documented(app):
    """A new route must be added to the role matrix (here or in its feature's tests) and the OpenAPI spec."""
    from drafting.web.openapi import spec

    documented = {(m.upper(), "/api/v1" + p) for p, ops in spec()["paths"].items() for m in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in ("api.openapi", "api.unknown"):
            continue
        path = rule.rule
        for converter in ("<int:", "<"):
            while converter in path:
                start = path.index(converter)
                end = path.index(">", start)
                name = path[start + len(converter):end]
                path = path[:start] + "{" + name + "}" + path[end + 1:]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, path) in documented, f"{method} {path} is not in /api/v1/openapi.json"


def test_document_json_has_sections_clauses_numbers_and_revision_ids(api, world):
    body = api(world.expert).get(f"/documents/{world.document.id}").get_json()
    preamble, operative = body["sections"]
    assert preamble["clauses"][0]["text"] == "Recognizing the role of cities,"
    assert preamble["clauses"][0]["number"] == ""
    clause = operative["clauses"][0]
    assert clause["number"] == "1" and clause["kind"] == "OP" and clause["status"] == "proposed"
    assert clause["revision_id"] == world.op.head_revision_id and clause["tags"] == ["11.3", "economy"]


def test_an_unknown_email_gets_an_invitation_url(api, world):
    response = api(world.chair).post(f"/meetings/{world.meeting.id}/members",
                                     json={"email": "someone.new@example.org", "role": "observer"})
    assert response.status_code == 201
    url = response.get_json()["invitation"]["url"]
    assert "/invitations/" in url


def test_a_revision_then_a_stale_edit_answers_409_with_what_is_needed(api, world):
    base = world.op.head_revision_id
    first = api(world.expert).post(f"/clauses/{world.op.id}/revisions",
                                   json={"base_revision_id": base, "text": "Recommends that cities publish data;"})
    assert first.status_code == 201
    assert first.get_json()["author"]["name"] == "Expert One"
    second = api(world.expert2).post(f"/clauses/{world.op.id}/revisions",
                                     json={"base_revision_id": base, "text": "Urges that cities publish open data;"})
    if second.status_code == 409:
        error = second.get_json()["error"]
        assert error["code"] == "conflict"
        assert error["theirs"]["revision_id"] == first.get_json()["id"]
        assert error["mine"]["text"] == "Urges that cities publish open data;"
    else:
        assert second.status_code == 201
    revisions = api(world.expert).get(f"/clauses/{world.op.id}/revisions").get_json()["revisions"]
    assert [r["number"] for r in revisions][:2] == [1, 2]


def test_identical_text_answers_200_without_a_new_revision(api, world):
    response = api(world.expert).post(f"/clauses/{world.op.id}/revisions",
                                      json={"base_revision_id": world.op.head_revision_id, "text": world.op.head.text})
    assert response.status_code == 200 and response.get_json()["number"] == 1


@pytest.mark.parametrize("body,status,field", [
    ({"base_revision_id": 999999, "text": "x"}, 422, "base_revision_id"),
    ({"base_revision_id": "abc", "text": "x"}, 422, "base_revision_id"),
    ({"base_revision_id": None, "text": "x"}, 422, "base_revision_id"),
    ({"text": "x"}, 422, "base_revision_id"),
    ({"base_revision_id": 1, "text": 5}, 422, None),
    ({"base_revision_id": 1, "text": "x" * 20001}, 413, None),
])
def test_bad_revision_input(api, world, body, status, field):
    if body.get("base_revision_id") == 1:
        body["base_revision_id"] = world.op.head_revision_id
    response = api(world.expert).post(f"/clauses/{world.op.id}/revisions", json=body)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["message"]
    if field:
        assert error.get("field") == field


def test_a_base_revision_of_another_clause_is_refused(api, world):
    response = api(world.expert).post(f"/clauses/{world.op.id}/revisions",
                                      json={"base_revision_id": world.pp.head_revision_id, "text": "x"})
    assert response.status_code == 422 and "not a revision of this clause" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("payload", ["not json", "[1, 2]", "null", "\"text\""])
def test_a_body_that_is_not_a_json_object_is_refused(api, world, payload):
    response = api(world.expert).post(f"/documents/{world.document.id}/sections", data=payload,
                                      headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert "JSON object" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("body,message", [
    ({"section_id": 0, "kind": "OP", "category": "kpi", "text": "x"}, "section_id"),
    ({"section_id": True, "kind": "OP", "category": "kpi", "text": "x"}, "section_id"),
    ({"section_id": "S", "kind": "OP", "category": "kpi", "text": "x"}, "section_id"),
    ({"kind": "OP", "category": "kpi", "text": "x"}, "section_id"),
    ({"section_id": "SECTION", "kind": "op", "category": "kpi", "text": "x"}, "Kind"),
    ({"section_id": "SECTION", "kind": "OP", "category": "KPI", "text": "x"}, "Category"),
    ({"section_id": "SECTION", "kind": "OP", "category": "kpi", "text": ["x"]}, "text"),
    ({"section_id": "SECTION", "kind": "OP", "category": "kpi", "text": "x", "tags": "11.1"}, None),
    ({"section_id": "SECTION", "kind": "OP", "category": "kpi", "text": "x", "tags": [1]}, "Tags"),
    ({"section_id": "SECTION", "kind": "OP", "category": "kpi", "text": "bad \u0000 byte"}, "control characters"),
])
def test_bad_clause_input_saves_nothing(api, world, body, message):
    if body.get("section_id") == "SECTION":
        body["section_id"] = world.document.sections[-1].id
    before = db.session.execute(db.select(db.func.count(Clause.id))).scalar()
    response = api(world.expert).post(f"/documents/{world.document.id}/clauses", json=body)
    if message is None:  # a comma- or space-separated string of tags is accepted
        assert response.status_code == 201 and response.get_json()["tags"] == ["11.1"]
        return
    assert response.status_code == 422, response.get_json()
    assert message.lower() in response.get_json()["error"]["message"].lower()
    assert db.session.execute(db.select(db.func.count(Clause.id))).scalar() == before


def test_unknown_ids_are_404_in_json(api, world):
    client = api(world.admin)
    for path in ("/meetings/424242", "/documents/424242", "/clauses/424242", "/clauses/424242/revisions",
                 "/documents/424242/events", "/no/such/endpoint"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"


def test_a_forged_token_is_not_signed_in(client, world):
    response = client.get("/api/v1/meetings", headers={"Authorization": "Bearer drt_forged"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "not_signed_in"


def test_events_are_listed_in_order_after_a_seq(api, world):
    client = api(world.expert)
    everything = client.get(f"/documents/{world.document.id}/events").get_json()
    seqs = [e["seq"] for e in everything["events"]]
    assert seqs == list(range(1, everything["last_seq"] + 1))
    later = client.get(f"/documents/{world.document.id}/events?after=3").get_json()["events"]
    assert [e["seq"] for e in later] == seqs[3:]
    assert later[-1]["type"] == "clause.created"
    assert client.get(f"/documents/{world.document.id}/events?after=-1").status_code == 422
    assert client.get(f"/documents/{world.document.id}/events?limit=0").status_code == 422


def test_sections_and_rules_validate(api, world):
    chair = api(world.chair)
    assert chair.post(f"/documents/{world.document.id}/sections", json={"title": ""}).status_code == 422
    response = chair.put(f"/documents/{world.document.id}/rules",
                         json={"quorum": 2, "threshold": 0.5, "block_prevents_consensus": True, "hide_tallies": False})
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "quorum"
    response = chair.put(f"/documents/{world.document.id}/rules",
                         json={"quorum": 0.5, "threshold": 0.5, "block_prevents_consensus": "yes", "hide_tallies": False})
    assert response.status_code == 422
    assert chair.post(f"/documents/{world.document.id}/phase", json={"phase": "done"}).status_code == 422
    assert db.session.execute(db.select(db.func.count(Section.id))
                              .filter_by(document_id=world.document.id)).scalar() == 2


def test_meeting_creation_validates(api, world):
    admin = api(world.admin)
    before = db.session.execute(db.select(db.func.count(Meeting.id))).scalar()
    assert admin.post("/meetings", json={"title": "x" * 301}).status_code == 422
    assert admin.post("/meetings", json={"title": "Ok", "starts_on": "tomorrow"}).status_code == 422
    assert db.session.execute(db.select(db.func.count(Meeting.id))).scalar() == before


def test_a_session_write_needs_the_csrf_token(app, client, login, world):
    app.config["WTF_CSRF_ENABLED"] = True
    login(world.chair)
    response = client.post(f"/api/v1/documents/{world.document.id}/sections", json={"title": "Annex"})
    assert response.status_code == 400 and "expired" in response.get_json()["error"]["message"]
    assert db.session.execute(db.select(db.func.count(Event.id))).scalar() > 0


def test_openapi_describes_the_contract(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in ("/meetings", "/meetings/{meeting_id}/members", "/documents/{document_id}",
                 "/clauses/{clause_id}/revisions", "/documents/{document_id}/events"):
        assert path in spec["paths"]
