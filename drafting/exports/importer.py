"""Start a document from a UN text: Markdown, text pasted from a PDF or Word, or a Word file.

`preview` reads and reports (counts per kind, every line not understood) and creates nothing;
`import_outcome` creates the document from the same reading in one flush, or nothing at all.
Imported paragraphs are proposed (bracketed where the source brackets them) unless the person
importing says the text is already agreed.
"""
from dataclasses import dataclass

from drafting.domain import limits
from drafting.domain.errors import TooLarge, ValidationError
from drafting.domain.rendering import render_markdown
from drafting.domain.vocabulary import ClauseStatus, Role
from drafting.exports import archive, docx_reader, reading
from drafting.extensions import db
from drafting.models import Clause, ClauseRevision, Section
from drafting.services import declarations, documents, events
from drafting.services.permissions import require_role

MAX_PARAGRAPHS = 1000
MAX_BYTES = 1024 * 1024
DOCUMENT_FIELDS = {  # meta key -> (Document column, length)
    "symbol": ("symbol", 100), "style": ("style", 20), "formula": ("formula", 300),
    "issuing_body": ("issuing_body", 200), "session": ("session", 200), "agenda_item": ("agenda_item", 200),
    "distribution": ("distribution", 20), "issued_on": ("issued_on", 10),
    "original_language": ("original_language", 40), "closing_meeting": ("closing_meeting", 200),
    "closing_date": ("closing_date", 10), "closing_place": ("closing_place", 200),
}


@dataclass
class Preview:
    kind: str  # markdown | text | docx
    document: reading.ReadDocument

    def as_dict(self):
        doc = self.document
        return {"format": self.kind, "title": doc.title,
                "metadata": {k: v for k, v in doc.meta.items() if k in DOCUMENT_FIELDS or k == "resolution_number"},
                "sections": len(doc.sections), "paragraphs": len(doc.paragraphs), **doc.report.as_dict()}


def decode(data):
    """The uploaded bytes as text, or a ValidationError saying the file is not UTF-8 text."""
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise TooLarge(f"The file is {len(data):,} bytes; the limit is {MAX_BYTES:,}.", field="file")
    if b"\x00" in data[:4096]:
        raise ValidationError("The file is neither text nor a Word document (.docx): it holds binary data.",
                              field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(f"The file is not valid UTF-8 text (byte {error.start} cannot be read). "
                              "Save it as UTF-8 and try again.", field="file")


def read_upload(data):
    """A Preview of the upload: a Word file by its signature, else Markdown or pasted text."""
    if isinstance(data, bytes) and docx_reader.is_docx(data):
        lines, kind = docx_reader.lines_of_docx(data), "docx"
    else:
        text = decode(data)
        if not text.strip():
            raise ValidationError("The text is empty: it has no paragraphs. Paste the document or choose a file.",
                                  field="file")
        lines = reading.lines_of_text(text)
        kind = "markdown" if any(line.text.startswith(("# ", "## ", "**")) for line in lines[:20]) else "text"
    if len(lines) > MAX_PARAGRAPHS * 3:
        raise TooLarge(f"The file has {len(lines):,} lines of text; the limit is {MAX_PARAGRAPHS * 3:,} "
                       f"(about {MAX_PARAGRAPHS:,} paragraphs).", field="file")
    document = reading.read(lines)
    if len(document.paragraphs) > MAX_PARAGRAPHS:
        raise TooLarge(f"The file has {len(document.paragraphs):,} paragraphs; the limit is {MAX_PARAGRAPHS:,}.",
                       field="file")
    return Preview(kind=kind, document=document)


def preview(actor, meeting, data):
    """What an import would create, without creating anything."""
    require_role(actor, meeting, Role.CHAIR)
    if isinstance(data, bytes) and archive.is_archive(data):
        loaded = archive.load(data)
        found = reading.ReadDocument(title=loaded.get("document", {}).get("title", ""))
        found.report.counts = {key: len(loaded.get(key, [])) for key in (
            "sections", "clauses", "revisions", "amendments", "votes", "declarations", "reservations",
            "comments", "versions", "events", "people")}
        return Preview(kind="archive", document=found)
    return read_upload(data)


def import_outcome(actor, meeting, data, title="", agreed=False):
    """A new document in the meeting from the upload; (document, preview). An archive comes back whole."""
    require_role(actor, meeting, Role.CHAIR)
    if isinstance(data, bytes) and archive.is_archive(data):
        document = archive.import_archive(actor, meeting, data)
        return document, Preview(kind="archive", document=reading.ReadDocument(title=document.title))
    result = read_upload(data)
    parsed = result.document
    if not parsed.paragraphs:
        raise ValidationError("The file has no paragraphs: write each paragraph as a block of text "
                              "separated by a blank line, or opening with its number.", field="file")
    title = limits.text(title or parsed.title or "Imported outcome document", "Title", limits.TITLE)
    document = documents.create_document(actor, meeting, title, parsed.meta.get("symbol", "")[:100], sections=())
    for key, (column, length) in DOCUMENT_FIELDS.items():
        if key in parsed.meta and key != "symbol":
            setattr(document, column, limits.text(parsed.meta[key], key, length, required=False))
    if document.style not in ("resolution", "declaration"):
        raise ValidationError("The style is resolution or declaration.", field="style")
    used = sorted({p.section for p in parsed.paragraphs} | {i for i, s in enumerate(parsed.sections)
                                                           if s.kind == "custom" and s.title})
    created = {}
    for position, index in enumerate(used, 1):
        s = parsed.sections[index]
        section = Section(document=document, title=s.title[:300], kind=s.kind, level=s.level, annex=s.annex[:40],
                          style=s.style, number_from=s.number_from, position=position)
        db.session.add(section)
        db.session.flush()
        events.append(document, "section.created", actor, {"section_id": section.id, "title": section.title,
                                                             "position": position, "level": section.level,
                                                             "annex": section.annex})
        created[index] = section
    main = None
    agreed_clauses = []
    for position, paragraph in enumerate(parsed.paragraphs, 1):
        # Clauses are written here rather than one by one through documents.add_clause, whose event
        # names each new paragraph by numbering the whole document again: the import is one event.
        text = limits.text(paragraph.text, "Clause text", limits.CLAUSE_TEXT, too_large=True)
        clause = Clause(document_id=document.id, section_id=created[paragraph.section].id, kind=paragraph.kind,
                        category="recommendation" if paragraph.kind == "OP" else "principle", position=position,
                        created_by_id=actor.id, inserted_late=paragraph.late,
                        status=(ClauseStatus.BRACKETED if paragraph.bracketed else ClauseStatus.PROPOSED).value)
        if paragraph.alternative and main is not None:
            clause.alternative_of_id = main.id
        db.session.add(clause)
        db.session.flush()
        if not paragraph.alternative or main is None:
            main = clause
        revision = ClauseRevision(clause_id=clause.id, number=1, text=text, html=render_markdown(text),
                                  author_id=actor.id)
        db.session.add(revision)
        db.session.flush()
        clause.head_revision_id = revision.id
        if agreed and not paragraph.bracketed:
            agreed_clauses.append(clause)
    db.session.flush()
    for clause in agreed_clauses:
        declarations.declare(actor, clause, ClauseStatus.AGREED.value)
    db.session.flush()
    events.append(document, "document.imported", actor, {
        "paragraphs": len(parsed.paragraphs), "format": result.kind, "agreed": bool(agreed),
        "counts": {k: v for k, v in parsed.report.counts.items() if isinstance(v, int)},
        "not_understood": len(parsed.report.not_understood)})
    return document, result
