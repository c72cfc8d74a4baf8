"""Live updates against a real server process with the real python-socketio client."""
import json

import pytest
import requests
import websocket

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import ApiToken
from drafting.services import clauses
from tests.servers import writing

pytestmark = pytest.mark.slow


def revised(reader):
    return [e for e in reader.events if e["type"] == "clause.revised"]


def test_a_reader_receives_every_edit_in_order(world, server, connect, token_for, author):
    reader = connect(server, token_for(world.observer if world.meeting.observers_follow_drafts else world.expert2))
    assert reader.join(world.document.id, world.document.last_seq)["ok"] is True
    writer = author(server, world.expert)
    base = writer.head(world.op.id)["revision_id"]
    for n in range(20):
        base = writer.revise(world.op.id, f"Recommends that cities publish open data, edit {n};", base)["id"]

    assert reader.wait_for(lambda r: len(revised(r)) == 20)
    events = revised(reader)
    assert [e["payload"]["text"] for e in events] == [f"Recommends that cities publish open data, edit {n};"
                                                      for n in range(20)]
    seqs = [e["seq"] for e in reader.events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert events[0]["actor"] == {"id": world.expert.id, "name": "Expert One"}
    assert events[0]["document_id"] == world.document.id


def test_the_production_server_delivers_too(world, start_server, connect, token_for, author):
    server = start_server("gevent")
    reader = connect(server, token_for(world.expert2))
    assert reader.join(world.document.id, world.document.last_seq)["ok"] is True
    author(server, world.expert).revise(world.pp.id, "Recognizing the leading role of cities,")
    assert reader.wait_for(lambda r: len(revised(r)) == 1)
    assert revised(reader)[0]["payload"]["text"] == "Recognizing the leading role of cities,"


def test_who_may_not_read_joins_nothing_and_hears_nothing(world, server, connect, token_for, author):
    strangers = {who: connect(server, token_for(world.users[who]) if world.users[who] else None)
                 for who in ("outsider", "other_chair", "anonymous")}
    for who, reader in strangers.items():
        ack = reader.join(world.document.id)
        assert ack["ok"] is False and ack["error"], who
        assert reader.events == [], who  # nothing replayed
    author(server, world.expert).revise(world.op.id, "Recommends that cities publish data openly;")
    witness = connect(server, token_for(world.expert2))
    witness.join(world.document.id)  # replays everything: the edit is committed and broadcast by now
    assert witness.wait_for(lambda r: len(revised(r)) == 1)
    assert all(reader.events == [] for reader in strangers.values())


def test_observers_follow_drafts_only_when_the_meeting_lets_them(world, server, connect, token_for):
    reader = connect(server, token_for(world.observer))
    ack = reader.join(world.document.id)
    assert ack["ok"] is world.meeting.observers_follow_drafts


MALFORMED_JOINS = [
    "document 1", 7, None, [], {}, {"document_id": "1"}, {"document_id": -3}, {"document_id": 10 ** 30},
    {"document_id": True}, {"document_id": 1, "after_seq": -1}, {"document_id": 1, "after_seq": "5"},
    {"document_id": 1, "after_seq": True}, {"document_id": 99999}, {"document_id": 1, "after_seq": 1.5},
]


def test_malformed_joins_are_refused_with_a_reason(world, server, connect, token_for):
    reader = connect(server, token_for(world.expert))
    for payload in MALFORMED_JOINS:
        ack = reader.call("join", payload)
        assert ack["ok"] is False and isinstance(ack["error"], str) and ack["error"], payload
    assert reader.events == []
    # the server is unaffected: the same connection can still join properly
    assert reader.join(world.document.id)["ok"] is True
    assert reader.events


def test_unknown_events_and_bad_presence_are_refused(world, server, connect, token_for):
    reader = connect(server, token_for(world.expert))
    assert reader.call("delete_everything", {"document_id": world.document.id})["code"] == "unknown_event"
    assert reader.call("presence", {"document_id": world.document.id})["code"] == "not_joined"
    reader.join(world.document.id)
    assert reader.call("presence", {"document_id": world.document.id, "editing": "op"})["ok"] is False
    assert reader.call("presence", {"document_id": world.document.id, "editing": world.other_clause.id})["ok"] is False
    assert reader.call("leave", "nonsense")["ok"] is False
    assert reader.call("presence", {"document_id": world.document.id, "editing": world.op.id})["ok"] is True


def test_a_forged_token_is_refused_at_connect_with_a_reason(world, server):
    for auth, reason in [({"token": "drt_forged"}, "The token is not valid."),
                         ({"token": 42}, 'auth must be {token: "drt_…"}.'),
                         ("drt_x", 'auth must be {token: "drt_…"}.')]:
        ws = websocket.create_connection(server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
                                         timeout=5)
        assert ws.recv().startswith("0{")
        ws.send("40" + json.dumps(auth))  # socket.io CONNECT with the auth payload
        assert json.loads(ws.recv().removeprefix("44")) == {"message": reason}  # CONNECT_ERROR
        ws.close(timeout=0.1)


def test_a_revoked_token_stops_working_on_the_open_connection(world, server, connect, token_for):
    reader = connect(server, token_for(world.expert))
    assert reader.join(world.document.id)["ok"] is True
    with writing():
        db.session.execute(db.delete(ApiToken).where(ApiToken.user_id == world.expert.id))
        db.session.commit()
    ack = reader.join(world.document.id)
    assert ack["ok"] is False and "token" in ack["error"]


def test_only_pages_from_the_apps_own_origin_may_connect(world, server):
    for origin, accepted in [("https://evil.example", False), ("null", False), (server.url, True),
                             ("http://localhost:1", False)]:
        _try_origin(server, origin, accepted)


def _try_origin(server, origin, accepted):
    ws_url = server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    if accepted:
        ws = websocket.create_connection(ws_url, origin=origin, timeout=5)
        assert ws.recv().startswith("0{")  # the engine.io open packet
        ws.close()
    else:
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(ws_url, origin=origin, timeout=5)
        assert refused.value.status_code == 400
    polling = requests.get(server.url + "/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})
    assert (polling.status_code == 200) is accepted


def test_the_session_cookie_authenticates_a_browser(world, server, connect):
    from tests.conftest import PASSWORD

    http = requests.Session()
    form = http.get(server.url + "/login").text
    csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
    signed_in = http.post(server.url + "/login", data={"email": world.expert2.email, "password": PASSWORD,
                                                        "csrf_token": csrf}, allow_redirects=False)
    assert signed_in.status_code == 302
    cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    reader = connect(server, headers={"Cookie": cookie})
    assert reader.join(world.document.id)["ok"] is True


def test_catching_up_after_100_missed_events_ends_at_the_servers_state(world, server, connect, token_for, author):
    reader = connect(server, token_for(world.expert2))
    ack = reader.join(world.document.id, world.document.last_seq)
    state = {}

    def apply(events):
        for e in events:
            if e["type"] in ("clause.revised", "clause.created"):
                state[e["payload"]["clause_id"]] = e["payload"]["text"]

    seen = ack["seq"]
    reader.close()  # the laptop lid closes
    writer = author(server, world.expert)
    bases = {c.id: writer.head(c.id)["revision_id"] for c in (world.pp, world.op)}
    for n in range(100):
        clause = world.pp if n % 2 else world.op
        bases[clause.id] = writer.revise(clause.id, f"Text {n} of clause {clause.id}", bases[clause.id])["id"]

    back = connect(server, token_for(world.expert2))
    ack = back.join(world.document.id, seen)
    assert ack["ok"] is True and not ack.get("reload")
    missed = back.events
    assert [e["seq"] for e in missed] == list(range(seen + 1, seen + 101))
    assert ack["seq"] == seen + 100
    apply(missed)
    server_state = requests.get(f"{server.url}/api/v1/documents/{world.document.id}",
                                headers={"Authorization": f"Bearer {token_for(world.expert)}"}).json()
    texts = {c["id"]: c["text"] for s in server_state["sections"] for c in s["clauses"]}
    assert state == {world.pp.id: texts[world.pp.id], world.op.id: texts[world.op.id]}


def test_more_than_500_missed_events_ask_the_page_to_reload(world, server, connect, token_for):
    seen = world.document.last_seq
    clause = world.op
    with writing():
        for n in range(501):
            clauses.save_edit(world.expert, clause, clause.head_revision_id, f"Edit number {n};")
            db.session.flush()
        commit()
    reader = connect(server, token_for(world.expert2))
    ack = reader.join(world.document.id, seen)
    assert ack == {"ok": True, "seq": seen + 501, "reload": True}
    assert reader.events == []


def test_presence_shows_who_is_here_and_who_edits_which_clause(world, server, connect, token_for):
    chair = connect(server, token_for(world.chair))
    chair.join(world.document.id)
    expert = connect(server, token_for(world.expert))
    expert.join(world.document.id)
    observer = connect(server, token_for(world.observer))
    observer.join(world.document.id)
    assert expert.call("presence", {"document_id": world.document.id, "editing": world.op.id})["ok"]

    def expert_edits_op(reader):
        last = reader.presence[-1] if reader.presence else None
        return last and any(p["id"] == world.expert.id and p["editing"] == world.op.id for p in last["people"])

    assert chair.wait_for(expert_edits_op)
    last = chair.presence[-1]
    names = {p["name"]: p for p in last["people"]}
    assert set(names) == {"The Chair", "Expert One"}
    assert names["Expert One"]["initials"] == "EO"
    assert last["readers"] == (1 if world.meeting.observers_follow_drafts else 0)

    expert.close()  # closing the page ends the presence
    assert chair.wait_for(lambda r: {p["name"] for p in r.presence[-1]["people"]} == {"The Chair"})


def test_presence_carries_where_the_cursor_is_in_the_clause_being_edited(world, server, connect, token_for):
    chair = connect(server, token_for(world.chair))
    chair.join(world.document.id)
    expert = connect(server, token_for(world.expert))
    expert.join(world.document.id)
    assert expert.call("presence", {"document_id": world.document.id, "editing": world.op.id, "selection": [5, 12]})["ok"]

    def cursor(reader):
        last = reader.presence[-1] if reader.presence else None
        return last and any(p["id"] == world.expert.id and p.get("selection") == [5, 12] for p in last["people"])

    assert chair.wait_for(cursor)
    # a selection that is not two offsets in order is dropped, the presence itself stands
    assert expert.call("presence", {"document_id": world.document.id, "editing": world.op.id,
                                    "selection": [12, "x"]})["ok"]
    assert chair.wait_for(lambda r: any(p["id"] == world.expert.id and p.get("selection") is None
                                        and p["editing"] == world.op.id for p in r.presence[-1]["people"]))
