"""`flask backup` and `flask restore`: a restored database holds exactly what was backed up."""
import sqlite3

import pytest

from drafting import create_app
from drafting.config import for_tests
from drafting.extensions import db


def _contents(path):
    """Every row of every table, in a stable order."""
    connection = sqlite3.connect(path)
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(map(repr, connection.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        connection.close()


@pytest.fixture
def sqlite_world(world):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("backup and restore copy SQLite databases; PostgreSQL uses pg_dump")
    db.session.execute(db.text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
    db.session.execute(db.text("INSERT INTO alembic_version VALUES ('0001')"))
    db.session.commit()
    return world


def test_a_restored_database_equals_the_backup(sqlite_world, app, runner, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    original = _contents(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    assert len(original["clause_revisions"]) >= 3 and len(original["events"]) >= 5

    fresh_path = tmp_path / "fresh.sqlite3"
    fresh = create_app(for_tests(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{fresh_path}"))
    with fresh.app_context():  # the test's own app context would otherwise be the one restored into
        result = fresh.test_cli_runner().invoke(args=["restore", str(backup)])
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert "Restored the database" in result.output
    restored = _contents(fresh_path)
    assert {t: len(rows) for t, rows in restored.items()} == {t: len(rows) for t, rows in original.items()}
    assert restored == original


def test_restore_refuses_to_overwrite_data_without_force(sqlite_world, app, runner, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    again = runner.invoke(args=["backup", str(backup)])
    assert again.exit_code != 0 and "exists; pass --force" in again.output

    sqlite_world.op.status = "agreed"
    db.session.commit()
    refused = runner.invoke(args=["restore", str(backup)])
    assert refused.exit_code != 0 and "already holds data" in refused.output
    db.session.remove()
    assert _contents(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))["clauses"] != \
        _contents(backup)["clauses"]

    forced = runner.invoke(args=["restore", "--force", str(backup)])
    assert forced.exit_code == 0, forced.output
    assert _contents(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")) == _contents(backup)


def test_restore_refuses_a_file_that_is_not_a_drafting_room_database(app, runner, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    stranger = tmp_path / "stranger.sqlite3"
    sqlite3.connect(stranger).execute("CREATE TABLE t (x)").connection.commit()
    result = runner.invoke(args=["restore", str(stranger)])
    assert result.exit_code != 0 and "not a Drafting Room database" in result.output


def test_postgresql_points_to_pg_dump(tmp_path):
    app = create_app(for_tests(tmp_path, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    runner = app.test_cli_runner()
    with app.app_context():
        result = runner.invoke(args=["backup", str(tmp_path / "x.dump")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        result = runner.invoke(args=["restore", __file__])
        assert result.exit_code != 0 and "pg_restore" in result.output
