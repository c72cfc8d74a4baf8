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
