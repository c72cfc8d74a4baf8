"""The editor and the document page in Chromium: a keystroke's track changes, a 500-paragraph page.

1. A keystroke in a 2 KB clause with three open suggestions, on the clause page: the editor's
   transaction (the word diff against the base, the decorations, the DOM update) and the layout
   it forces, timed in the page for 200 keystrokes; p95 within 16 ms (one frame).
2. A 500-paragraph document page: from navigation until its script has run and live updates are
   joined, within 1.5 s; then, while 10 edits a second arrive live for BENCH_EDITOR_SECONDS (10),
   the page's main thread stays free: the lateness of a 50 ms timer, p95 within 50 ms, and opening
   the editor on a paragraph (click to focus) within 1.5 s.

Needs Debian's chromium and Playwright for Python, as the browser tests do.
"""
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests

from bench.server import Server, migrate

CHROMIUM = "/usr/bin/chromium"
PARAGRAPHS = 500
SECONDS = float(os.environ.get("BENCH_EDITOR_SECONDS", "10"))
RATE = 10
PASSWORD = "bench password"

LONG_CLAUSE = ("Recommends that national and local governments, in cooperation with the private sector, "
               "academia and civil society, adopt integrated smart sustainable city strategies that place "
               "people at their centre, protect their privacy by design, publish the data they collect "
               "under an open licence, measure progress with the key performance indicators for smart "
               "sustainable cities, and report on them every two years; ") * 5


def _world(database_url):
    from werkzeug.security import generate_password_hash

    from drafting import create_app
    from drafting.boundary import commit
    from drafting.extensions import db
    from drafting.models import Membership, User
    from drafting.services import accounts, amendments, documents, meetings

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        hashed = generate_password_hash(PASSWORD)
        people = []
        for n, role in enumerate(["chair", "expert", "expert", "expert", "rapporteur"]):
            user = User(email=f"{role}{n}@bench.example.org", name=f"{role.title()} Number {n}",
                        password_hash=hashed, is_admin=n == 0)
            db.session.add(user)
            people.append((user, role))
        db.session.flush()
        chair = people[0][0]
        meeting = meetings.create_meeting(chair, "Bench meeting", starts_on="2016-07-21")
        for user, role in people:
            db.session.add(Membership(meeting_id=meeting.id, user_id=user.id, role=role))
        db.session.flush()
        document = documents.create_document(chair, meeting, "Bench document")
        preamble, operative = document.sections
        ids = []
        for i in range(PARAGRAPHS):
            pp = i < 40
            ids.append(documents.add_clause(
                chair, document, (preamble if pp else operative).id, "PP" if pp else "OP", "recommendation",
                ("Recognizing" if pp else "Recommends") + f" that cities take measure {i} on open data, "
                "mobility and resilience, as set out in the annex;").id)
        long_clause = documents.add_clause(chair, document, operative.id, "OP", "recommendation", LONG_CLAUSE)
        base = long_clause.head
        document.phase = "amendments"
        for (user, _), change in zip(people[1:4], ["Strongly recommends", "Also recommends", "Recommends again"]):
            amendments.propose(user, long_clause, base.id, LONG_CLAUSE.replace("Recommends", change, 1),
                               "Clearer.")
        commit()
        token = accounts.issue_token(chair, "bench")
        commit()
        result = {"document_id": document.id, "clause_ids": ids[40:], "long_clause": long_clause.id,
                  "email": chair.email, "token": token}
        db.session.remove()
        db.engine.dispose()
    return result


KEYSTROKES = r"""async () => {
  const m = await import("/static/build/text-editor.js");
  const view = m.EditorView.findFromDOM(document.querySelector(".cm-editor"));
  const times = [];
  for (let i = 0; i < 200; i += 1) {
    const at = Math.floor(view.state.doc.length / 2);
    const started = performance.now();
    view.dispatch({ changes: { from: at, insert: i % 7 === 6 ? " " : "x" }, userEvent: "input.type" });
    void document.body.offsetHeight;  // the layout the keystroke forces
    times.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 5));
  }
  return { times, marked: document.querySelectorAll(".cm-content ins.tc-ins").length };
}"""

LAG = r"""(seconds) => new Promise((done) => {
  const lags = [];
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    lags.push(Math.max(0, now - last - 50));
    last = now;
    if (lags.length < seconds * 20) setTimeout(tick, 50); else done(lags);
  };
  setTimeout(tick, 50);
})"""


def _p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def _editing(url, token, clause_ids, stop, counter, rate):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    heads = {}
    n = 0
    started = time.monotonic()
    while not stop.is_set():
        clause_id = clause_ids[n % len(clause_ids)]
        if clause_id not in heads:
            heads[clause_id] = session.get(f"{url}/api/v1/clauses/{clause_id}").json()["revision_id"]
        answer = session.post(f"{url}/api/v1/clauses/{clause_id}/revisions", json={
            "base_revision_id": heads[clause_id], "text": f"Recommends that cities take measure {n} at once;"})
        if answer.status_code == 201:
            heads[clause_id] = answer.json()["id"]
            counter.append(time.monotonic())
        n += 1
        pause = started + n / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)


def run():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return [{"benchmark": "editor", "measure": "skipped: no chromium", "value": "", "target": "", "ok": ""}]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/bench.sqlite3"
        migrate(database_url)
        world = _world(database_url)
        server = Server(database_url, Path(tmp) / "server.log", DRAFTING_RATELIMIT_WRITES="1000 per second",
                        DRAFTING_RATELIMIT_LOGIN="1000 per minute").start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
                page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
                page.goto(server.url + "/login")
                page.fill("#email", world["email"])
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")

                page.goto(f"{server.url}/clauses/{world['long_clause']}")
                page.wait_for_selector(".cm-editor")
                measured = page.evaluate(KEYSTROKES)
                p95 = _p95(measured["times"])
                rows.append({"benchmark": "editor, 2 KB clause, 3 suggestions", "measure": "keystroke decorated, p95 (ms)",
                             "value": f"{p95:.1f}", "target": "<= 16", "ok": "yes" if p95 <= 16 and measured["marked"] else "no"})

                # The median of three loads: the machine is shared, one load can be unlucky.
                loads = []
                for _ in range(3):
                    page.goto(server.url + "/")
                    page.goto(f"{server.url}/documents/{world['document_id']}")
                    page.wait_for_selector("[data-live-status=live]", timeout=30000)
                    loads.append(page.evaluate("performance.now()") / 1000)
                    timing = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0]; "
                                           "return [n.responseStart, n.responseEnd, n.domInteractive, "
                                           "n.domContentLoadedEventEnd, n.loadEventEnd]; })()")
                    if os.environ.get("BENCH_EDITOR_VERBOSE"):
                        print("navigation (ms): first byte, last byte, DOM interactive, DOMContentLoaded, load:",
                              [round(t) for t in timing], "live", round(loads[-1] * 1000))
                ready = statistics.median(loads)
                rows.append({"benchmark": f"document page, {PARAGRAPHS + 1} paragraphs", "measure": "interactive and live, median of 3 (s)",
                             "value": f"{ready:.2f}", "target": "<= 1.5", "ok": "yes" if ready <= 1.5 else "no"})

                # Back to the drafting phase, so that the page offers editing in place.
                requests.post(f"{server.url}/api/v1/documents/{world['document_id']}/phase", json={"phase": "drafting"},
                              headers={"Authorization": f"Bearer {world['token']}"}).raise_for_status()
                page.reload()
                page.wait_for_selector("[data-live-status=live]", timeout=30000)
                stop, applied = threading.Event(), []
                # Two authors at half the rate each: one blocking client alone falls behind a slow answer.
                writers = [threading.Thread(target=_editing, args=(server.url, world["token"], ids, stop, applied, RATE / 2))
                           for ids in (world["clause_ids"][-100:-50], world["clause_ids"][-50:])]
                for writer in writers:
                    writer.start()
                try:
                    time.sleep(1)
                    lags = page.evaluate(LAG, SECONDS)
                    opens = []
                    for clause_id in world["clause_ids"][:5]:
                        started = time.perf_counter()
                        page.locator(f"#clause-{clause_id} [data-edit-inline]").click()
                        page.wait_for_selector(f"[data-editor-for=inline-text-{clause_id}]:focus")
                        opens.append(time.perf_counter() - started)
                        page.locator(f"#clause-{clause_id} [data-cancel]").click()
                finally:
                    stop.set()
                    for writer in writers:
                        writer.join()
                lag = _p95(lags)
                applied.sort()
                rate = (len(applied) - 1) / (applied[-1] - applied[0]) if len(applied) > 1 else 0
                rows.append({"benchmark": f"document page, {rate:.0f} live edits/s", "measure": "main thread lateness, p95 (ms)",
                             "value": f"{lag:.0f}", "target": "<= 50", "ok": "yes" if lag <= 50 else "no"})
                rows.append({"benchmark": f"document page, {rate:.0f} live edits/s", "measure": "open the editor, worst of 5 (s)",
                             "value": f"{max(opens):.2f}", "target": "<= 1.5", "ok": "yes" if max(opens) <= 1.5 else "no"})
                browser.close()
        finally:
            server.stop()
    return rows
