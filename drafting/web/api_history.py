"""API routes for history: track changes, authorship, named versions and their comparison."""
from flask import jsonify, request
from flask_login import current_user

from drafting.services import documents, history, versions
from drafting.web import serialize
from drafting.web.api import body, bp, created
from drafting.web.openapi import ID, obj, register_operation


def _span(span):
    return {"op": span.op.value, "text": span.text}


def _version(version):
    return {"id": version.id, "label": version.label, "created_at": serialize.iso(version.created_at),
            "created_by": serialize.user_ref(version.created_by), "clauses": len(version.entries)}


def _entry(entry):
    if entry is None:
        return None
    return {"number": entry.number, "section": entry.section, "order": entry.order,
            "status": entry.status, "revision_id": entry.revision_id, "text": entry.text}


@bp.get("/clauses/<int:clause_id>/diff")
def clause_diff(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    earlier, later, spans = history.changes(clause, request.args.get("from"), request.args.get("to"))
    return jsonify({"clause_id": clause.id,
                    "from": serialize.revision(earlier) if earlier else None,
                    "to": serialize.revision(later),
                    "unchanged": all(s.op == "equal" for s in spans),
                    "spans": [_span(s) for s in spans]})


@bp.get("/clauses/<int:clause_id>/authorship")
def clause_authorship(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    spans, legend = history.authorship(clause)
    return jsonify({
        "clause_id": clause.id, "revision_id": clause.head_revision_id,
        "authors": [{"id": a.key or None, "name": a.name, "initials": a.initials,
                     "characters": a.characters} for a in legend],
        "spans": [{"text": s.text, "revision_id": s.revision.id, "revision_number": s.revision.number,
                   "author": {"id": s.author.key or None, "name": s.author.name}} for s in spans],
    })


@bp.get("/documents/<int:document_id>/versions")
def list_versions(document_id):
    document = documents.get_document(current_user, document_id)
    return jsonify({"versions": [_version(v) for v in versions.versions_of(document)]})


@bp.post("/documents/<int:document_id>/versions")
def snapshot_version(document_id):
    document = documents.get_document(current_user, document_id)
    version = versions.snapshot(current_user, document, body().get("label"))
    return created(_version(version))


@bp.get("/documents/<int:document_id>/compare")
def compare_versions(document_id):
    document = documents.get_document(current_user, document_id)
    earlier, later, rows = versions.comparison(document, request.args.get("from"), request.args.get("to"))

    def reference(version):
        return {"id": None if version == versions.CURRENT else version.id, "label": versions.label_of(version)}

    return jsonify({
        "document_id": document.id, "from": reference(earlier), "to": reference(later),
        "clauses": [{"clause_id": r.clause_id, "changes": [c.value for c in r.changes],
                     "before": _entry(r.before), "after": _entry(r.after),
                     "spans": [_span(s) for s in r.spans]} for r in rows],
    })


VERSION_REF = {"oneOf": [ID, {"type": "string", "enum": [versions.CURRENT]}]}

register_operation("get", "/clauses/{clause_id}/diff",
                   "Track changes between two revisions (to defaults to the head, from to its parent)",
                   query=[{"name": "from", "in": "query", "schema": ID},
                          {"name": "to", "in": "query", "schema": ID}])
register_operation("get", "/clauses/{clause_id}/authorship",
                   "The current text in spans, each with the revision and person that introduced it")
register_operation("get", "/documents/{document_id}/versions", "The named versions of a document")
register_operation("post", "/documents/{document_id}/versions",
                   "Snapshot the document as a named version (rapporteur or chair)",
                   obj(["label"], label={"type": "string", "minLength": 1, "maxLength": versions.LABEL}),
                   201)
register_operation("get", "/documents/{document_id}/compare",
                   "Compare two versions (or a version and the current draft): clauses added, removed, "
                   "moved, renumbered or changed, with track changes",
                   query=[{"name": "from", "in": "query", "required": True, "schema": VERSION_REF},
                          {"name": "to", "in": "query", "required": True, "schema": VERSION_REF}])
