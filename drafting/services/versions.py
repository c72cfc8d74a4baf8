"""Named versions of a document (Zero draft, Rev.1, …) and the comparison of any two."""
from sqlalchemy.exc import IntegrityError

from drafting.domain import limits
from drafting.domain.diffing import Entry, compare
from drafting.domain.errors import Conflict, ValidationError
from drafting.domain.vocabulary import Role
from drafting.extensions import db
from drafting.models import ClauseRevision, Version, VersionEntry
from drafting.services import documents, events
from drafting.services.permissions import require_role

LABEL = 100
CURRENT = "current"  # compare against the draft as it stands now


def versions_of(document):
    """The document's versions, oldest first."""
    return db.session.execute(
        db.select(Version).filter_by(document_id=document.id).order_by(Version.created_at, Version.id)
    ).scalars().all()


def snapshot(actor, document, label):
    """Record every clause's current revision, place, number and status under a label."""
    require_role(actor, document.meeting, Role.RAPPORTEUR)
    label = limits.text(label, "Label", LABEL)
    if _labelled(document, label):
        raise Conflict(f"There is already a version labelled “{label}”: choose another label.",
                       field="label")
    version = Version(document_id=document.id, label=label, created_by_id=actor.id)
    order = 0
    for row in documents.outline(document):
        for clause_row in row.clauses:
            order += 1
            version.entries.append(VersionEntry(
                clause_id=clause_row.clause.id, revision_id=clause_row.clause.head_revision_id,
                section_title=row.section.title, order=order, number=clause_row.number,
                status=clause_row.clause.status))
    db.session.add(version)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Someone saved the same label between our check and our insert.
        raise Conflict(f"There is already a version labelled “{label}”: choose another label.",
                       field="label") from None
    events.append(document, "version.created", actor,
                  {"version_id": version.id, "label": label, "clauses": order})
    return version


def _labelled(document, label):
    return db.session.execute(
        db.select(Version.id).filter_by(document_id=document.id, label=label)).first() is not None


def find(document, reference, field):
    """A version of this document by id, or CURRENT; a clear 422 for anything else."""
    if reference in (None, ""):
        raise ValidationError(f"Say which version to compare: {field}=<version id> or {field}=current.",
                              field=field)
    if reference == CURRENT:
        return CURRENT
    version_id = limits.identifier(reference, field)
    version = db.session.get(Version, version_id)
    if version is None or version.document_id != document.id:
        raise ValidationError(f"Version {version_id} is not a version of this document.", field=field)
    return version


def entries(document, version):
    """The clauses of a version (or of the current draft) as comparison entries, in order."""
    if version == CURRENT:
        result, order = [], 0
        for row in documents.outline(document):
            for clause_row in row.clauses:
                order += 1
                revision = clause_row.revision
                result.append(Entry(clause_row.clause.id, order, row.section.title, clause_row.number,
                                    clause_row.clause.status, revision.text if revision else "",
                                    revision.id if revision else None))
        return result
    rows = db.session.execute(
        db.select(VersionEntry, ClauseRevision.text)
        .outerjoin(ClauseRevision, ClauseRevision.id == VersionEntry.revision_id)
        .where(VersionEntry.version_id == version.id).order_by(VersionEntry.order)
    ).all()
    return [Entry(e.clause_id, e.order, e.section_title, e.number, e.status, text or "", e.revision_id)
            for e, text in rows]


def label_of(version):
    return "Current draft" if version == CURRENT else version.label


def comparison(document, from_reference, to_reference):
    """(from, to, rows): every clause of either version, aligned by identity, with what changed."""
    earlier = find(document, from_reference, "from")
    later = find(document, to_reference, "to")
    return earlier, later, compare(entries(document, earlier), entries(document, later))
