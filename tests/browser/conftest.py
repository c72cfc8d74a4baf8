"""Browser tests: Debian's chromium driven by Playwright against a real server process.

Each test gets a fresh database and server (tests/servers.py); the browser is started once per run.
Every page a test shows can be saved to artifacts/screenshots/ (ignored by git) with `shoot`.
"""
import json
import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM
from tests.servers import ROOT, server_environment, app, author, server, start_server, token_for  # noqa: F401  fixtures

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_report_header(config):
    if not os.path.exists(CHROMIUM):
        return [f"browser tests skipped: no chromium at {CHROMIUM} (apt-get install -y chromium)"]
    return []


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def session_cookie(user):
    """The session cookie the server would set after the user signs in (the form is tested on its own)."""
    from flask import Flask

    signer = Flask(__name__)
    signer.secret_key = server_environment("")["DRAFTING_SECRET_KEY"]
    from tests.conftest import signed_in_session
    from tests.servers import writing

    with writing():  # the server is running: this process's session row is a write like any other
        values = signed_in_session(user)
    return signer.session_interface.get_signing_serializer(signer).dumps(values)


class Person:
    """One person at one browser: a context of their own (cookies, JavaScript on or off) and a page."""

    def __init__(self, browser, server, user=None, javascript=True, width=1280):
        self.server = server
        self.user = user
        self.javascript = javascript
        self.context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
        self.context.set_default_timeout(5000)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)
        if user is not None:
            self.context.add_cookies([{"name": "session", "value": session_cookie(user), "url": server.url}])

    def _console(self, message):
        url = message.location.get("url", "")
        # A page answered with 409 or 422 (a conflict view, a form shown again) is not a script error.
        if message.type == "error" and "favicon" not in url and url != self.page.url:
            self.errors.append(message.text)

    def go(self, path, live=False):
        """Open a page; with live=True wait until its live updates are connected."""
        self.page.goto(self.server.url + path)
        if live:
            self.page.wait_for_selector("[data-live-status=live]")
        return self.page

    def shoot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def axe(self):
        """Serious and critical WCAG 2.1 AA violations on the page, as readable lines.

        axe is evaluated through the DevTools protocol: add_script_tag would insert an inline
        script, which the app's CSP (script-src 'self') rightly refuses, and we keep the CSP on.
        """
        assert self.javascript, "axe runs in the page: check the page in a context with JavaScript on"
        if not AXE.exists():
            pytest.skip("accessibility checks need axe-core from npm: run `npm ci`")
        self.page.evaluate(AXE.read_text())
        result = self.page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
        return [f"{v['id']} ({v['impact']}): {v['help']} — "
                + "; ".join(json.dumps(n["target"]) + " " + n.get("failureSummary", "").replace("\n", " ")
                            for n in v["nodes"][:5])
                for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def person(chromium, server):
    """person(user=None, javascript=True) -> a Person signed in as the user, on the test's server."""
    people = []

    def open_for(user=None, javascript=True, width=1280):
        someone = Person(chromium, server, user, javascript, width)
        people.append(someone)
        return someone

    yield open_for
    for someone in people:
        someone.context.close()
