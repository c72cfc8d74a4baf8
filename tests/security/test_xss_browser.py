"""In a real browser (with the CSP bypassed, so the sanitiser stands alone) no payload opens a dialog."""
import threading

import pytest
from werkzeug.serving import make_server

from drafting.boundary import commit
from drafting.extensions import db
from drafting.services import accounts, clauses, documents
from tests.conftest import PASSWORD
from tests.security.html_safety import payloads

pytestmark = pytest.mark.browser

@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_no_payload_opens_a_dialog(app, shared_world, live_server, chromium):
    w = shared_world
    section = w.document.sections[-1]
    for payload in payloads():
        documents.add_clause(w.expert, w.document, section.id, "OP", "recommendation", payload, rationale=payload)
        documents.add_section(w.chair, w.document, payload[:300].strip() or "x")
    commit()
    head = w.op.head_revision_id
    for payload in payloads():
        revision, _ = clauses.save_edit(w.expert, w.op, head, payload + " (edited)", rationale=payload)
        commit()
        head = revision.id
    accounts.update_profile(w.chair, "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "un_system")
    commit()
    email = w.chair.email
    paths = ["/", f"/meetings/{w.meeting.id}", f"/documents/{w.document.id}", f"/clauses/{w.op.id}",
             f"/documents/{w.document.id}/activity", f"/documents/{w.document.id}/dashboard", "/account"]
    # End this thread's transaction: the server's threads write to the same SQLite file.
    db.session.remove()

    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    for path in paths:
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        page.mouse.move(200, 300)
        page.keyboard.press("Tab")
        page.wait_for_timeout(200)
    assert page.url.endswith("/account")  # signed in all along: the pages were the real ones
    context.close()
    assert dialogs == []
