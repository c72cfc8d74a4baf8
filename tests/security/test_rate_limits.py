"""Writes are limited per person with a clear 429 and Retry-After; reads and other people go on."""
import uuid

import pytest

from drafting import create_app
from drafting.config import WRITE_LIMIT, for_tests, message_queue_for_tests
from drafting.extensions import db
from drafting.services import accounts


@pytest.fixture
def limited(app):
    """Switch the write limit on for this test's app (it is read on every request)."""
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_WRITES="5 per minute",
                      RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    return app


def _edit(client, clause, text):
    head = client.get(f"/clauses/{clause.id}").get_json()["revision_id"]
    return client.post(f"/clauses/{clause.id}/revisions", json={"base_revision_id": head, "text": text})


def test_writes_over_the_limit_get_429_with_retry_after_and_a_json_message(limited, api, world):
    expert = api(world.expert)
    statuses = [_edit(expert, world.op, f"Recommends step {n};").status_code for n in range(6)]
    assert statuses == [201] * 5 + [429]
    refused = _edit(expert, world.op, "Recommends one more step;")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert f"wait {seconds} second" in refused.get_json()["error"]["message"]
    # Nothing of the refused write was saved, reading goes on, and another person may still write.
    assert expert.get(f"/clauses/{world.op.id}").get_json()["text"] == "Recommends step 4;"
    assert _edit(api(world.expert2), world.op, "Recommends another step;").status_code == 201


def test_the_limit_counts_every_kind_of_write_across_routes(limited, api, login, client, world):
    chair = api(world.chair)
    assert chair.put(f"/documents/{world.document.id}/rules", json={
        "quorum": 0.5, "threshold": 0.8, "block_prevents_consensus": True, "hide_tallies": False}).status_code == 200
    assert chair.post(f"/documents/{world.document.id}/sections", json={"title": "Annex"}).status_code == 201
    assert chair.post(f"/documents/{world.document.id}/sections", json={"title": ""}).status_code == 422
    assert chair.post(f"/documents/{world.document.id}/phase", json={"phase": "amendments"}).status_code == 200
    assert chair.post(f"/documents/{world.document.id}/phase", json={"phase": "drafting"}).status_code == 200
    assert chair.post(f"/documents/{world.document.id}/sections", json={"title": "Late"}).status_code == 429


def test_pages_show_the_limit_as_a_page_with_retry_after(limited, login, client, world):
    login(world.expert)
    for n in range(5):
        assert client.post(f"/clauses/{world.op.id}/tags", data={"tags": ["11.1"]}).status_code == 302
    page = client.post(f"/clauses/{world.op.id}/tags", data={"tags": ["11.2"]})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) >= 1
    assert "Too many requests: please wait" in page.get_data(as_text=True)
    assert page.mimetype == "text/html"


def test_the_default_limit_lets_a_scripted_client_burst(app, api, world):
    app.config.update(RATELIMIT_WRITES=WRITE_LIMIT)
    assert WRITE_LIMIT == "40 per second; 1200 per minute"
    expert = api(world.expert)
    assert all(_edit(expert, world.op, f"Recommends step {n};").status_code == 201 for n in range(30))


def _redis_url():
    url = message_queue_for_tests() or "redis://127.0.0.1:6379/7"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        pytest.skip(f"no Redis at {url}")
    return url


def test_with_redis_configured_the_counts_live_in_redis(tmp_path):
    import redis

    url = _redis_url()
    prefix = f"test-{uuid.uuid4().hex}"
    app = create_app(for_tests(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=url,
                               RATELIMIT_WRITES="3 per minute", RATELIMIT_KEY_PREFIX=prefix,
                               SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'redis.sqlite3'}"))
    with app.app_context():
        db.create_all()
        user = accounts.create_user("writer@example.org", "Writer", "correct horse battery")
        token = accounts.issue_token(user, "test")
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [client.post("/api/v1/meetings", json={"title": "Not allowed"}, headers=headers).status_code
                for _ in range(4)]
    assert statuses == [403, 403, 403, 429]
    store = redis.Redis.from_url(url)
    keys = store.keys(f"*{prefix}*")
    try:
        assert keys and all(b"token:" in k for k in keys)
    finally:
        if keys:
            store.delete(*keys)
        with app.app_context():
            db.engine.dispose()
