"""The document archive moves a document to another server: its threads on the same words, its log on its rows."""
import json
import re
from pathlib import Path

import pytest

from drafting import create_app
from drafting.boundary import commit
from drafting.config import for_tests
from drafting.exports import archive as archive_format
from drafting.extensions import db
from drafting.models import (
    Amendment,
    Clause,
    ClauseRevision,
    Comment,
    Document,
    Event,
    Meeting,
    Membership,
    Objection,
    Reservation,
    Section,
    User,
    Version,
)
from tests.conftest import PASSWORD_HASH, Client, make_ready, signed_in_session

SOURCE = Path(__file__).resolve().parents[2] / "drafting"
# The kinds of row an id in a payload may name, and how to find that row's document.
ROWS = {"clause": (Clause, lambda row: row.document_id), "section": (Section, lambda row: row.document_id),
        "revision": (ClauseRevision, lambda row: db.session.get(Clause, row.clause_id).document_id),
        "amendment": (Amendment, lambda row: db.session.get(Clause, row.clause_id).document_id),
        "comment": (Comment, lambda row: db.session.get(Clause, row.clause_id).document_id),
        "reservation": (Reservation, lambda row: db.session.get(Clause, row.clause_id).document_id),
        "objection": (Objection, lambda row: row.document_id), "version": (Version, lambda row: row.document_id)}


def event_types_in_the_code():
    """Every event type a service or export appends, read from the source."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text()
        if "events.append(" not in text and "_announce(" not in text:
            continue
        found |= set(re.findall(r'"((?:document|section|clause|comment|amendment|vote|votes|silence|reservation|'
                                r'version)\.[a-z_]+)"', text))
    return found


def rich_document(world, make_clause):
    """One document through every step of the procedure, leaving every kind of event in its log."""
    from drafting.services import (
        amendments,
        clauses,
        comments,
        consolidation,
        documents,
        procedure,
        versions,
        votes,
    )

    d, chair, rapporteur, expert, expert2 = world.document, world.chair, world.rapporteur, world.expert, world.expert2
    op = world.op
    section = documents.add_section(chair, d, "Means of implementation")
    documents.rename_section(chair, section, "Implementation")
    documents.move_section(chair, section, "up")
    documents.move_section(chair, section, "down")
    means = make_clause(d, expert, "Encourages [sustainable] urban planning that is people-centred;",
                        section=section)
    documents.set_rules(chair, d, 0.5, 0.75, True, False)
    votes.cast(expert2, op, "agree")
    clauses.save_edit(expert, op, op.head_revision_id, "Recommends that cities publish open data and open code;")
    votes.confirm(expert2, op)
    documents.set_tags(expert, op, ["11.3", "economy"])
    thread = comments.post(expert, op, "Which **data** exactly?", quote="open data")
    comments.post(expert2, op, "Budgets first, @Expert One.", parent_id=thread.id)
    second = comments.post(expert2, op, "A second thought on code.", quote="open code")
    comments.edit(expert2, second, "A second thought on source code.")
    gone = comments.post(expert2, means, "Posted by mistake.")
    comments.delete(expert2, gone)
    comments.set_resolved(chair, second, True)
    comments.set_resolved(chair, second, False)
    comments.set_resolved(expert2, second, True)
    commit()
    versions.snapshot(rapporteur, d, "Zero draft")
    late = make_clause(d, expert2, "Invites cities to report on progress every two years;", section=section)
    procedure.set_phase(chair, d, "amendments")
    accepted = amendments.propose(expert2, op, op.head_revision_id,
                                  "Recommends that cities publish open data, open code and budgets;", "Budgets.")
    withdrawn = amendments.propose(expert2, means, means.head_revision_id, "Encourages planning;", "Shorter.")
    rejected = amendments.propose(expert, late, late.head_revision_id, "Invites cities to report yearly;", "Yearly.")
    drawn_on = amendments.propose(expert, means, means.head_revision_id,
                                  "Encourages [sustainable] urban planning for people;", "Plainer.")
    amendments.vote(expert, accepted, "agree")
    amendments.withdraw(expert2, withdrawn)
    comments.post(expert, op, "I support this amendment.", amendment_id=accepted.id)
    commit()
    procedure.set_phase(chair, d, "consolidation")
    amendments.accept(rapporteur, accepted)
    amendments.reject(rapporteur, rejected, "Every two years is the agreed rhythm.")
    consolidation.compromise(rapporteur, means, means.head_revision_id,
                             "Encourages [sustainable] urban planning that puts people first;", "Both ideas.",
                             [drawn_on.id])
    first = make_clause(d, rapporteur, "Calls upon cities to share data;", section=section)
    other = make_clause(d, rapporteur, "Calls upon cities to share code;", section=section)
    merged = consolidation.merge(rapporteur, d, [first.id, other.id], "Calls upon cities to share data and code;")
    consolidation.split(rapporteur, late, late.head_revision_id, before="every two years")
    consolidation.move(rapporteur, late, direction="up")
    consolidation.bracket(rapporteur, merged, merged.head_revision_id, quote="and code")
    alternative = consolidation.add_alternative(rapporteur, late, "Invites cities to report on progress;")
    consolidation.choose_alternative(rapporteur, alternative)
    consolidation.withdraw(chair, merged, "Covered by paragraph 1.")
    consolidation.restore(chair, merged)
    clauses.save_edit(rapporteur, merged, merged.head_revision_id, "Calls upon cities to share data and code;")
    clauses.save_edit(rapporteur, means, means.head_revision_id,
                      "Encourages sustainable urban planning that puts people first;")
    commit()
    make_ready(d, chair)
    procedure.start_silence(chair, d, 72)
    procedure.extend_silence(chair, d, 24, "Time for capitals.")
    procedure.cancel_silence(chair, d, "One more look.")
    procedure.start_silence(chair, d, 72)
    procedure.object_to(expert2, d, "Paragraph 1 needs another look.")
    make_ready(d, chair)
    procedure.adopt(chair, d)
    procedure.publish(chair, d, "public")
    procedure.lodge_reservation(expert, op, "We read paragraph 1 as voluntary.")
    commit()
    return d


# Strings of the event families that are not event types: a notification kind.
NOT_EVENTS = {"amendment.incorporated"}


@pytest.fixture
def other_server(tmp_path):
    """Another server: its own app and a fresh database whose ids are already taken by other rows."""
    folder = tmp_path / "other-server"
    folder.mkdir()
    app = create_app(for_tests(folder, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'other.sqlite3'}"))
    app.test_client_class = Client
    with app.app_context():
        db.create_all()
        filler = User(email="filler@example.org", name="Filler", password_hash=PASSWORD_HASH)
        meeting = Meeting(title="An earlier meeting")
        db.session.add_all([filler, meeting])
        db.session.flush()
        for title in ("An earlier document", "A second", "A third"):
            document = Document(meeting_id=meeting.id, title=title)
            db.session.add(document)
            db.session.flush()
        for n in range(7):
            section = Section(document_id=document.id, title=f"Section {n}", position=n)
            db.session.add(section)
            db.session.flush()
            for m in range(3):
                clause = Clause(document_id=document.id, section_id=section.id, kind="OP", category="principle")
                db.session.add(clause)
                db.session.flush()
                db.session.add(ClauseRevision(clause_id=clause.id, text="Filler;"))
                db.session.add(Comment(clause_id=clause.id, body="Filler.", author_id=filler.id))
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def export_archive(login, user, document):
    response = login(user).get(f"/documents/{document.id}/archive.json")
    assert response.status_code == 200
    return response.data


def import_on(server, chair_email, data):
    """Import the archive on the other server as its chair (the same person, by email); the new document's id."""
    with server.app_context():
        chair = User(email=chair_email, name="The Chair", password_hash=PASSWORD_HASH, organisation="Test University",
                     stakeholder_group="academia")  # the same person as on the old server
        meeting = Meeting(title="Expert group meeting", venue="Geneva", starts_on="2016-07-21")  # as on the old one
        db.session.add_all([chair, meeting])
        db.session.flush()
        db.session.add(Membership(meeting_id=meeting.id, user_id=chair.id, role="chair"))
        db.session.commit()
        client = signed_in(server, chair)
        preview = client.post(f"/api/v1/meetings/{meeting.id}/documents/import?preview=1", data=data)
        assert preview.status_code == 200 and preview.get_json()["report"]["counts"]["comments"] == len(
            json.loads(data).get("comments", []))
        response = client.post(f"/api/v1/meetings/{meeting.id}/documents/import", data=data)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]


def signed_in(server, user):
    client = server.test_client()
    with client.session_transaction() as session:
        session.update(signed_in_session(user))
    return client


def clause_places(document_id):
    """{clause id: its place in the archive} (clauses in id order, as the archive lists them)."""
    ids = db.session.execute(db.select(Clause.id).filter_by(document_id=document_id).order_by(Clause.id)).scalars()
    return {clause_id: place for place, clause_id in enumerate(ids)}


def threads_of(document_id):
    """Every thread as a reader sees it, clauses by place: who said what, on which words, resolved or not."""
    from drafting.services import comments

    def email(user_id):
        return db.session.get(User, user_id).email if user_id else None

    places, shown = clause_places(document_id), []
    for clause_id, place in places.items():
        clause = db.session.get(Clause, clause_id)
        for thread in comments.threads(clause, all_of_clause=True):
            c = thread.comment
            amendment = db.session.get(Amendment, c.amendment_id) if c.amendment_id else None
            location = thread.location
            shown.append({
                "paragraph": place, "marker": c.marker, "author": email(c.author_id), "body": c.body,
                "html": str(c.html), "quote": c.quote, "created_at": c.created_at,
                "anchored": (location.state, location.start, location.end) if location else None,
                "words": clause.head.text[location.start:location.end] if location and location.anchored else None,
                "resolved": (c.resolved_at, email(c.resolved_by_id)), "edited": c.edited_at, "deleted": c.deleted_at,
                "amendment": amendment.number if amendment else None,
                "replies": [(r.marker, email(r.author_id), r.body, r.created_at) for r in thread.replies]})
    return shown


def activity_links(client, document_id):
    """The activity page's links, each as (paragraph place, link words)."""
    places = clause_places(document_id)
    html = client.get(f"/documents/{document_id}/activity").get_data(as_text=True)
    links = re.findall(r'<a href="/clauses/(\d+)(#amendment-\d+)?">([^<]*)</a>', html)
    assert links
    amendments = {a.id: a.number for a in db.session.execute(db.select(Amendment)).scalars()}
    return [(places[int(clause)], amendments[int(anchor.split("-")[1])] if anchor else None, words)
            for clause, anchor, words in links]


def test_an_archive_imported_on_another_server_shows_the_same_threads_on_the_same_words(
        world, login, make_clause, other_server):
    d = rich_document(world, make_clause)
    data = export_archive(login, world.chair, d)
    archive = json.loads(data)
    assert len(archive["comments"]) == 5 and {c["parent"] for c in archive["comments"]} == {None, 0}
    before = threads_of(d.id)
    assert [t["words"] for t in before if t["quote"]] == ["open data", "open code"]
    outcome = login(world.chair).get(f"/documents/{d.id}/outcome.md").get_data(as_text=True)
    akoma_ntoso = login(world.chair).get(f"/documents/{d.id}/outcome.xml").data
    links = activity_links(login(world.chair), d.id)
    old_clause_ids = set(clause_places(d.id))

    new_id = import_on(other_server, world.chair.email, data)
    with other_server.app_context():
        assert new_id != d.id and set(clause_places(new_id)).isdisjoint(old_clause_ids)
        assert threads_of(new_id) == before
        client = signed_in(other_server, db.session.execute(
            db.select(User).filter_by(email=world.chair.email)).scalar_one())
        assert client.get(f"/documents/{new_id}/outcome.md").get_data(as_text=True) == outcome
        assert client.get(f"/documents/{new_id}/outcome.xml").data == akoma_ntoso
        assert activity_links(client, new_id) == links
        op = next(c for c in db.session.execute(db.select(Clause).filter_by(document_id=new_id)).scalars()
                  if c.head.text.startswith("Recommends"))
        page = client.get(f"/clauses/{op.id}").get_data(as_text=True)
        thread = db.session.execute(db.select(Comment).filter_by(clause_id=op.id, marker=1)).scalar_one()
        assert re.search(r'<mark class="anchor"[^>]*>open data</mark><sup class="anchor-ref">'
                         rf'<a href="#comment-{thread.id}"[^>]*>\[1\]</a>', page)
        assert "Budgets first" in page
        # the thread names its words by the clause's marker, not by the new server's id
        assert "On the marked words [1]</span>" in page and f"[{thread.id}]</span>" not in page
        again = json.loads(client.get(f"/documents/{new_id}/archive.json").data)
    # archive -> import -> archive: the same archive, the import's own event aside
    imported = [e for e in again["events"] if e["type"] == "document.imported"]
    assert len(imported) == 1 and imported[0]["payload"]["comments"] == 5
    assert {**again, "events": again["events"][:-1]} == archive


def test_every_id_in_the_imported_log_names_a_row_of_the_new_document(world, login, make_clause, other_server):
    d = rich_document(world, make_clause)
    data = export_archive(login, world.chair, d)
    new_id = import_on(other_server, world.chair.email, data)
    with other_server.app_context():
        log = db.session.execute(db.select(Event).filter_by(document_id=new_id).order_by(Event.seq)).scalars().all()
        assert event_types_in_the_code() - NOT_EVENTS <= {e.type for e in log}
        checked = 0
        for event in log:
            kinds = archive_format.payload_kinds(event.type)
            for key, value in event.payload.items():
                if key in archive_format.NUMBERING_KEYS:
                    sections = [section for section, _ in value["order"]]
                    clauses = [c for _, ids in value["order"] for c in ids] + [int(c) for c in value["numbers"]]
                    checked += names_rows(new_id, "section", sections) + names_rows(new_id, "clause", clauses)
                elif key in archive_format.CLAUSE_KEYED:
                    checked += names_rows(new_id, "clause", [int(c) for c in value])
                elif archive_format.looks_like_id(key):
                    assert key in kinds, f"{event.type}: the payload key {key} is not in archive.PAYLOAD_IDS"
                    values = value if isinstance(value, list) else [value]
                    if kinds[key] == "person":
                        assert all(db.session.get(User, v) for v in values if v is not None)
                    else:
                        checked += names_rows(new_id, kinds[key], [v for v in values if v is not None])
        assert checked > 200
    # nothing was dropped on the way: every id the old log named, the new one names too
    old = db.session.execute(db.select(Event).filter_by(document_id=d.id).order_by(Event.seq)).scalars().all()
    with other_server.app_context():
        new = db.session.execute(db.select(Event).filter_by(document_id=new_id).order_by(Event.seq)).scalars().all()
        for before, after in zip(old, new):
            named = {k for k, v in before.payload.items() if archive_format.looks_like_id(k) and v not in (None, [])}
            assert named == {k for k, v in after.payload.items()
                             if archive_format.looks_like_id(k) and v not in (None, [])}, before.type


def names_rows(document_id, kind, ids):
    model, document_of = ROWS[kind]
    for row_id in ids:
        row = db.session.get(model, row_id)
        assert row is not None and document_of(row) == document_id, f"{kind} {row_id} is not of the new document"
    return len(ids)


def test_an_id_the_archive_does_not_know_is_dropped_not_carried_over():
    payload = {"clause_id": 3, "mystery_id": 7, "merged_ids": [3, 9], "numbering": {
        "order": [[1, [3, 9]], [8, [4]]], "numbers": {"3": "1", "9": "2"}, "alt": {}}, "text": "words"}
    places = {"clause": {3: 0, 4: 1}, "section": {1: 0}}
    out = archive_format.translate_payload("clause.merged", payload, lambda kind, v: places[kind].get(v))
    assert out == {"clause_id": 0, "mystery_id": None, "merged_ids": [0], "numbering": {
        "order": [[0, [0]]], "numbers": {"0": "1"}, "alt": {}}, "text": "words"}


def test_an_archive_of_format_1_comes_in_without_the_old_servers_ids(world, login, make_clause, other_server):
    archive = json.loads(export_archive(login, world.chair, world.document))
    archive["format"] = "drafting-room-archive/1"
    new_id = import_on(other_server, world.chair.email, json.dumps(archive).encode())
    with other_server.app_context():
        created = db.session.execute(db.select(Event).filter_by(document_id=new_id, type="clause.created")
                                     ).scalars().all()
        assert created and all(e.payload["clause_id"] is None and e.payload["text"] for e in created)


def test_the_html_in_an_archives_log_is_rendered_again_not_trusted(world, login, other_server):
    archive = json.loads(export_archive(login, world.chair, world.document))
    created = next(e for e in archive["events"] if e["type"] == "clause.created")
    created["payload"]["html"] = '<p onmouseover="alert(1)">x</p><script>alert(2)</script>'
    new_id = import_on(other_server, world.chair.email, json.dumps(archive).encode())
    with other_server.app_context():
        event = db.session.execute(db.select(Event).filter_by(document_id=new_id, seq=created["seq"])).scalar_one()
        assert event.payload["html"] == f"<p>{created['payload']['text']}</p>"
