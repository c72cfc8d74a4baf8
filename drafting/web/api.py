"""The JSON API under /api/v1: the same services as the pages, for scripts and other systems."""
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from drafting.domain import limits
from drafting.domain.errors import NotFound, NotSignedIn, ValidationError
from drafting.extensions import csrf
from drafting.models import Invitation
from drafting.services import clauses, documents, events, meetings, procedure, votes
from drafting.services.permissions import require_signed_in, role_in
from drafting.web import serialize
from drafting.web.headers import public_url
from drafting.web.openapi import spec
from drafting.web.sessions import by_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def _writes_need_a_caller():
    require_api_caller()


def require_api_caller():
    """Every API write needs a signed-in caller (401 otherwise, before anything else is looked at).
    A bearer token needs no CSRF token; the session cookie does, whatever other headers come with it
    (a request with an Authorization header is never authenticated by the cookie: web/sessions.py)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if not current_user.is_authenticated:
        raise NotSignedIn("Sign in first: send a personal token as Authorization: Bearer <token>.")
    if not by_token(request) and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def body():
    """The request's JSON object, or a 422 that says what was wrong with it."""
    if not request.is_json:
        raise ValidationError("Send the request body as a JSON object, with Content-Type: application/json.")
    try:
        data = request.get_json()
    except BadRequest:
        raise ValidationError("The request body is not valid JSON: send a JSON object.") from None
    if not isinstance(data, dict):
        raise ValidationError("The request body must be a JSON object.")
    return data


def optional_body():
    """body() where the body may be left out: an empty body is {}."""
    return body() if request.get_data(cache=True) else {}


def created(payload):
    return jsonify(payload), 201


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())


@bp.get("/meetings")
def list_meetings():
    require_signed_in(current_user)
    return jsonify({"meetings": [serialize.meeting(m, role_in(current_user, m))
                                 for m in meetings.visible_meetings(current_user)]})


@bp.post("/meetings")
def create_meeting():
    data = body()
    meeting = meetings.create_meeting(current_user, data.get("title"), data.get("subtitle", ""),
                                      data.get("venue", ""), data.get("starts_on", ""),
                                      data.get("description", ""), data.get("time_zone", "UTC"))
    return created(serialize.meeting(meeting, role_in(current_user, meeting)))


@bp.get("/meetings/<int:meeting_id>")
def get_meeting(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    return jsonify(dict(serialize.meeting(meeting, role_in(current_user, meeting)),
                        members=[serialize.membership(m) for m in meetings.members(meeting)]))


@bp.post("/meetings/<int:meeting_id>/members")
def add_member(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    data = body()
    result, secret = meetings.invite(current_user, meeting, data.get("email"), data.get("role"))
    if isinstance(result, Invitation):
        return created({"invitation": {"id": result.id, "email": result.email, "role": result.role,
                                       "expires_at": serialize.iso(result.expires_at),
                                       "url": public_url("accounts.accept", secret=secret)}})
    return created({"member": serialize.membership(result)})


@bp.put("/meetings/<int:meeting_id>/members/<int:membership_id>")
def change_member(meeting_id, membership_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    membership = meetings.change_role(current_user, meeting, membership_id, body().get("role"))
    return jsonify({"member": serialize.membership(membership)})


@bp.delete("/meetings/<int:meeting_id>/members/<int:membership_id>")
def remove_member(meeting_id, membership_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    meetings.remove_member(current_user, meeting, membership_id)
    return "", 204


@bp.post("/meetings/<int:meeting_id>/documents")
def create_document(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    data = body()
    sections = data.get("sections", ["Preamble", "Operative part"])
    if not isinstance(sections, list) or len(sections) > 50:
        raise ValidationError("sections must be a list of at most 50 titles.", field="sections")
    document = documents.create_document(current_user, meeting, data.get("title"),
                                         data.get("symbol", ""), sections=sections)
    return created(serialize.document(document, documents.outline(document)))


@bp.get("/documents/<int:document_id>")
def get_document(document_id):
    document = documents.get_document(current_user, document_id)
    return jsonify(serialize.document(document, votes.annotate(current_user, document, documents.outline(document))))


@bp.post("/documents/<int:document_id>/sections")
def add_section(document_id):
    document = documents.get_document(current_user, document_id)
    section = documents.add_section(current_user, document, body().get("title"))
    return created(serialize.section(section))


@bp.post("/documents/<int:document_id>/clauses")
def add_clause(document_id):
    document = documents.get_document(current_user, document_id)
    data = body()
    clause = documents.add_clause(current_user, document, data.get("section_id"), data.get("kind"),
                                  data.get("category"), data.get("text"), tags=data.get("tags"),
                                  rationale=data.get("rationale", ""))
    return created(_clause_json(clause))


def _clause_json(clause):
    outline = votes.annotate(current_user, clause.document, documents.outline(clause.document))
    return serialize.clause(documents.numbered(clause, outline))


@bp.get("/clauses/<int:clause_id>")
def get_clause(clause_id):
    return jsonify(_clause_json(documents.get_clause(current_user, clause_id)))


@bp.put("/clauses/<int:clause_id>/tags")
def tag_clause(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    documents.set_tags(current_user, clause, body().get("tags"))
    return jsonify(_clause_json(clause))


@bp.get("/clauses/<int:clause_id>/revisions")
def list_revisions(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    return jsonify({"revisions": [serialize.revision(r) for r in clauses.revisions(clause)],
                    "head_revision_id": clause.head_revision_id})


@bp.post("/clauses/<int:clause_id>/revisions")
def save_revision(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    data = body()
    revision, was_created = clauses.save_edit(current_user, clause, data.get("base_revision_id"),
                                              data.get("text"), data.get("rationale", ""))
    return jsonify(serialize.revision(revision)), (201 if was_created else 200)


@bp.post("/documents/<int:document_id>/phase")
def set_phase(document_id):
    document = documents.get_document(current_user, document_id)
    procedure.set_phase(current_user, document, body().get("phase"))
    return jsonify({"id": document.id, "phase": document.phase})


@bp.put("/documents/<int:document_id>/rules")
def set_rules(document_id):
    document = documents.get_document(current_user, document_id)
    data = body()
    documents.set_rules(current_user, document, data.get("quorum"), data.get("threshold"),
                        data.get("block_prevents_consensus"), data.get("hide_tallies"))
    return jsonify(documents.rules_of(document))


@bp.get("/documents/<int:document_id>/events")
def list_events(document_id):
    document = documents.get_document(current_user, document_id)
    after = limits.whole_number(request.args.get("after", "0"), "after")
    limit = limits.whole_number(request.args.get("limit", "1000"), "limit", minimum=1, maximum=1000)
    page = events.after(document, after, limit)
    return jsonify({"events": [serialize.event(e) for e in page], "last_seq": document.last_seq})


@bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def unknown(anything):
    raise NotFound(f"There is no API endpoint at /api/v1/{anything}.")

