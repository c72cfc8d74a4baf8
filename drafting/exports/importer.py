"""Start a document from an outcome text in Markdown, as the Markdown export writes it."""
from drafting.domain import limits
from drafting.domain.errors import TooLarge, ValidationError
from drafting.domain.vocabulary import ClauseStatus, Role
from drafting.exports import markdown
from drafting.extensions import db
from drafting.services import documents, events
from drafting.services.permissions import require_role

MAX_PARAGRAPHS = 1000
MAX_BYTES = 1024 * 1024


def decode(data):
    """The uploaded bytes as text, or a ValidationError saying the file is not UTF-8."""
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise TooLarge(f"The file is {len(data):,} bytes; the limit is {MAX_BYTES:,}.", field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(f"The file is not valid UTF-8 text (byte {error.start} cannot be read). "
                              "Save it as UTF-8 and try again.", field="file")


def import_outcome(actor, meeting, data, title=""):
    """A new document in the meeting from outcome Markdown; unbracketed paragraphs count as agreed."""
    require_role(actor, meeting, Role.CHAIR)
    text = decode(data)
    try:
        parsed = markdown.parse(text)
    except ValueError as error:
        raise ValidationError(str(error), field="file")
    if len(parsed.paragraphs) > MAX_PARAGRAPHS:
        raise TooLarge(f"The file has {len(parsed.paragraphs):,} paragraphs; the limit is {MAX_PARAGRAPHS:,}.",
                       field="file")
    title = limits.text(title or parsed.title or "Imported outcome document", "Title", limits.TITLE)
    symbol = limits.text(parsed.symbol, "Symbol", 100, required=False)
    document = documents.create_document(actor, meeting, title, symbol, sections=parsed.sections)
    sections = {s.title: s for s in document.sections}
    main = None
    for paragraph in parsed.paragraphs:
        clause = documents.add_clause(
            actor, document, sections[paragraph.section].id, paragraph.kind,
            "recommendation" if paragraph.kind == "OP" else "principle", paragraph.text)
        clause.status = (ClauseStatus.BRACKETED if paragraph.bracketed else ClauseStatus.AGREED).value
        clause.inserted_late = paragraph.late
        if paragraph.alternative and main is not None:
            clause.alternative_of_id = main.id
        else:
            main = clause
    db.session.flush()
    events.append(document, "document.imported", actor, {"paragraphs": len(parsed.paragraphs)})
    return document
