"""Importing a UN text: the New Urban Agenda's shape (a resolution, an annex of 175 paragraphs with
headings and sub-paragraphs) as Markdown and as a Word file, each read, previewed and created."""
import re
import tempfile
import time
from pathlib import Path

from werkzeug.security import generate_password_hash

from bench import sign_in

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "un" / "a-res-71-256-excerpt.md"
TARGET = 2.0
ANNEX_PARAGRAPHS = 175


def nua_markdown():
    """The real excerpt's resolution, and its annex paragraphs repeated to the annex's full length."""
    text = FIXTURE.read_text()
    head, annex = text.split("# Annex", 1)
    blocks = [b for b in annex.split("\n\n") if b.strip()]
    paragraphs = []  # (heading or None, text, sub-paragraphs)
    for block in blocks:
        if block.startswith("#"):
            paragraphs.append((block, None))
        elif re.match(r"^\d+\. ", block):
            paragraphs.append((None, re.sub(r"^\d+\. ", "", block)))
        elif paragraphs and paragraphs[-1][1] is not None:
            heading, body = paragraphs[-1]
            paragraphs[-1] = (heading, body + "\n\n" + block)
    out, number, index = [head.rstrip(), "", "# Annex", ""], 0, 0
    while number < ANNEX_PARAGRAPHS:
        heading, body = paragraphs[index % len(paragraphs)]
        index += 1
        if heading:
            out += [heading, ""]
            continue
        number += 1
        out += [f"{number}. {body}", ""]
    return "\n".join(out)


def run():
    from drafting import create_app
    from drafting.boundary import commit
    from drafting.config import for_tests
    from drafting.extensions import db
    from drafting.models import Membership, User
    from drafting.services import meetings

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(for_tests(tmp, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3"))
        with app.app_context():
            db.create_all()
            from drafting.exports import importer

            admin = User(email="admin@bench.org", name="Admin", password_hash=generate_password_hash("x" * 8),
                         is_admin=True)
            db.session.add(admin)
            db.session.flush()
            meeting = meetings.create_meeting(admin, "Habitat III", venue="Quito", starts_on="2016-10-20")
            db.session.add(Membership(meeting_id=meeting.id, user_id=admin.id, role="chair"))
            commit()
            markdown = nua_markdown().encode()
            document, report = importer.import_outcome(admin, meeting, markdown)  # warm up, and the Word file
            commit()
            client = app.test_client()
            sign_in(client, admin)
            word = client.get(f"/documents/{document.id}/outcome.docx").data
            paragraphs = len(report.document.paragraphs)
            for name, data in (("Markdown", markdown), ("DOCX", word)):
                started = time.perf_counter()
                document, report = importer.import_outcome(admin, meeting, data)
                commit()
                seconds = time.perf_counter() - started
                assert len(report.document.paragraphs) == paragraphs, (name, len(report.document.paragraphs))
                rows.append({"benchmark": f"import, resolution + annex of {ANNEX_PARAGRAPHS} paragraphs",
                             "measure": f"{name}, read and created (s)", "value": f"{seconds:.2f}",
                             "target": f"<= {TARGET:.0f}", "ok": "yes" if seconds <= TARGET else "no"})
            db.session.remove()
            db.engine.dispose()
    return rows
