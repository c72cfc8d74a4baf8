"""Schemathesis finds no server error and no answer that breaks the OpenAPI document's response schemas."""
import pytest

from drafting.extensions import db
from drafting.services import accounts
from tests.security.schemathesis_api import run

EXAMPLES = 4  # per operation, mode and caller: about 1,400 cases in all


def _known(world):
    amendment = db.session.execute(db.text("SELECT min(id) FROM amendments")).scalar()
    membership = db.session.execute(db.text(
        f"SELECT min(id) FROM memberships WHERE meeting_id = {world.meeting.id} AND role != 'chair'")).scalar()
    return {"meeting_id": world.meeting.id, "document_id": world.document.id, "clause_id": world.op.id,
            "membership_id": membership, "amendment_id": amendment or 1, "comment_id": 1}


@pytest.mark.parametrize("caller", ["chair", "expert", "anonymous"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(app, world, caller):
    user = world.users[caller]
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {accounts.issue_token(user, 'schemathesis')}"
        db.session.commit()
    cases, failures, examples = run(app, headers, EXAMPLES, _known(world))
    print(f"schemathesis as {caller}: {cases} cases, failures by kind: {dict(failures) or 'none'}")
    assert cases >= 50 * EXAMPLES // 2
    assert not failures, "\n".join(examples)
