"""The activity page names each paragraph as it was numbered then, links to it now, and filters."""
from drafting.boundary import commit
from drafting.services import consolidation


def test_events_name_the_paragraph_then_and_now_and_filter(world, login, client, api, make_clause):
    second = make_clause(world.document, world.expert2, "Urges cities to share what works;")
    api(world.expert).put(f"/clauses/{second.id}/vote", json={"position": "agree"})
    api(world.expert2).post(f"/clauses/{world.pp.id}/comments", json={"body": "Which cities?"})
    world.document.phase = "consolidation"
    commit()
    consolidation.move(world.rapporteur, second, direction="up")  # paragraph 2 becomes paragraph 1
    commit()
    login(world.expert)
    url = f"/documents/{world.document.id}/activity"
    page = client.get(url).get_data(as_text=True)
    link = f'<a href="/clauses/{second.id}">'
    assert f'voted “agree” on {link}paragraph 2</a> <span class="muted">(now paragraph 1)</span>' in page
    assert f'commented on <a href="/clauses/{world.pp.id}">preambular paragraph 1</a>' in page
    assert f"moved {link}paragraph 2</a>" in page

    votes = client.get(url, query_string={"kind": "votes"}).get_data(as_text=True)
    assert "voted" in votes and "commented" not in votes and "created the document" not in votes
    theirs = client.get(url, query_string={"person": world.expert2.id}).get_data(as_text=True)
    assert "commented on" in theirs and "voted" not in theirs
    one = client.get(url, query_string={"paragraph": world.pp.id}).get_data(as_text=True)
    assert "commented on" in one and "voted" not in one and "Urges cities" not in one
    assert '<option value="%d" selected>Paragraph 1</option>' % second.id in client.get(
        url, query_string={"paragraph": second.id}).get_data(as_text=True)


def test_unknown_filters_are_refused_clearly(world, login, client):
    login(world.expert)
    url = f"/documents/{world.document.id}/activity"
    assert client.get(url, query_string={"kind": "gossip"}).status_code == 422
    assert client.get(url, query_string={"paragraph": world.other_clause.id}).status_code == 422
    assert client.get(url, query_string={"paragraph": "x"}).status_code == 422


def test_notifications_name_the_paragraph_and_link_to_it(world, api):
    from drafting.models import Notification
    from drafting.extensions import db

    api(world.expert2).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"})
    api(world.expert).post(f"/clauses/{world.op.id}/revisions", json={
        "base_revision_id": world.op.head_revision_id, "text": "Recommends that all cities publish open data;"})
    told = db.session.execute(db.select(Notification).filter_by(user_id=world.expert2.id)).scalars().all()
    assert [n.message.split(":")[0] for n in told] == ["Paragraph 1"]
    assert told[0].url == f"/clauses/{world.op.id}#vote"
