"""Fixtures: an app as built and an empty database per test, factories for people, meetings, documents, clauses."""
import copy
import itertools
import os
from pathlib import Path

import pytest
from flask import g
from flask.testing import FlaskClient
from flask_socketio.test_client import SocketIOTestClient
from sqlalchemy import bindparam, text
from werkzeug.security import generate_password_hash

from drafting import create_app, realtime
from drafting.boundary import commit
from drafting.config import for_tests, database_url_for_tests
from drafting.extensions import db, limiter, socketio
from drafting.models import Membership, User

PASSWORD = "correct horse battery"
# One hash for every test account: hashing per user would dominate the suite's time.
PASSWORD_HASH = generate_password_hash(PASSWORD)

BACKENDS = ["sqlite"] + (["postgresql"] if database_url_for_tests() else [])
_counter = itertools.count(1)
_pg_schema_ready = False


def _schema(connection):
    """What the database's schema is, to compare with the schema as built: tests may add tables."""
    if connection.dialect.name == "sqlite":
        return connection.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").all()
    return connection.exec_driver_sql(
        "SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
        " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " ORDER BY 1, 3").all()


def _empty_tables(connection):
    """Delete every row, children first, and start ids at 1 again (as in a fresh database).

    DELETE rather than TRUNCATE: on PostgreSQL it is several times faster for tables this small.
    The foreign keys that close a cycle (use_alter) are set to NULL first, so every DELETE only
    removes rows nothing else points to.
    """
    tables = db.metadata.sorted_tables
    for table in tables:
        for key in table.foreign_keys:
            if key.use_alter:
                column = key.parent.name
                connection.exec_driver_sql(f"UPDATE {table.name} SET {column} = NULL WHERE {column} IS NOT NULL")
    for table in reversed(tables):
        connection.exec_driver_sql(f"DELETE FROM {table.name}")
    if connection.dialect.name == "sqlite":
        if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first():
            connection.exec_driver_sql("DELETE FROM sqlite_sequence")
    else:
        connection.exec_driver_sql(
            "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'S' AND n.nspname = current_schema()")


_ANY_ROWS = "SELECT " + " OR ".join(f"EXISTS (SELECT 1 FROM {table.name})" for table in db.metadata.sorted_tables)


def _rows(connection):
    """Every row of every table, parents first."""
    return [(table, [dict(row) for row in connection.execute(table.select()).mappings()])
            for table in db.metadata.sorted_tables]


def _insert_rows(connection, rows):
    """Insert what _rows read; the keys that close a cycle (use_alter) are set once every row is in."""
    later = []
    for table, table_rows in rows:
        cyclic = [key.parent for key in table.foreign_keys if key.use_alter]
        if table_rows:
            connection.execute(table.insert(), [dict(row, **{c.name: None for c in cyclic}) for row in table_rows])
        later += [(table, column, [row for row in table_rows if row[column.name] is not None]) for column in cyclic]
    for table, column, table_rows in later:
        if table_rows:
            keys = list(table.primary_key.columns)
            statement = (table.update().where(*(key == bindparam(f"_{key.name}") for key in keys))
                         .values({column.name: bindparam(f"_{column.name}")}))
            connection.execute(statement, [{f"_{c.name}": row[c.name] for c in keys + [column]} for row in table_rows])


def _sequences(connection):
    """PostgreSQL's sequences as they stand (SQLite gives the next id from the rows themselves)."""
    if connection.dialect.name == "sqlite":
        return []
    return connection.exec_driver_sql(
        "SELECT sequencename, last_value FROM pg_sequences"
        " WHERE schemaname = current_schema() AND last_value IS NOT NULL").all()


def _set_sequences(connection, sequences):
    for name, value in sequences:
        connection.execute(text("SELECT setval(CAST(:name AS regclass), :value)"), {"name": name, "value": value})


def _layout(world):
    """The world as (model, id) pairs, so it can be loaded again from the copied rows."""
    def ref(value):
        if isinstance(value, db.Model):
            return ("row", type(value), value.id)
        if isinstance(value, dict):
            return ("dict", {k: ref(v) for k, v in value.items()})
        if isinstance(value, (list, tuple)):
            return ("list", [ref(v) for v in value])
        return ("value", value)

    return {name: ref(value) for name, value in vars(world).items()}


def _load(layout):
    def load(ref):
        kind = ref[0]
        if kind == "row":
            return db.session.get(ref[1], ref[2])
        if kind == "dict":
            return {k: load(v) for k, v in ref[1].items()}
        if kind == "list":
            return [load(v) for v in ref[1]]
        return ref[1]

    world = World()
    for name, ref in layout.items():
        setattr(world, name, load(ref))
    return world


def _rebuild_postgres():
    """Drop whatever the test database holds (other runs' tables, alembic_version) and create the schema."""
    global _pg_schema_ready
    _pg_schema_ready = True
    db.drop_all()
    for (name,) in db.session.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")):
        db.session.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    db.session.commit()
    db.create_all()


def _reset_postgres(app):
    """Empty the test PostgreSQL for a test, rebuilding its schema first when this run has not yet."""
    with app.app_context():
        if not _pg_schema_ready:
            _rebuild_postgres()
        with db.engine.begin() as connection:
            _empty_tables(connection)


class SharedApp:
    """One app per backend for the whole run: building one (URL rules, templates) costs more than most tests.

    Before each test it is put back as it was built: the database empty (its schema rebuilt if a test
    changed it), ids from 1, the configuration, the rate-limit counts, the export cache, the sockets'
    presence, and the extensions bound to it (Flask-Limiter and Flask-SocketIO are bound to the app
    built last, and some tests build apps of their own).
    """

    def __init__(self, backend, folder):
        overrides = {}
        if backend == "sqlite":
            self.path = folder / "test.sqlite3"
            overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{self.path}"
        self.app = create_app(for_tests(folder, **overrides))
        with self.app.app_context():
            if backend == "postgresql":
                _rebuild_postgres()
            else:
                db.create_all()
            with db.engine.connect() as connection:
                self.schema = _schema(connection)
        self.config = copy.deepcopy(dict(self.app.config))
        self.bindings = {extension: dict(vars(extension)) for extension in (limiter, socketio)}
        self._world = None
        SharedApp._by_app[self.app] = self

    _by_app = {}

    @classmethod
    def of(cls, app):
        return cls._by_app.get(app)

    def world(self, build):
        """The conftest `world`: built by the first test that asks, its rows copied in for the next ones
        (building it costs more than most tests). Built afresh when the database is not empty."""
        if db.session.execute(text(_ANY_ROWS)).scalar():
            return build()
        if self._world is None:
            world = build()
            layout, connection = _layout(world), db.session.connection()
            self._world = layout, _rows(connection), _sequences(connection)
            db.session.commit()
            return world
        layout, rows, sequences = self._world
        connection = db.session.connection()
        _insert_rows(connection, rows)
        _set_sequences(connection, sequences)
        db.session.commit()
        return _load(layout)

    def fresh(self):
        """The app as built, for the next test (a generator: its context is pushed while the test runs)."""
        app = self.app
        app.config.clear()
        app.config.update(copy.deepcopy(self.config))
        for extension, attributes in self.bindings.items():
            vars(extension).clear()
            vars(extension).update(attributes)
        limiter.reset()
        app.extensions["outcome_exports"].clear()
        realtime.forget_connections(app)
        with app.app_context():
            self._empty_database()
        ctx = app.app_context()
        ctx.push()
        yield app
        db.session.remove()
        ctx.pop()
        for socket_client in list(SocketIOTestClient.clients.values()):
            if socket_client.app is app and socket_client.is_connected():
                socket_client.disconnect()

    def _empty_database(self):
        with db.engine.begin() as connection:
            same_schema = _schema(connection) == self.schema
            if same_schema:
                _empty_tables(connection)
        if not same_schema:
            if db.engine.dialect.name == "sqlite":
                db.engine.dispose()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                db.create_all()
            else:
                _rebuild_postgres()
                db.session.remove()

    def close(self):
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def shared_apps(tmp_path_factory):
    """SharedApp by backend, each built when a test first asks for it."""
    apps = {}
    yield apps
    for shared in apps.values():
        shared.close()


@pytest.fixture(params=BACKENDS)
def app(request, shared_apps, tmp_path_factory):
    if request.param not in shared_apps:
        shared_apps[request.param] = SharedApp(request.param, tmp_path_factory.mktemp(f"app-{request.param}"))
    yield from shared_apps[request.param].fresh()


def app_on(backend, tmp_path, **overrides):
    """An app of its own on a fresh database of `backend`, its context pushed while the test runs (a generator)."""
    if backend == "sqlite":
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    app = create_app(for_tests(tmp_path, **overrides))
    if backend == "postgresql":
        _reset_postgres(app)
    else:
        with app.app_context():
            db.create_all()
    ctx = app.app_context()
    ctx.push()
    yield app
    db.session.remove()
    ctx.pop()
    with app.app_context():
        db.engine.dispose()


class Client(FlaskClient):
    """A test client whose requests do not see the user cached by an earlier one.

    The fixture keeps one app context for the whole test, so flask.g outlives a request;
    a real server gives every request a fresh one.
    """

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user(name=…, admin=False, group=…) -> User, committed."""

    def make(name=None, admin=False, group="academia", organisation="Test University", email=None):
        n = next(_counter)
        user = User(email=email or f"user{n}@example.org", name=name or f"Person {n}",
                    password_hash=PASSWORD_HASH, is_admin=admin, organisation=organisation,
                    stakeholder_group=group)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_meeting(app, make_user):
    """make_meeting(title=…) -> (meeting, chair)."""
    from drafting.services import meetings

    def make(title="Expert group meeting", chair=None):
        admin = make_user(admin=True)
        meeting = meetings.create_meeting(admin, title, venue="Geneva", starts_on="2016-07-21")
        chair = chair or make_user(name="The Chair")
        db.session.add(Membership(meeting_id=meeting.id, user_id=chair.id, role="chair"))
        commit()
        return meeting, chair

    return make


@pytest.fixture
def join(app):
    def add(meeting, user, role):
        membership = Membership(meeting_id=meeting.id, user_id=user.id, role=role)
        db.session.add(membership)
        db.session.commit()
        return membership

    return add


@pytest.fixture
def make_document(app):
    from drafting.services import documents

    def make(meeting, chair, title="Outcome document"):
        document = documents.create_document(chair, meeting, title, symbol="TEST/2016/1")
        commit()
        return document

    return make


@pytest.fixture
def make_clause(app):
    from drafting.services import documents

    def make(document, author, text="Recommends that cities publish open data;", kind="OP",
             category="recommendation", tags=None, section=None):
        section = section or (document.sections[0] if kind == "PP" else document.sections[-1])
        clause = documents.add_clause(author, document, section.id, kind, category, text, tags or [])
        commit()
        return clause

    return make


class World:
    """A meeting with one member in every role, an outsider, an admin, a document and clauses."""


@pytest.fixture
def world(app, make_user, make_meeting, make_document, make_clause, join):
    def build():
        return build_world(make_user, make_meeting, make_document, make_clause, join)

    shared = SharedApp.of(app)
    return shared.world(build) if shared is not None else build()


def build_world(make_user, make_meeting, make_document, make_clause, join):
    w = World()
    w.meeting, w.chair = make_meeting()
    w.rapporteur = make_user(name="Rapporteur")
    w.expert = make_user(name="Expert One")
    w.expert2 = make_user(name="Expert Two", group="local_government")
    w.observer = make_user(name="Observer")
    w.outsider = make_user(name="Outsider")
    w.admin = make_user(name="Admin", admin=True)
    for user, role in [(w.rapporteur, "rapporteur"), (w.expert, "expert"), (w.expert2, "expert"),
                       (w.observer, "observer")]:
        join(w.meeting, user, role)
    w.other_meeting, w.other_chair = make_meeting(title="Another meeting")
    w.other_document = make_document(w.other_meeting, w.other_chair, title="Another document")
    w.other_clause = make_clause(w.other_document, w.other_chair)
    w.document = make_document(w.meeting, w.chair)
    w.pp = make_clause(w.document, w.expert, "Recognizing the role of cities,", kind="PP",
                       category="principle", tags=["11.3"])
    w.op = make_clause(w.document, w.expert, "Recommends that cities publish open data;",
                       tags=["11.3", "economy"])
    w.users = {"anonymous": None, "outsider": w.outsider, "observer": w.observer, "expert": w.expert,
               "rapporteur": w.rapporteur, "chair": w.chair, "admin": w.admin,
               "other_chair": w.other_chair}
    return w


def signed_in_session(user, remember=False):
    """What a session cookie holds after `user` signs in: a server-side session of their own, committed."""
    from datetime import timedelta

    from drafting.services import sessions

    secret = sessions.start(user, remember, timedelta(days=1), user_agent="pytest", address="127.0.0.1")
    db.session.commit()
    return {"_user_id": str(user.id), "_fresh": True, "_sid": secret}


@pytest.fixture
def login(client):
    """login(user) signs the test client in as the user (None signs out)."""

    def sign_in(user):
        values = signed_in_session(user) if user is not None else {}
        with client.session_transaction() as session:
            session.clear()
            session.update(values)
        return client

    return sign_in


@pytest.fixture
def api(app, client):
    """api(user) -> a client whose requests carry the user's bearer token."""
    from drafting.services import accounts

    class Api:
        def __init__(self, user):
            self.headers = {}
            if user is not None:
                token = accounts.issue_token(user, "test")
                db.session.commit()
                self.headers = {"Authorization": f"Bearer {token}"}

        def __getattr__(self, method):
            def call(path, **kwargs):
                headers = dict(self.headers, **kwargs.pop("headers", {}))
                return getattr(client, method)("/api/v1" + path, headers=headers, **kwargs)

            return call

    return Api


def pytest_report_header(config):
    lines = [f"database backends: {', '.join(BACKENDS)}"]
    if not database_url_for_tests():
        lines.append("PostgreSQL tests skipped: set DRAFTING_TEST_DATABASE_URL to run them")
    return lines




@pytest.fixture
def advance(app):
    """advance(document, chair, phase) walks the document forward through the procedure to `phase`."""
    from drafting.domain.procedure import PHASE_ORDER
    from drafting.services import procedure

    def walk(document, chair, phase):
        adopt_in_session = PHASE_ORDER.index(phase) >= PHASE_ORDER.index("adopted")
        following = {"drafting": "amendments", "amendments": "consolidation",
                     "consolidation": "adopted" if adopt_in_session else "final_reading",
                     "adopted": "published"}
        while PHASE_ORDER.index(document.phase) < PHASE_ORDER.index(phase):
            if document.phase == "consolidation":
                make_ready(document, chair)
            procedure.set_phase(chair, document, following[document.phase])
            commit()
        return document

    return walk


def make_ready(document, chair):
    """What a chair does before the final reading: decide open amendments, choose alternatives,
    renumber, and declare every paragraph agreed (adoption is refused until then)."""
    from drafting.models import Amendment, Clause
    from drafting.services import amendments, consolidation, declarations, procedure

    for obstacle in procedure.readiness(document):
        clause = db.session.get(Clause, obstacle.clause_id)
        if obstacle.kind == "open_amendments":
            for amendment in db.session.execute(db.select(Amendment).filter_by(
                    clause_id=clause.id, status="open")).scalars():
                amendments.reject(chair, amendment, "Not taken up in the final text.")
        elif obstacle.kind == "alternatives" and clause.status not in ("withdrawn", "merged"):
            consolidation.choose_alternative(chair, clause)
        elif obstacle.kind == "late_numbering":
            consolidation.renumber(chair, document)
    for obstacle in procedure.readiness(document):
        clause = db.session.get(Clause, obstacle.clause_id)
        if obstacle.kind in ("undeclared", "bracketed") and clause.status in ("proposed", "bracketed"):
            declarations.declare(chair, clause, "agreed")
    commit()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """One headless chromium for the whole run (Playwright allows one per process); tests open contexts in it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need Playwright for Python: pip install playwright")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
