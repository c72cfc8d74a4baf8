"""Migrations build the schema from an empty database, and the models have no drift from them."""
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from drafting.config import database_url_for_tests

ROOT = Path(__file__).resolve().parents[2]


def flask(url, *args):
    env = {"DRAFTING_DATABASE_URL": url, "DRAFTING_SECRET_KEY": "migrations", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def check_upgrade_and_drift(url):
    upgrade = flask(url, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    check = flask(url, "db", "check")
    assert check.returncode == 0 and "No new upgrade operations detected" in check.stdout + check.stderr, \
        check.stdout + check.stderr
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"users", "meetings", "documents", "clauses", "clause_revisions", "events"} <= tables
    downgrade = flask(url, "db", "downgrade", "base")
    assert downgrade.returncode == 0, downgrade.stderr


def test_sqlite_migrates_from_empty_without_drift(tmp_path):
    check_upgrade_and_drift(f"sqlite:///{tmp_path / 'migrate.sqlite3'}")


@pytest.mark.postgres
@pytest.mark.skipif(not database_url_for_tests(), reason="PostgreSQL not configured: set DRAFTING_TEST_DATABASE_URL")
def test_postgresql_migrates_from_empty_without_drift():
    base = database_url_for_tests()
    name = f"drafting_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        check_upgrade_and_drift(base.rsplit("/", 1)[0] + "/" + name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def test_demo_loads_once_and_lists_its_accounts(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert flask(url, "db", "upgrade").returncode == 0
    first = flask(url, "demo")
    assert first.returncode == 0, first.stderr
    assert "Loaded the demo meeting" in first.stdout and "chair@example.org" in first.stdout
    second = flask(url, "demo")
    assert "there already" in second.stdout
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("select count(*) from meetings")).scalar() == 1
        assert connection.execute(text("select count(*) from clauses")).scalar() >= 20
        roles = dict(connection.execute(text("select role, count(*) from memberships group by role")).all())
    engine.dispose()
    assert roles["chair"] == 1 and roles["observer"] >= 1 and roles["rapporteur"] >= 1 and roles["expert"] == 40
