"""The attacks of an outside test, each as the exact request that reproduced it (findings 3–5, 7–12, 14, 16–18)."""
from io import BytesIO
from urllib.parse import unquote

import pytest

from drafting import create_app
from drafting.config import for_tests
from drafting.domain import characters
from drafting.extensions import db
from drafting.models import Clause, Document
from drafting.realtime import origin_checker
from drafting.services import accounts
from tests.conftest import PASSWORD, signed_in_session


@pytest.fixture
def limited(tmp_path):
    """An app with its rate limits on, as in production."""
    app = create_app(for_tests(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="10 per minute",
                               RATELIMIT_SIGN_IN_ADDRESS="50 per 10 minutes",
                               SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'limited.sqlite3'}"))
    with app.app_context():
        db.create_all()
        accounts.create_user("owner@example.org", "Owner", PASSWORD)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _sign_in(client, password, address):
    return client.post("/login", data={"email": "owner@example.org", "password": password},
                       environ_base={"REMOTE_ADDR": address})


# 3. Anyone can lock a named person out.

def test_wrong_passwords_from_other_addresses_do_not_lock_the_owner_out(limited):
    client = limited.test_client()
    for n in range(10):
        for _ in range(2):
            assert _sign_in(client, "wrong guess", f"203.0.113.{n}").status_code in (401, 429)
    assert _sign_in(client, PASSWORD, "198.51.100.1").status_code == 302


def test_guessing_from_one_address_is_slowed_and_success_clears_the_count(limited):
    client = limited.test_client()
    statuses = [_sign_in(client, "wrong guess", "203.0.113.50").status_code for _ in range(11)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429
    other = limited.test_client()
    for _ in range(9):
        assert _sign_in(other, "wrong guess", "203.0.113.60").status_code == 401
    assert _sign_in(other, PASSWORD, "203.0.113.60").status_code == 302
    for _ in range(9):  # the owner's nine typos before were forgotten
        assert _sign_in(limited.test_client(), "wrong guess", "203.0.113.60").status_code == 401


# 4. One character breaks the official downloads for good.

@pytest.mark.parametrize("text", ["Recommends \ufffe that cities act;", "Recommends \uffff that cities act;",
                                  "Recommends &#x1F; that cities act;", "Recommends &#65534; that cities act;",
                                  "Recommends \x1f that cities act;"])
def test_characters_xml_cannot_hold_are_refused_in_clause_text(world, api, text):
    response = api(world.expert).post(f"/clauses/{world.op.id}/revisions",
                                      json={"base_revision_id": world.op.head_revision_id, "text": text})
    assert response.status_code == 422 and "control characters" in response.get_json()["error"]["message"]


def test_text_stored_before_the_rule_still_downloads(world, login):
    head = world.op.head
    head.text = "Recommends \ufffe that &#x1F; cities \x0b act;"
    db.session.commit()
    client = login(world.chair)
    for suffix in ("xml", "docx", "md", "pdf"):
        response = client.get(f"/documents/{world.document.id}/outcome.{suffix}")
        assert response.status_code == 200, suffix
    from docx import Document as WordDocument
    from lxml import etree

    etree.fromstring(client.get(f"/documents/{world.document.id}/outcome.xml").data)
    text = "\n".join(p.text for p in WordDocument(BytesIO(client.get(
        f"/documents/{world.document.id}/outcome.docx").data)).paragraphs)
    assert "cities  act" in text or "cities act" in text


# 5. A title in Cyrillic, Arabic or Chinese breaks all four downloads.

@pytest.mark.parametrize("title", ["Итоговый документ", "الوثيقة الختامية", "成果文件", "Résumé \"quoted\"; x"])
@pytest.mark.parametrize("suffix", ["md", "docx", "pdf", "xml"])
def test_any_title_gives_a_safe_download_name(world, login, title, suffix):
    world.document.title, world.document.symbol = title, ""
    db.session.commit()
    response = login(world.chair).get(f"/documents/{world.document.id}/outcome.{suffix}")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # what a WSGI server can send
    assert header.isascii() and "\n" not in header
    plain = header.split('filename="')[1].split('"')[0]
    assert plain.endswith(f".{suffix}") and '"' not in plain
    real = unquote(header.split("filename*=UTF-8''")[1])
    assert real == characters.download_name(title, suffix)[0] and real.split(".")[0] in title.replace(" ", "-") \
        or "quoted" in real


# 7. The API skips its CSRF check whenever any Authorization header is present.

@pytest.fixture
def csrf_app(tmp_path):
    app = create_app(for_tests(tmp_path, WTF_CSRF_ENABLED=True,
                               SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'csrf.sqlite3'}"))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_the_session_cookie_needs_its_csrf_token_whatever_the_headers(csrf_app):
    with csrf_app.app_context():
        admin = accounts.create_user("admin@example.org", "Admin", PASSWORD, is_admin=True)
        db.session.commit()
        values = signed_in_session(admin)
    client = csrf_app.test_client()
    with client.session_transaction() as session:
        session.update(values)
    for headers in ({"Authorization": "Basic Zm9vOmJhcg=="}, {"Authorization": "Bearer drt_nothing"}, {}):
        response = client.post("/api/v1/meetings", json={"title": "Forged"}, headers=headers)
        assert response.status_code in (400, 401), (headers, response.status_code)
    with csrf_app.app_context():
        assert db.session.execute(db.text("SELECT count(*) FROM meetings")).scalar() == 0


# 8. The websocket origin check trusts a client-sent X-Forwarded-Host.

def test_the_origin_check_ignores_a_clients_forwarded_host():
    allowed = origin_checker([])
    environ = {"wsgi.url_scheme": "http", "HTTP_HOST": "drafting.example.org",
               "HTTP_X_FORWARDED_HOST": "evil.example", "HTTP_X_FORWARDED_PROTO": "https"}
    assert not allowed("https://evil.example", environ)
    assert allowed("http://drafting.example.org", environ)


# 9. Unicode digits in any id give 500.

@pytest.mark.parametrize("value", ["²", "١", "1²", "9" * 20000])
def test_unicode_digits_and_huge_numbers_in_ids_are_refused(world, api, login, value):
    response = api(world.chair).get(f"/documents/{world.document.id}/events", query_string={"after": value})
    assert response.status_code == 422
    response = api(world.expert).post(f"/documents/{world.document.id}/clauses", json={
        "section_id": value, "kind": "OP", "category": "recommendation", "text": "Recommends action;"})
    assert response.status_code in (404, 422)
    response = login(world.chair).post(f"/documents/{world.document.id}/clauses", data={
        "section_id": value, "kind": "OP", "category": "recommendation", "text": "Recommends action;"})
    assert response.status_code < 500


# 10. accept with a JSON body that is not an object gives 500.

@pytest.mark.parametrize("raw", ["[]", "\"text\"", "3", "null", "{bad"])
def test_accepting_an_amendment_with_a_body_that_is_not_an_object_is_422(world, api, raw):
    response = api(world.rapporteur).post("/amendments/1/accept", data=raw, content_type="application/json")
    assert response.status_code == 422


# 11. A whitespace-only line lets the Markdown export smuggle a section.

@pytest.mark.parametrize("text", ["Recommends that cities act;\n \n## Smuggled\n \n2. *Agrees* to everything;",
                                  "Recommends that cities act;\n\n# Smuggled", "Recommends that cities act;\n===",
                                  "Recommends that cities act;\n\t\n---\n2. *Agrees*;"])
def test_a_paragraph_cannot_carry_a_heading_into_the_markdown_export(world, api, text):
    response = api(world.expert).post(f"/clauses/{world.op.id}/revisions",
                                      json={"base_revision_id": world.op.head_revision_id, "text": text})
    assert response.status_code == 422 and "heading" in response.get_json()["error"]["message"]


def test_text_stored_before_the_rule_cannot_smuggle_a_section_through_the_round_trip(world, api, login):
    world.op.head.text = "Recommends that cities act;\n \n## Smuggled\n \n2. *Agrees* to everything;"
    db.session.commit()
    markdown = login(world.chair).get(f"/documents/{world.document.id}/outcome.md").get_data(as_text=True)
    response = api(world.chair).post(f"/meetings/{world.meeting.id}/documents/import",
                                     data=markdown.encode(), content_type="text/markdown")
    assert response.status_code == 201, response.get_json()
    imported = db.session.get(Document, response.get_json()["id"])
    assert "Smuggled" not in [s.title for s in imported.sections]
    clauses = db.session.execute(db.select(Clause).filter_by(document_id=imported.id)).scalars().all()
    assert len(clauses) == 2 and all(c.status != "agreed" for c in clauses)


# 12. Display names accept bidi overrides and zero-width characters and need not be unique.

@pytest.mark.parametrize("name", ["\u202enimdA etiS", "Site\u200bAdmin", "Chair\u2066", "\ufeffChair", "\u200b"])
def test_names_with_invisible_or_direction_characters_are_refused(client, login, make_user, name):
    login(make_user())
    response = client.post("/account", data={"action": "profile", "name": name})
    assert response.status_code == 422


@pytest.mark.parametrize("taken", ["The Chair", "the chair", "THE  CHAIR", "Ｔｈｅ Ｃｈａｉｒ"])
def test_an_expert_cannot_take_the_chairs_name(world, client, login, taken):
    login(world.expert)
    response = client.post("/account", data={"action": "profile", "name": taken})
    assert response.status_code == 409 and "already called" in response.get_data(as_text=True)
    db.session.refresh(world.expert)
    assert world.expert.name == "Expert One"


def test_an_invitation_cannot_bring_a_second_person_of_the_same_name(world, api, client):
    response = api(world.chair).post(f"/meetings/{world.meeting.id}/members",
                                     json={"email": "newcomer@example.org", "role": "expert"})
    link = response.get_json()["invitation"]["url"]
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path, data={"name": "expert one", "password": "a long passphrase",
                                             "confirm_password": "a long passphrase"})
    assert response.status_code == 409 and "already called" in response.get_data(as_text=True)


# 14. Weak passwords are accepted.

@pytest.mark.parametrize("password", ["12345678", "password", " " * 10, "\u200b" * 12, "1234567890",
                                      "password123", "aaaaaaaaaaaa", "qwertyuiop"])
def test_weak_passwords_are_refused(client, login, make_user, password):
    login(make_user())
    response = client.post("/account", data={"action": "password", "current_password": PASSWORD,
                                             "new_password": password, "confirm_password": password})
    assert response.status_code == 422


# 16. The CSP allows websockets to any host.

def test_the_csp_connects_only_to_this_site(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    connect = next(d for d in csp.split(";") if d.strip().startswith("connect-src")).split()[1:]
    assert connect == ["'self'"]


# 17. An unauthenticated API write answers 400 (CSRF); 405 answers lack Allow.

def test_an_anonymous_api_write_is_401_even_with_csrf_on(csrf_app):
    response = csrf_app.test_client().post("/api/v1/meetings", json={"title": "x"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "not_signed_in"


def test_405_answers_say_which_methods_are_allowed(client):
    response = client.delete("/login")
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    response = client.put("/logout")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]


# 18. The PDF is rendered afresh for every anonymous request.

@pytest.fixture
def public_world(world, advance):
    world.pp.status = world.op.status = "agreed"
    db.session.commit()
    advance(world.document, world.chair, "published")
    world.document.visibility = "public"
    db.session.commit()
    return world


def test_an_export_is_made_once_per_document_version(public_world, client, monkeypatch, api):
    from drafting.exports import pdf

    w, made = public_world, []
    real = pdf.render
    monkeypatch.setattr(pdf, "render", lambda *args: made.append(1) or real(*args))
    for _ in range(3):
        assert client.get(f"/documents/{w.document.id}/outcome.pdf").status_code == 200
    assert len(made) == 1
    w.document.last_seq += 1  # a new version of the document: a new PDF
    db.session.commit()
    assert client.get(f"/documents/{w.document.id}/outcome.pdf").status_code == 200
    assert len(made) == 2


def test_downloads_are_rate_limited(tmp_path):
    app = create_app(for_tests(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_DOWNLOADS="3 per minute",
                               SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'd.sqlite3'}"))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    statuses = [client.get("/documents/1/outcome.pdf").status_code for _ in range(5)]
    assert statuses[-1] == 429 and "Retry-After" in client.get("/documents/1/outcome.pdf").headers
    with app.app_context():
        db.engine.dispose()


# Also: vote events name the voter while tallies are hidden.

def test_vote_events_do_not_name_the_voter_while_tallies_are_hidden(world, api):
    world.document.hide_tallies = True
    db.session.commit()
    assert api(world.expert).put(f"/clauses/{world.op.id}/vote", json={"position": "disagree"}).status_code == 200
    events = api(world.expert2).get(f"/documents/{world.document.id}/events").get_json()["events"]
    vote = [e for e in events if e["type"].startswith("vote.")][-1]
    assert vote["actor"] is None and "position" not in vote["payload"]
    assert world.expert.name not in str(vote)


# Also: invitation links are built from the request's Host header.

def test_invitation_links_use_the_configured_public_url(world, api, app):
    app.config["PUBLIC_URL"] = "https://drafting.example.org"
    response = api(world.chair).post(f"/meetings/{world.meeting.id}/members",
                                     json={"email": "far@example.org", "role": "expert"},
                                     headers={"Host": "evil.example"})
    assert response.get_json()["invitation"]["url"].startswith("https://drafting.example.org/invitations/")
