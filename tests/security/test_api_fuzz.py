"""The JSON API, fuzzed from its own OpenAPI description: thousands of requests, no 5xx, errors in shape.

Every operation in /api/v1/openapi.json gets generated requests: path ids that exist, do not exist
or overflow; bodies valid, nearly valid (a required field missing, wrong types, control characters,
lone surrogates, too long) or junk; callers from anonymous to site admin. Operations added later are
fuzzed as soon as they are described.
"""
import math
from collections import Counter

from hypothesis import HealthCheck, given, settings

from drafting.extensions import db
from drafting.services import accounts
from tests.security.openapi_cases import known_ids, request

TOTAL_CASES = 2000


def _ids_by_table():
    """The ids of every table with an id column, as the world left them."""
    return {table.name: {row[0] for row in db.session.execute(db.select(table.c.id))}
            for table in db.metadata.sorted_tables if "id" in table.c}


def check(response, method, url, documented):
    status = response.status_code
    what = f"{method.upper()} {url} -> {status}: {response.get_data(as_text=True)[:300]}"
    assert status < 500, what
    if status >= 400:
        assert response.mimetype == "application/json", what
        error = response.get_json()["error"]
        assert isinstance(error["code"], str) and error["code"], what
        assert isinstance(error["message"], str) and error["message"], what
        assert isinstance(error.get("field", ""), str), what
    else:
        assert str(status) in documented, what
        if status != 204:
            assert response.mimetype == "application/json" and isinstance(response.get_json(), dict), what


def test_the_api_survives_generated_requests(client, world):
    spec = client.get("/api/v1/openapi.json").get_json()
    operations = [(path, method, operation) for path, item in sorted(spec["paths"].items())
                  for method, operation in sorted(item.items())]
    tokens = {}
    for role, user in world.users.items():
        tokens[role] = None if user is None else accounts.issue_token(user, "fuzz")
    db.session.commit()
    callers = ["chair", "chair", "admin", "expert", "rapporteur", "observer", "anonymous", "other_chair"]
    known = known_ids(_ids_by_table())
    per_operation = math.ceil(TOTAL_CASES * 1.25 / len(operations))
    statuses = Counter()

    for path, method, operation in operations:
        documented = set(operation["responses"])

        @settings(max_examples=per_operation, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=request(path, method, operation, known, callers))
        def fuzz(case):
            caller, method_, url, raw, content_type = case
            headers = {"Authorization": f"Bearer {tokens[caller]}"} if tokens[caller] else {}
            if content_type:
                headers["Content-Type"] = content_type
            response = client.open(url, method=method_.upper(), data=raw, headers=headers)
            statuses[response.status_code] += 1
            check(response, method_, url, documented)

        fuzz()
    print(f"\n{statuses.total()} generated API requests; statuses {dict(sorted(statuses.items()))}")
    assert statuses.total() >= TOTAL_CASES
