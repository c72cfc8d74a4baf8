"""Drafting checks on clauses: advice by UN editorial conventions, shown as one types, never blocking."""
from dataclasses import dataclass

from drafting.domain import editorial, limits
from drafting.domain.vocabulary import ClauseStatus, Role
from drafting.services import documents
from drafting.services.permissions import require_role

_GONE = (ClauseStatus.WITHDRAWN, ClauseStatus.MERGED)
TERMINOLOGY_LIMIT = 20_000


@dataclass
class ClauseAdvice:
    """A paragraph of the document with the advice on its current text."""

    row: object          # documents.ClauseRow
    findings: list


def terminology_of(meeting):
    return editorial.parse_terminology(meeting.terminology)


def set_terminology(actor, meeting, text):
    """The chair sets the meeting's terminology list (one "preferred = variant, variant" a line)."""
    require_role(actor, meeting, Role.CHAIR)
    meeting.terminology = limits.text(text, "terminology", TERMINOLOGY_LIMIT, required=False)
    return editorial.parse_terminology(meeting.terminology)


def _live_rows(document):
    return [row for section in documents.outline(document) for row in section.clauses
            if row.clause.status not in _GONE and row.revision is not None]


def _last_operative_id(rows):
    return editorial.last_operative((row.clause.id, row.clause.kind) for row in rows)


def check_text(clause, text):
    """The advice on `text` as the clause's new text, where the clause stands in its document."""
    last = _last_operative_id(_live_rows(clause.document)) == clause.id
    return editorial.check_paragraph(text, clause.kind, last=last, terminology=terminology_of(clause.document.meeting))


def document_advice(document):
    """Every paragraph with advice on its current text, in document order.

    The chair's adoption checklist lists these as warnings: they never prevent adoption.
    """
    rows = _live_rows(document)
    last = _last_operative_id(rows)
    terms = terminology_of(document.meeting)
    advice = []
    for row in rows:
        findings = editorial.check_paragraph(row.revision.text, row.clause.kind, last=row.clause.id == last,
                                             terminology=terms)
        if findings:
            advice.append(ClauseAdvice(row, findings))
    return advice


def advice_by_clause(document):
    return {item.row.clause.id: item.findings for item in document_advice(document)}
