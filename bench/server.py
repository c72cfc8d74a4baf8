"""A real Drafting Room server in its own process, for the crash test and the load benchmark.

The command that serves is one variable, DRAFTING_SERVER_COMMAND, so the same tests run against
`flask run` today and the production server (gunicorn with gevent, say) tomorrow, e.g.:

    DRAFTING_SERVER_COMMAND="{python} -m gunicorn -k gevent -w 1 -b 127.0.0.1:{port} wsgi:app"
"""
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
SERVER_COMMAND = os.environ.get(
    "DRAFTING_SERVER_COMMAND",
    "{python} -m flask --app wsgi run --host 127.0.0.1 --port {port} --no-reload --no-debugger",
)
# Production on PostgreSQL: gunicorn with gevent, two worker processes sharing events through Redis.
PRODUCTION_COMMAND = ("{python} -m gunicorn -k gevent -w 2 --worker-connections 2000 --no-control-socket "
                      "-b 127.0.0.1:{port} --log-level warning wsgi:app")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url, **extra):
    env = dict(os.environ, DRAFTING_DATABASE_URL=database_url, DRAFTING_SECRET_KEY="bench-secret",
               FLASK_DEBUG="0", PYTHONUNBUFFERED="1")
    env.pop("DRAFTING_MESSAGE_QUEUE", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def migrate(database_url):
    """`flask db upgrade` on the database, as an operator would run it."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                   env=environment(database_url), check=True, capture_output=True, timeout=120)


class Server:
    """One server process on a free port; start() waits until it answers."""

    def __init__(self, database_url, log_path, command=None, **env):
        self.database_url = database_url
        self.log_path = Path(log_path)
        self.command = command or SERVER_COMMAND
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self, timeout=30):
        command = self.command.format(python=shlex.quote(sys.executable), port=self.port)
        log = self.log_path.open("ab")
        # Its own process group, so that kill() reaches a gunicorn master's workers too.
        self.process = subprocess.Popen(shlex.split(command), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                        env=environment(self.database_url, **self.env), start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log_path}")
            try:
                if requests.get(self.url + "/api/v1/openapi.json", timeout=1).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still booting
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout} s; see {self.log_path}")

    def kill(self):
        """SIGKILL to every process of the server: no shutdown, no flushing, as when the machine
        loses power."""
        self._signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def _signal(self, number):
        try:
            os.killpg(self.process.pid, number)
        except ProcessLookupError:
            pass  # it has already gone


def fresh_postgres(url, name):
    """A new, empty PostgreSQL database called `name` on the server `url` names; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(url)
    engine = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def seed(database_url, experts=6, observers=0, clauses=5):
    """A meeting with a chair, experts and observers, one document with clauses; returns their tokens.

    Written straight through the services (as `flask demo` does), which is much faster than
    signing up hundreds of accounts over HTTP.
    """
    from drafting import create_app
    from drafting.boundary import commit
    from drafting.extensions import db
    from drafting.models import Membership, User
    from drafting.services import accounts, documents, meetings
    from werkzeug.security import generate_password_hash

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret",
                      "RATELIMIT_ENABLED": False})
    password_hash = generate_password_hash("bench password")
    with app.app_context():
        def person(n, role, admin=False):
            user = User(email=f"{role}{n}@bench.example.org", name=f"{role.title()} {n}",
                        password_hash=password_hash, is_admin=admin, organisation="Bench")
            db.session.add(user)
            db.session.flush()
            return user

        admin = person(0, "admin", admin=True)
        meeting = meetings.create_meeting(admin, "Load test meeting", starts_on="2016-07-21")
        chair = person(0, "chair")
        db.session.add(Membership(meeting_id=meeting.id, user_id=chair.id, role="chair"))
        people = {"experts": [], "observers": []}
        for n in range(experts):
            user = person(n, "expert")
            db.session.add(Membership(meeting_id=meeting.id, user_id=user.id, role="expert"))
            people["experts"].append(user)
        for n in range(observers):
            user = person(n, "observer")
            db.session.add(Membership(meeting_id=meeting.id, user_id=user.id, role="observer"))
            people["observers"].append(user)
        db.session.flush()
        document = documents.create_document(chair, meeting, "Load test outcome")
        operative = document.sections[-1]
        clause_ids = [documents.add_clause(chair, document, operative.id, "OP", "recommendation",
                                           f"Recommends measure {n};").id for n in range(clauses)]
        commit()
        tokens = {
            "chair": accounts.issue_token(chair, "bench"),
            "experts": [accounts.issue_token(u, "bench") for u in people["experts"]],
            "observers": [accounts.issue_token(u, "bench") for u in people["observers"]],
        }
        commit()
        result = {"document_id": document.id, "clause_ids": clause_ids, "tokens": tokens}
        db.session.remove()
        db.engine.dispose()
    return result
