"""A `world` built once per run and copied into each test's database, for the large matrices."""
import os
import shutil
import sqlite3
import tempfile

import pytest

from drafting import create_app
from drafting.config import for_tests
from drafting.extensions import db
from tests.conftest import _layout, _load, _reset_postgres

_template = {}


def _copy(source, target):
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture
def shared_world(request, app, tmp_path_factory):
    """The conftest `world`; on SQLite built once and copied, which makes a matrix test ~4x faster."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        return request.getfixturevalue("world")
    path = url.removeprefix("sqlite:///")
    if not _template:
        world = request.getfixturevalue("world")
        _template["layout"] = _layout(world)
        _template["path"] = str(tmp_path_factory.mktemp("world") / "world.sqlite3")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
        _copy(path, _template["path"])
    else:
        db.session.remove()
        db.engine.dispose()
        _copy(_template["path"], path)
    return _load(_template["layout"])


@pytest.fixture(scope="module", params=["sqlite"])
def module_app(request, tmp_path_factory):
    """One app for a whole test module: building one (URL map, templates) costs more than most tests.

    Who may do what, and what reaches a page, do not depend on the database: these thousands of
    cases run on SQLite only. The fuzzer and the bad-input tests run on every configured backend.
    """
    # In memory-backed storage where there is some: closing a WAL database syncs it to disk.
    memory = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    folder = tempfile.mkdtemp(prefix="drafting-matrix-", dir=memory or tmp_path_factory.getbasetemp())
    overrides = {}
    if request.param == "sqlite":
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{os.path.join(folder, 'test.sqlite3')}"
    app = create_app(for_tests(folder, **overrides))
    with app.app_context():
        if request.param == "sqlite":
            db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def reused_app(module_app):
    """The module's app in a fresh app context; its database is replaced by `shared_world` (or emptied)."""
    if not module_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        _reset_postgres(module_app)
    context = module_app.app_context()
    context.push()
    yield module_app
    db.session.remove()
    context.pop()


# What reaches a page does not depend on the database either: the XSS corpus runs on SQLite only.
SQLITE_ONLY = {"test_xss.py", "test_xss_browser.py"}


def pytest_collection_modifyitems(config, items):
    dropped = [item for item in items if item.path.name in SQLITE_ONLY
               and getattr(getattr(item, "callspec", None), "params", {}).get("app") == "postgresql"]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]
