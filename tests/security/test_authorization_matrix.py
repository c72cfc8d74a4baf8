"""Every route and Socket.IO event × every kind of caller: who may, and that a refusal changes nothing.

The table lives in tests/security/matrix.py; a route or event missing from it fails here.
"""
import tempfile

import pytest

from drafting import create_app
from drafting.config import for_tests
from drafting.extensions import db, socketio
from drafting.services import accounts
from tests.conftest import signed_in_session
from tests.security.matrix import RANK, ROLES, ROUTES, SOCKET_EVENTS, Route, may

# Text of the world's clauses: a refused caller must never see it.
SECRETS = ("publish open data", "role of cities")


@pytest.fixture
def app(reused_app):
    """One app for the module (see tests/security/conftest.py): the matrix runs thousands of requests."""
    return reused_app


def _registered():
    """(endpoint, method) pairs and socket events of an app built as the server builds it."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(for_tests(folder))
        routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"}}
        events = {event if namespace == "/" else f"{namespace} {event}"
                  for namespace, handlers in socketio.server.handlers.items() for event in handlers}
        events |= {f"{namespace} *" for namespace in socketio.server.namespace_handlers}
    return routes, events


REGISTERED_ROUTES, REGISTERED_EVENTS = _registered()
SCENARIOS = [(key, n, route) for key in sorted(REGISTERED_ROUTES & set(ROUTES))
             for n, route in enumerate(ROUTES[key] if isinstance(ROUTES[key], tuple) else (ROUTES[key],))]


def _scenario_id(scenario):
    (endpoint, method), _, route = scenario
    return f"{method} {endpoint}" + (f" in {route.phase}" if route.phase else "")


def test_every_route_and_socket_event_has_an_entry_in_the_matrix():
    missing = sorted(REGISTERED_ROUTES - set(ROUTES))
    assert not missing, (
        "These routes have no entry in the authorization matrix. Add each to ROUTES in "
        "tests/security/matrix.py as ROUTES[(endpoint, METHOD)] = Route(url, minimum, body=…):\n  "
        + "\n  ".join(f"{endpoint} {method}" for endpoint, method in missing))
    stale = sorted(set(ROUTES) - REGISTERED_ROUTES)
    assert not stale, f"Entries for routes that no longer exist: {stale}; remove them from matrix.py"
    missing_events = sorted(REGISTERED_EVENTS - set(SOCKET_EVENTS))
    assert not missing_events, (
        "These Socket.IO events have no entry in SOCKET_EVENTS in tests/security/matrix.py: "
        f"{missing_events}; add SOCKET_EVENTS[name] = SocketEvent(minimum, data=lambda w: {{…}})")
    assert not set(SOCKET_EVENTS) - REGISTERED_EVENTS, "SOCKET_EVENTS lists events no handler serves"


# When a session or token was last used is bookkeeping of the access itself, noted on any request.
LAST_USE = {"last_used_at", "last_seen_at"}


def fingerprint():
    """Every row of every table: a refused request must leave all of them as they were."""
    db.session.remove()
    return {table.name: sorted(map(repr, db.session.execute(
                table.select().with_only_columns(*(c for c in table.c if c.name not in LAST_USE))).all()))
            for table in db.metadata.sorted_tables}


def _changes(before, after):
    return {name: (len(before[name]), len(after[name])) for name in before if before[name] != after[name]}


def _set_phase(world, phase):
    if phase:
        world.document.phase = phase
        db.session.commit()


def _call(client, method, url, body, headers):
    if body is None:
        return client.open(url, method=method, headers=headers)
    if isinstance(body, bytes):  # a raw upload (an outcome text to import)
        return client.open(url, method=method, data=body, content_type="text/markdown; charset=utf-8",
                           headers=headers)
    if url.startswith("/api/"):
        return client.open(url, method=method, json=body, headers=headers)
    return client.open(url, method=method, data=body, headers=headers)


def _prepare(client, world, user):
    """Sign the client in: a bearer token for /api, the session cookie for pages."""
    headers = {}
    values = signed_in_session(user) if user is not None else {}
    with client.session_transaction() as session:
        session.clear()
        session.update(values)
    if user is not None:
        headers["Authorization"] = f"Bearer {accounts.issue_token(user, 'matrix')}"
        db.session.commit()
    return headers


def assert_allowed(response, url, route, what):
    status = response.status_code
    if url.startswith("/api/"):
        assert 200 <= status < 300, (what, status, response.get_data(as_text=True)[:300])
    else:
        location = response.headers.get("Location", "")
        assert 200 <= status < 300 or (status in (302, 303) and ("/login" not in location or route.signs_out)), \
            (what, status, location, response.get_data(as_text=True)[:300])


def assert_refused(response, url, role, route, what):
    status = response.status_code
    body = response.get_data(as_text=True)
    if url.startswith("/api/"):
        error = response.get_json()["error"]
        assert isinstance(error["code"], str) and isinstance(error["message"], str) and error["message"]
    to_sign_in = status == 401 or (status in (302, 303) and "/login" in response.headers.get("Location", ""))
    if role == "anonymous":
        if url.startswith("/api/"):
            to_sign_in = status == 401
        assert to_sign_in or (route.minimum == "nobody" and 400 <= status < 500), (what, status, body[:300])
    elif route.minimum == "nobody":
        assert 400 <= status < 500, (what, status, body[:300])
    elif route.phase and RANK[role] >= RANK["observer"]:
        # A member refused because of the phase is told so (409 wrong_phase) or lacks the role.
        assert status in (403, 404, 409), (what, status, body[:300])
    else:
        assert status in (403, 404), (what, status, body[:300])
    if RANK[role] < RANK["observer"]:
        assert not any(secret in body for secret in SECRETS), (what, "refusal leaks clause text")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=_scenario_id)
def test_route(app, client, shared_world, scenario, role):
    (endpoint, method), _, route = scenario
    world = shared_world
    world.caller = world.users[role]
    _set_phase(world, route.phase)
    url = route.url(world)
    body = route.body(world) if route.body else None
    headers = _prepare(client, world, world.users[role])
    what = f"{role}: {method} {url}" + (f" in {route.phase}" if route.phase else "")
    before = fingerprint()
    response = _call(client, method, url, body, headers if url.startswith("/api/") else {})
    if may(role, route.minimum):
        assert_allowed(response, url, route, what)
    else:
        assert_refused(response, url, role, route, what)
        assert _changes(before, fingerprint()) == {}, (what, "a refused request changed rows")


CROSSED = [s for s in SCENARIOS if s[2].crossed is not None]


@pytest.mark.parametrize("scenario", CROSSED, ids=_scenario_id)
def test_a_chair_cannot_reach_another_meetings_objects_through_their_own(app, client, shared_world, scenario):
    (_, method), _, route = scenario
    world = shared_world
    world.caller = world.chair
    _set_phase(world, route.phase)
    calls = route.crossed(world)
    headers = _prepare(client, world, world.chair)
    for url, body in calls if isinstance(calls, list) else [calls]:
        before = fingerprint()
        response = _call(client, method, url, body, headers if url.startswith("/api/") else {})
        assert 400 <= response.status_code < 500, (url, body, response.status_code)
        assert _changes(before, fingerprint()) == {}, (url, body, "a crossed request changed rows")


EVENTS = sorted(REGISTERED_EVENTS & set(SOCKET_EVENTS))


def _socket_client(app, world, user):
    auth = None
    if user is not None:
        auth = {"token": accounts.issue_token(user, "matrix")}
        db.session.commit()
    client = socketio.test_client(app, auth=auth)
    assert client.is_connected()
    return client


def _join(client, document_id):
    client.emit("join", {"document_id": document_id, "after_seq": 0}, callback=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("event", EVENTS)
def test_socket_event(app, shared_world, event, role):
    world = shared_world
    entry = SOCKET_EVENTS[event]
    # Read from the world first: every socket event ends its database session, detaching the world.
    data, document_id = entry.data(world) if entry.data else None, world.document.id
    client = _socket_client(app, world, world.users[role])
    try:
        if event == "disconnect":
            client.disconnect()
            assert not client.is_connected()
            return
        if entry.data is None:
            return
        if entry.joined:
            _join(client, document_id)
            client.get_received()
        before = fingerprint()
        ack = client.emit(entry.name or event, data, callback=True)
        received = client.get_received()
        if may(role, entry.minimum):
            assert not (isinstance(ack, dict) and ack.get("ok") is False), (role, event, ack)
        else:
            assert isinstance(ack, dict) and ack.get("ok") is False and ack.get("error"), (role, event, ack)
            assert [m for m in received if m["name"] == "event"] == [], (role, event, "events leaked")
            assert _changes(before, fingerprint()) == {}, (role, event, "a refused event changed rows")
    finally:
        if client.is_connected():
            client.disconnect()


@pytest.mark.parametrize("event", sorted(e for e in EVENTS if SOCKET_EVENTS[e].crossed))
def test_a_chair_cannot_reach_another_meetings_objects_over_the_socket(app, shared_world, event):
    world = shared_world
    entry = SOCKET_EVENTS[event]
    data, document_id = entry.crossed(world), world.document.id
    client = _socket_client(app, world, world.chair)
    try:
        if entry.joined:
            _join(client, document_id)
        client.get_received()
        before = fingerprint()
        ack = client.emit(entry.name or event, data, callback=True)
        assert isinstance(ack, dict) and ack.get("ok") is False and ack.get("error"), (event, ack)
        assert [m for m in client.get_received() if m["name"] == "event"] == [], (event, "events leaked")
        assert _changes(before, fingerprint()) == {}, (event, "a refused event changed rows")
    finally:
        if client.is_connected():
            client.disconnect()


def test_a_bad_token_is_refused_at_connect(app):
    client = socketio.test_client(app, auth={"token": "drt_not-a-real-token"})
    assert not client.is_connected()


def test_the_matrix_covers_every_role_rank():
    assert set(ROLES) == set(RANK) and all(isinstance(r, (Route, tuple)) for r in ROUTES.values())
