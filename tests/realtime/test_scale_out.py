"""Several server processes share events through Redis, against PostgreSQL."""
import secrets

import pytest

from drafting import config

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_events_caused_through_one_process_reach_clients_of_another(world, start_server, connect, token_for, author):
    channel = f"drafting-rt-{secrets.token_hex(4)}"  # pub/sub channels are shared by every Redis db
    a = start_server("gevent", message_queue=config.message_queue_for_tests(), channel=channel)
    b = start_server("threading", message_queue=config.message_queue_for_tests(), channel=channel)
    reader = connect(a, token_for(world.expert2))
    assert reader.join(world.document.id, world.document.last_seq)["ok"] is True
    chair = connect(b, token_for(world.chair))
    assert chair.join(world.document.id, world.document.last_seq)["ok"] is True

    writer = author(b, world.expert)
    base = writer.head(world.op.id)["revision_id"]
    texts = [f"Recommends that cities publish open data, take {n};" for n in range(30)]
    for text in texts:
        base = writer.revise(world.op.id, text, base)["id"]

    assert reader.wait_for(lambda r: len([e for e in r.events if e["type"] == "clause.revised"]) == 30)
    received = [e for e in reader.events if e["type"] == "clause.revised"]
    assert [e["payload"]["text"] for e in received] == texts
    seqs = [e["seq"] for e in received]
    assert seqs == list(range(seqs[0], seqs[0] + 30))

    # presence is shared too: the reader on A sees the chair who is on B
    assert reader.wait_for(lambda r: r.presence and "The Chair" in {p["name"] for p in r.presence[-1]["people"]})


def test_a_member_removed_through_one_process_loses_the_socket_another_serves(world, start_server, connect,
                                                                               token_for, author):
    import requests

    from drafting.extensions import db
    from drafting.models import Membership

    channel = f"drafting-rt-{secrets.token_hex(4)}"
    a = start_server("threading", message_queue=config.message_queue_for_tests(), channel=channel)
    b = start_server("threading", message_queue=config.message_queue_for_tests(), channel=channel)
    document_id, op_id = world.document.id, world.op.id
    membership_id = db.session.execute(db.select(Membership.id).filter_by(
        meeting_id=world.meeting.id, user_id=world.expert2.id)).scalar_one()
    reader = connect(a, token_for(world.expert2))
    assert reader.join(document_id, world.document.last_seq)["ok"] is True
    writer = author(b, world.chair)
    base = writer.revise(op_id, "Recommends that cities publish open data, seen by all;")["id"]
    assert reader.wait_for(lambda r: len(r.events) == 1)

    response = requests.delete(f"{b.url}/api/v1/meetings/{world.meeting.id}/members/{membership_id}",
                               headers=writer.http.headers, timeout=10)
    assert response.status_code == 204
    assert reader.wait_for(lambda r: not r.client.connected)
    writer.revise(op_id, "Recommends that cities publish open data, after the removal;", base)
    assert [e["payload"]["text"] for e in reader.events if e["type"] == "clause.revised"] == [
        "Recommends that cities publish open data, seen by all;"]
