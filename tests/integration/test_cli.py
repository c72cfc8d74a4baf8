from drafting.services import accounts


def test_users_create_and_token(runner, app):
    result = runner.invoke(args=["users", "create", "Someone@Example.org", "--name", "Someone",
                                 "--password", "longenough", "--admin"])
    assert result.exit_code == 0 and "Created someone@example.org (site admin)" in result.output
    user = accounts.authenticate("someone@example.org", "longenough")
    assert user is not None and user.is_admin
    result = runner.invoke(args=["users", "token", "someone@example.org"])
    assert result.exit_code == 0
    assert accounts.user_for_token(result.output.strip()).id == user.id


def test_users_create_reports_bad_input(runner, app):
    result = runner.invoke(args=["users", "create", "not-an-email", "--name", "X", "--password", "longenough"])
    assert result.exit_code != 0 and "Email must look like" in result.output
    result = runner.invoke(args=["users", "create", "a@example.org", "--name", "X", "--password", "short"])
    assert result.exit_code != 0 and "at least 10" in result.output
    result = runner.invoke(args=["users", "token", "nobody@example.org"])
    assert result.exit_code != 0 and "No account" in result.output


def test_demo_reset_starts_the_demo_afresh_and_leaves_other_meetings(runner, app, world):
    from drafting import demo as demo_data
    from drafting.extensions import db
    from drafting.models import Clause, Document, Meeting

    assert runner.invoke(args=["demo"]).exit_code == 0
    document = db.session.execute(db.select(Document).join(Meeting).filter(Meeting.title == demo_data.TITLE)).scalar_one()
    clause = db.session.execute(db.select(Clause).filter_by(document_id=document.id)).scalars().first()
    chair = accounts.authenticate("chair@example.org", demo_data.PASSWORD)
    accounts.change_password(chair, demo_data.PASSWORD, "changed-by-a-visitor")
    clause.status = "withdrawn"
    db.session.commit()
    before = db.session.execute(db.select(db.func.count(Meeting.id))).scalar()

    result = runner.invoke(args=["demo", "--reset"])
    assert result.exit_code == 0 and "loaded afresh" in result.output
    db.session.expire_all()
    assert db.session.execute(db.select(db.func.count(Meeting.id))).scalar() == before
    fresh = db.session.execute(db.select(Document).join(Meeting).filter(Meeting.title == demo_data.TITLE)).scalar_one()
    assert "withdrawn" not in {c.status for c in db.session.execute(
        db.select(Clause).filter_by(document_id=fresh.id)).scalars()}
    assert accounts.authenticate("chair@example.org", demo_data.PASSWORD) is not None
    assert db.session.get(Meeting, world.meeting.id) is not None  # another meeting stays
