"""The XSS corpus placed in every field a person types, and no payload alive in any page that shows it.

Fields: clause text and rationale, meeting, document and section titles, display names and
organisations, comments, amendments (text and rationale), vote reasons, objections, reservations
and version labels. Pages: every GET page in the authorization matrix (the reading page of the
outcome document, its annex and the procedure page among them), plus the pages of each object
that carries a payload.
"""
from drafting.boundary import commit
from drafting.extensions import db
from drafting.services import accounts, clauses
from drafting.web.openapi import spec
from tests.conftest import signed_in_session
from tests.security.html_safety import html_fields, page_text, payloads, problems
from tests.security.matrix import ROUTES, Route

PAYLOADS = payloads()


def _one_line(limit):
    """Payloads that fit a one-line field of `limit` characters."""
    return [p for p in PAYLOADS if "\n" not in p and len(p.strip()) <= limit and p.strip()]


# Not pages: files to download (the outcome as Markdown, DOCX, PDF, XML; a mail as .eml or .html,
# checked by tests/mail) and the socket.io client.
NOT_PAGES = ("static", "live.vendor", "outcome.as_", "mail.as_")


def _page_routes():
    """Every GET page (not the API, not downloads) listed in the authorization matrix."""
    for (endpoint, method), routes in ROUTES.items():
        for route in routes if isinstance(routes, tuple) else (routes,):
            if method == "GET" and not endpoint.startswith(NOT_PAGES) and not endpoint.startswith("api."):
                yield endpoint, route


def check_pages(client, world, extra_urls=()):
    """Fetch every page as the site admin and return (problems, text of all pages)."""
    values = signed_in_session(world.admin)
    with client.session_transaction() as session:
        session.update(values)
    found, texts = [], []
    urls = [route.url(world) for _, route in _page_routes() if route.phase is None] + list(extra_urls)
    for url in dict.fromkeys(urls):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        html = response.get_data(as_text=True)
        found += problems(html, url)
        texts.append(page_text(html))
    return found, "\n".join(texts)


def check_json_html(api_client, paths):
    found = []
    for path in paths:
        body = api_client.get(path).get_json()
        for where, html in html_fields(body, path):
            found += problems(html, where)
    return found


def _assert_clean(found):
    assert not found, f"{len(found)} live payloads, e.g.:\n" + "\n".join(found[:15])


def _assert_shown(text, values):
    missing = [v for v in values if v.strip() not in text]
    assert not missing, f"{len(missing)} payloads never reached the pages (so were not tested): {missing[:5]}"


def test_clause_text_and_rationales(client, api, shared_world):
    w = shared_world
    expert = api(w.expert)
    section = w.document.sections[-1].id
    ids = []
    for payload in PAYLOADS:
        response = expert.post(f"/documents/{w.document.id}/clauses", json={
            "section_id": section, "kind": "OP", "category": "recommendation", "text": payload,
            "rationale": payload})
        assert response.status_code == 201, (payload, response.get_json())
        ids.append(response.get_json()["id"])
    # An edit with each payload as text and rationale, on the clause the matrix pages show.
    head = w.op.head_revision_id
    for payload in PAYLOADS:
        response = expert.post(f"/clauses/{w.op.id}/revisions", json={
            "base_revision_id": head, "text": payload + " (edited)", "rationale": payload})
        assert response.status_code == 201, (payload, response.get_json())
        head = response.get_json()["id"]
    found, text = check_pages(client, w, [f"/clauses/{i}" for i in ids])
    _assert_clean(found)
    _assert_shown(text, [p for p in PAYLOADS if len(p) <= 5000])  # rationales are shown as typed
    _assert_clean(check_json_html(expert, [f"/documents/{w.document.id}", f"/clauses/{w.op.id}/revisions",
                                           f"/documents/{w.document.id}/events?limit=1000"]))


def test_titles_of_meetings_documents_and_sections(client, api, shared_world):
    w = shared_world
    admin, chair = api(w.admin), api(w.chair)
    titles = _one_line(200)
    meeting_ids = []
    for title in titles:
        response = admin.post("/meetings", json={"title": title, "subtitle": title, "venue": title,
                                                 "description": title})
        assert response.status_code == 201, (title, response.get_json())
        meeting_ids.append(response.get_json()["id"])
        assert chair.post(f"/meetings/{w.meeting.id}/documents", json={
            "title": title, "symbol": title[:100], "sections": [title]}).status_code == 201
        assert chair.post(f"/documents/{w.document.id}/sections", json={"title": title}).status_code == 201
    documents = admin.get(f"/meetings/{w.meeting.id}").get_json()
    document_ids = [d["id"] for d in documents.get("documents", [])]
    found, text = check_pages(client, w, [f"/meetings/{i}" for i in meeting_ids[:40]]
                              + [f"/documents/{i}" for i in document_ids])
    _assert_clean(found)
    _assert_shown(text, titles)


def test_display_names_and_organisations(client, api, make_user, join, shared_world):
    w = shared_world
    names = _one_line(200)
    head = w.op.head_revision_id
    for n, payload in enumerate(names):
        user = make_user()
        accounts.update_profile(user, payload, payload, "civil_society")
        join(w.meeting, user, "expert")
        revision, _ = clauses.save_edit(user, w.op, head, f"Recommends that cities publish open data, {n};",
                                        rationale="")
        commit()
        head = revision.id
    found, text = check_pages(client, w)
    _assert_clean(found)
    _assert_shown(text, names)


# Text fields of deliberation and procedure, through the API: (method, path in the OpenAPI description,
# phase to be in, body(world, payload), who writes: a fresh expert per payload, the expert, the rapporteur).
WRITERS = [
    ("post", "/clauses/{clause_id}/comments", "drafting", lambda w, p: {"body": p}, "expert"),
    ("post", "/clauses/{clause_id}/amendments", "amendments",
     lambda w, p: {"base_revision_id": w.op.head_revision_id, "text": p, "rationale": p}, "expert"),
    ("put", "/clauses/{clause_id}/vote", "drafting", lambda w, p: {"position": "block", "reason": p}, "expert"),
    # An objection sends the document back to consolidation: the phase is set again for each payload.
    ("post", "/documents/{document_id}/objections", "final_reading", lambda w, p: {"text": p}, "the expert"),
    ("post", "/clauses/{clause_id}/reservations", "adopted", lambda w, p: {"text": p, "kind": "reservation"},
     "the expert"),
    ("post", "/documents/{document_id}/versions", "drafting", lambda w, p: {"label": p}, "rapporteur"),
]


def test_the_writers_are_in_the_api():
    paths = spec()["paths"]
    assert all(method in paths.get(path, {}) for method, path, *_ in WRITERS)


def _written_by(w, make_user, join, who):
    if who != "expert":
        return {"the expert": w.expert, "rapporteur": w.rapporteur}[who]
    author = make_user()  # one vote (and one of each thing) per person and clause
    join(w.meeting, author, "expert")
    return author


def test_comments_amendments_votes_objections_reservations_and_version_labels(client, api, make_user, join,
                                                                               shared_world):
    w = shared_world
    for method, path, phase, body, who in WRITERS:
        url = path.replace("{clause_id}", str(w.op.id)).replace("{document_id}", str(w.document.id))
        placed = []
        for payload in PAYLOADS:
            w.document.phase = phase
            db.session.commit()
            response = getattr(api(_written_by(w, make_user, join, who)), method)(url, json=body(w, payload))
            if response.status_code in (200, 201):
                placed.append(payload)
        assert len(placed) >= 100, f"{method.upper()} {path} took only {len(placed)} payloads"
    w.document.phase = "drafting"  # where every page of the matrix opens
    db.session.commit()
    found, text = check_pages(client, w, [f"/documents/{w.document.id}/compare?from=current&to=current"])
    _assert_clean(found)
    _assert_shown(text, [p for p in _one_line(100)])  # version labels, objections and reservations
    _assert_clean(check_json_html(api(w.chair), [
        f"/clauses/{w.op.id}/comments", f"/clauses/{w.op.id}/amendments", f"/clauses/{w.op.id}/votes",
        f"/documents/{w.document.id}/procedure", f"/documents/{w.document.id}/versions",
        f"/documents/{w.document.id}/events?limit=1000"]))


def test_the_page_list_is_not_empty():
    assert {endpoint for endpoint, _ in _page_routes()} >= {"documents.show", "documents.clause",
                                                            "documents.activity", "meetings.show"}
    assert all(isinstance(route, Route) for _, route in _page_routes())
