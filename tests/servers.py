"""Real server processes on free ports, sharing a fresh database with the test that starts them.

Used by tests/realtime and tests/browser: their conftest modules import the fixtures below.
"""
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests
from flask import current_app

from drafting import create_app
from drafting.config import database_url_for_tests, for_tests, message_queue_for_tests
from drafting.extensions import db
from drafting.services import accounts

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(database_url, message_queue=None, channel=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTING_")}
    env.update({
        "DRAFTING_DATABASE_URL": database_url,
        "DRAFTING_SECRET_KEY": "realtime-test-secret",
        "DRAFTING_RATELIMIT_WRITES": "1000 per second",
        "DRAFTING_RATELIMIT_LOGIN": "1000 per minute",
        "PYTHONPATH": str(ROOT),
    })
    if message_queue:
        env["DRAFTING_MESSAGE_QUEUE"] = message_queue
        env["DRAFTING_MESSAGE_CHANNEL"] = channel or "drafting-room-test"
    return env


class Server:
    """One server process: `kind` is "threading" (`make run`) or "gevent" (the production command)."""

    def __init__(self, database_url, kind="threading", message_queue=None, channel=None, log_path=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if kind == "gevent":
            command = [GUNICORN, "-k", "gevent", "-w", "1", "--worker-connections", "2000", "--no-control-socket",
                       "-b", f"127.0.0.1:{self.port}", "wsgi:app"]
        else:
            command = [PYTHON, "-m", "tests.serve", str(self.port)]
        self.log = open(log_path or os.devnull, "wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=server_environment(database_url, message_queue, channel),
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the {kind} server exited with {self.process.returncode}")
            try:
                requests.get(self.url + "/login", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the {kind} server did not start on port {self.port}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@contextmanager
def own_postgresql_database():
    """A database of our own on the test PostgreSQL server, dropped afterwards.

    The database named in DRAFTING_TEST_DATABASE_URL is shared with the integration suite, which
    truncates it per test; servers running beside it need one nobody else touches.
    """
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(database_url_for_tests())
    name = f"drafting_rt_{secrets.token_hex(4)}"
    admin = base.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def app(request, tmp_path):
    """The test's own database, shared by this process (set-up, checks) and the servers.

    SQLite in a temporary folder; tests marked `postgres` get a PostgreSQL database of their own.
    """
    with ExitStack() as stack:
        url = f"sqlite:///{tmp_path / 'realtime.sqlite3'}"
        if request.node.get_closest_marker("postgres"):
            if not (database_url_for_tests() and message_queue_for_tests()):
                pytest.skip("scale-out test: set DRAFTING_TEST_DATABASE_URL (PostgreSQL) and "
                            "DRAFTING_TEST_MESSAGE_QUEUE (redis://…) to run it")
            url = stack.enter_context(own_postgresql_database())
        yield from _app_on(url, tmp_path)


def _app_on(url, tmp_path):
    app = create_app(for_tests(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        db.create_all()
    # This process only sets up and checks: its reads (as a page's, deferred) must never hold the
    # write lock the server needs.
    ctx = app.test_request_context()
    ctx.push()
    yield app
    db.session.remove()
    ctx.pop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def start_server(app, tmp_path):
    servers = []

    def start(kind="threading", message_queue=None, channel=None):
        server = Server(app.config["SQLALCHEMY_DATABASE_URI"], kind, message_queue, channel,
                        log_path=tmp_path / f"server-{len(servers)}.log")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(start_server):
    return start_server()


@contextmanager
def writing():
    """A write from this process while the server runs: a fresh transaction that takes the lock first."""
    db.session.rollback()
    with current_app.test_request_context(method="POST"):
        yield
        db.session.commit()  # a read after the block's own commit (an expired attribute) began IMMEDIATE too


@pytest.fixture
def token_for(app):
    def issue(user):
        with writing():
            token = accounts.issue_token(user, "realtime test")
            db.session.commit()
        return token

    return issue


class Author:
    """Saves clause text through the HTTP API of a running server, as a script would."""

    def __init__(self, server, token):
        self.url = server.url + "/api/v1"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def head(self, clause_id):
        return self.http.get(f"{self.url}/clauses/{clause_id}", timeout=10).json()

    def revise(self, clause_id, text, base_revision_id=None):
        base = base_revision_id or self.head(clause_id)["revision_id"]
        response = self.http.post(f"{self.url}/clauses/{clause_id}/revisions",
                                  json={"base_revision_id": base, "text": text}, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture
def author(token_for):
    def make(server, user):
        return Author(server, token_for(user))

    return make
