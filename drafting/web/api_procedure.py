"""API endpoints for the procedure, the rapporteur tools and importing an outcome text.

They hang on the /api/v1 blueprint, so they share its token authentication and error answers.
"""
from flask import jsonify, request
from flask_login import current_user

from drafting.exports import importer
from drafting.services import consolidation, documents, meetings, procedure, selection
from drafting.web import serialize
from drafting.web.api import body, bp, created
from drafting.web.openapi import ID, TEXT, obj, register_operation

REASON = {"type": "string", "minLength": 1, "maxLength": 10000}


def procedure_json(document):
    return {
        "id": document.id, "phase": document.phase, "visibility": document.visibility,
        "silence_started_at": serialize.iso(document.silence_started_at),
        "silence_deadline": serialize.iso(document.silence_deadline),
        "adopted_at": serialize.iso(document.adopted_at), "published_at": serialize.iso(document.published_at),
        "objections": [{"id": o.id, "user": serialize.user_ref(o.user), "text": o.text,
                        "created_at": serialize.iso(o.created_at)} for o in procedure.objections(document)],
        "silence_deadline_local": procedure.deadline_words(document) if document.silence_deadline else None,
        "time_zone": document.meeting.time_zone,
        "blockers": [o.as_dict() for o in procedure.readiness(document)],
        "reservations": [{"id": r.id, "clause_id": r.clause_id, "user": serialize.user_ref(r.user), "kind": r.kind,
                          "text": r.text, "created_at": serialize.iso(r.created_at)}
                         for r in procedure.reservations(document)],
    }


def _clause_json(clause):
    return serialize.clause(documents.numbered(clause))


@bp.get("/documents/<int:document_id>/procedure")
def get_procedure(document_id):
    return jsonify(procedure_json(_document(document_id)))


def _document(document_id):
    return documents.get_document(current_user, document_id)


def _clause(clause_id):
    return documents.get_clause(current_user, clause_id)


@bp.post("/documents/<int:document_id>/silence")
def start_silence(document_id):
    document = _document(document_id)
    procedure.start_silence(current_user, document, body().get("hours"))
    return jsonify(procedure_json(document))


@bp.post("/documents/<int:document_id>/objections")
def object_to(document_id):
    document = _document(document_id)
    objection = procedure.object_to(current_user, document, body().get("text"))
    return created({"id": objection.id, "text": objection.text, "phase": document.phase})


@bp.post("/documents/<int:document_id>/adopt")
def adopt(document_id):
    document = _document(document_id)
    procedure.adopt(current_user, document)
    return jsonify(procedure_json(document))


@bp.post("/documents/<int:document_id>/publish")
def publish(document_id):
    document = _document(document_id)
    procedure.publish(current_user, document, body().get("visibility"))
    return jsonify(procedure_json(document))


@bp.post("/documents/<int:document_id>/renumber")
def renumber(document_id):
    document = _document(document_id)
    changes = consolidation.renumber(current_user, document)
    return jsonify({"changes": changes})


@bp.post("/documents/<int:document_id>/merge")
def merge(document_id):
    document = _document(document_id)
    data = body()
    clause = consolidation.merge(current_user, document, data.get("clause_ids"), data.get("text"),
                                 data.get("rationale", ""))
    return created(_clause_json(clause))


@bp.post("/clauses/<int:clause_id>/compromise")
def compromise(clause_id):
    clause, data = _clause(clause_id), body()
    revision = consolidation.compromise(current_user, clause, data.get("base_revision_id"), data.get("text"),
                                        data.get("rationale"), data.get("amendment_ids"))
    return created(serialize.revision(revision))


@bp.post("/clauses/<int:clause_id>/split")
def split(clause_id):
    clause, data = _clause(clause_id), body()
    new = consolidation.split(current_user, clause, data.get("base_revision_id"), at=data.get("at"),
                              before=data.get("before"), rationale=data.get("rationale", ""))
    return created({"clause": _clause_json(clause), "new_clause": _clause_json(new)})


@bp.post("/clauses/<int:clause_id>/move")
def move(clause_id):
    clause, data = _clause(clause_id), body()
    consolidation.move(current_user, clause, direction=data.get("direction"), section_id=data.get("section_id"),
                       index=data.get("index"))
    return jsonify(dict(_clause_json(clause), numbering=documents.numbering(clause.document)))


@bp.post("/clauses/<int:clause_id>/selection/preview")
def selection_preview(clause_id):
    clause = _clause(clause_id)
    return jsonify(selection.preview(current_user, clause, body()))


@bp.post("/clauses/<int:clause_id>/selection/apply")
def selection_apply(clause_id):
    clause = _clause(clause_id)
    changed, new = selection.apply(current_user, clause, body())
    return jsonify({"clause": _clause_json(changed), "new_clause": _clause_json(new) if new else None,
                    "numbering": documents.numbering(clause.document)})


@bp.post("/documents/<int:document_id>/merge/preview")
def merge_preview(document_id):
    document, data = _document(document_id), body()
    return jsonify(selection.merge_preview(current_user, document, data.get("clause_ids"), data.get("text")))


@bp.post("/clauses/<int:clause_id>/bracket")
def bracket(clause_id):
    clause, data = _clause(clause_id), body()
    consolidation.bracket(current_user, clause, data.get("base_revision_id"), start=data.get("start"),
                          end=data.get("end"), quote=data.get("quote"))
    return jsonify(_clause_json(clause))


@bp.post("/clauses/<int:clause_id>/alternatives")
def add_alternative(clause_id):
    clause, data = _clause(clause_id), body()
    alternative = consolidation.add_alternative(current_user, clause, data.get("text"), data.get("rationale", ""))
    return created(_clause_json(alternative))


@bp.post("/clauses/<int:clause_id>/choose")
def choose(clause_id):
    clause = _clause(clause_id)
    consolidation.choose_alternative(current_user, clause)
    return jsonify(_clause_json(clause))


@bp.post("/clauses/<int:clause_id>/reservations")
def reserve(clause_id):
    clause, data = _clause(clause_id), body()
    reservation = procedure.lodge_reservation(current_user, clause, data.get("text"), data.get("kind", "reservation"))
    return created({"id": reservation.id, "clause_id": clause.id, "kind": reservation.kind,
                    "text": reservation.text})


@bp.put("/meetings/<int:meeting_id>/settings")
def meeting_settings(meeting_id):
    meeting, data = meetings.get_meeting(current_user, meeting_id), body()
    meetings.set_settings(current_user, meeting, observers_follow_drafts=data.get("observers_follow_drafts"),
                          time_zone=data.get("time_zone"))
    return jsonify({"id": meeting.id, "observers_follow_drafts": meeting.observers_follow_drafts,
                    "time_zone": meeting.time_zone})


@bp.post("/clauses/<int:clause_id>/withdraw")
def withdraw(clause_id):
    clause = _clause(clause_id)
    consolidation.withdraw(current_user, clause, body().get("reason"))
    return jsonify(_clause_json(clause))


@bp.post("/clauses/<int:clause_id>/restore")
def restore(clause_id):
    clause = _clause(clause_id)
    consolidation.restore(current_user, clause)
    return jsonify(_clause_json(clause))


@bp.put("/sections/<int:section_id>")
def rename_section(section_id):
    section = documents.get_section(current_user, section_id)
    documents.rename_section(current_user, section, body().get("title"))
    return jsonify({"id": section.id, "title": section.title, "position": section.position})


@bp.post("/sections/<int:section_id>/move")
def move_section(section_id):
    section = documents.get_section(current_user, section_id)
    documents.move_section(current_user, section, body().get("direction"))
    return jsonify({"id": section.id, "title": section.title, "position": section.position})


@bp.post("/documents/<int:document_id>/silence/extend")
def extend_silence(document_id):
    document, data = _document(document_id), body()
    procedure.extend_silence(current_user, document, data.get("hours"), data.get("reason", ""))
    return jsonify(procedure_json(document))


@bp.post("/documents/<int:document_id>/silence/cancel")
def cancel_silence(document_id):
    document = _document(document_id)
    procedure.cancel_silence(current_user, document, body().get("reason", ""))
    return jsonify(procedure_json(document))


@bp.post("/meetings/<int:meeting_id>/documents/import")
def import_document(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    upload = request.files.get("file")
    data = upload.read(importer.docx_reader.MAX_BYTES + 1) if upload else request.get_data()
    if request.args.get("preview") in ("1", "true", "yes"):
        return jsonify({"report": importer.preview(current_user, meeting, data).as_dict()})
    document, report = importer.import_outcome(current_user, meeting, data, request.args.get("title", ""),
                                               agreed=request.args.get("agreed") in ("1", "true", "yes"))
    return created({**serialize.document(document, documents.outline(document)), "report": report.as_dict()})


SPAN = {"type": "integer", "minimum": 0}
SELECTION = obj(["action", "base_revision_id"],
                action={"type": "string", "enum": list(selection.ACTIONS)}, base_revision_id=ID,
                quote={"type": "string", "maxLength": 5000}, occurrence=SPAN, start=SPAN, end=SPAN,
                text=TEXT, rationale={"type": "string", "maxLength": 5000},
                amendment_ids={"type": "array", "items": ID, "minItems": 1})
for _operation in [
    ("get", "/documents/{document_id}/procedure", "Phase, silence deadline, objections, reservations", None, 200),
    ("post", "/documents/{document_id}/silence", "Start the silence procedure (chair); default 72 hours",
     obj([], hours={"type": "integer", "minimum": 1, "maximum": 720}), 200),
    ("post", "/documents/{document_id}/objections", "Break silence with a written objection (expert)",
     obj(["text"], text=REASON), 201),
    ("post", "/documents/{document_id}/adopt", "Adopt in session from consolidation (chair)", None, 200),
    ("post", "/documents/{document_id}/publish", "Publish the adopted document (chair)",
     obj(["visibility"], visibility={"type": "string", "enum": ["public", "members"]}), 200),
    ("post", "/documents/{document_id}/renumber", "Final renumbering: bis/ter disappear (chair)", None, 200),
    ("post", "/documents/{document_id}/merge", "Merge clauses into a new one (rapporteur)",
     obj(["clause_ids"], clause_ids={"type": "array", "items": ID, "minItems": 2}, text=TEXT,
         rationale={"type": "string", "maxLength": 5000}), 201),
    ("post", "/clauses/{clause_id}/compromise", "Compromise text drawing on amendments (rapporteur)",
     obj(["base_revision_id", "text", "rationale", "amendment_ids"], base_revision_id=ID, text=TEXT,
         rationale={"type": "string", "minLength": 1, "maxLength": 5000},
         amendment_ids={"type": "array", "items": ID, "minItems": 1}), 201),
    ("post", "/clauses/{clause_id}/split", "Split a clause at a position or before quoted words (rapporteur)",
     obj(["base_revision_id"], base_revision_id=ID, at=SPAN, before={"type": "string"}), 201),
    ("post", "/clauses/{clause_id}/move",
     "Move a clause up, down, or into a section at an index among its other clauses (rapporteur); "
     "the answer carries the new numbering",
     obj([], direction={"type": "string", "enum": ["up", "down"]}, section_id=ID, index=SPAN), 200),
    ("post", "/clauses/{clause_id}/selection/preview",
     "Preview as track changes what bracketing, splitting at, rewording as an alternative or a compromise "
     "would make of selected words (rapporteur, consolidation); stores nothing",
     SELECTION, 200),
    ("post", "/clauses/{clause_id}/selection/apply", "Apply what the selection preview showed (rapporteur)",
     SELECTION, 200),
    ("post", "/documents/{document_id}/merge/preview", "Preview merging clauses as track changes (rapporteur)",
     obj(["clause_ids"], clause_ids={"type": "array", "items": ID, "minItems": 2}, text=TEXT), 200),
    ("post", "/clauses/{clause_id}/bracket", "Bracket a span (start/end or quote) or the whole clause",
     obj([], base_revision_id=ID, start=SPAN, end=SPAN, quote={"type": "string"}), 200),
    ("post", "/clauses/{clause_id}/alternatives", "Add an alternative wording (rapporteur)",
     obj(["text"], text=TEXT, rationale={"type": "string", "maxLength": 5000}), 201),
    ("post", "/clauses/{clause_id}/choose", "Keep this alternative, withdraw the others (rapporteur)", None, 200),
    ("post", "/clauses/{clause_id}/reservations", "Lodge a reservation on an adopted paragraph (expert)",
     obj(["text"], text=REASON, kind={"type": "string", "enum": ["reservation", "interpretive"]}), 201),
    ("put", "/meetings/{meeting_id}/settings", "Meeting settings (chair): observers follow the drafts, time zone",
     obj([], observers_follow_drafts={"type": "boolean"}, time_zone={"type": "string", "maxLength": 64}), 200),
    ("post", "/clauses/{clause_id}/withdraw",
     "Withdraw a clause with a reason (its author before any declaration, a rapporteur, the chair)",
     obj(["reason"], reason=REASON), 200),
    ("post", "/clauses/{clause_id}/restore", "Restore a withdrawn clause (chair, until adoption)", None, 200),
    ("put", "/sections/{section_id}", "Rename a section (chair)", obj(["title"], title=TEXT), 200),
    ("post", "/sections/{section_id}/move", "Move a section up or down (chair)",
     obj(["direction"], direction={"type": "string", "enum": ["up", "down"]}), 200),
    ("post", "/documents/{document_id}/silence/extend", "Extend the silence procedure by some hours (chair)",
     obj(["hours"], hours={"type": "integer", "minimum": 1, "maximum": 720}, reason={"type": "string"}), 200),
    ("post", "/documents/{document_id}/silence/cancel", "Cancel the silence procedure (chair)",
     obj([], reason={"type": "string"}), 200),
    ("post", "/meetings/{meeting_id}/documents/import",
     "Start a document from a UN text (chair): Markdown, pasted text or a Word file, as the raw body or a "
     "multipart `file`; ?preview=1 only reports what would be created; ?agreed=1 imports the text as agreed; "
     "the answer carries the report (counts per kind, every line not understood)", None, 201),
]:
    register_operation(*_operation)
