"""What the live pages fetch: the socket.io client, a clause's fragment, the dashboard's, a merge proposal."""
import os

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_from_directory
from flask_login import current_user

from drafting.domain import limits
from drafting.domain.errors import ValidationError
from drafting.extensions import csrf
from drafting.services import clauses, dashboard, documents, editorial
from drafting.services.permissions import role_in
from drafting.web import serialize
from drafting.web.api import require_api_caller
from drafting.web.deliberation_views import document_context
from drafting.web.openapi import ID, TEXT, obj, register_operation

bp = Blueprint("live", __name__)
csrf.exempt(bp)

# The browser client comes from npm (package.json), served from node_modules, never copied in.
VENDOR = {"socket.io.esm.min.js": "socket.io-client/dist/socket.io.esm.min.js",
          "socket.io.esm.min.js.map": "socket.io-client/dist/socket.io.esm.min.js.map"}


@bp.get("/vendor/<name>")
def vendor(name):
    if name not in VENDOR:
        abort(404)
    root = os.path.join(os.path.dirname(current_app.root_path), "node_modules")
    folder, filename = os.path.split(VENDOR[name])
    path = os.path.join(root, folder)
    if not os.path.isfile(os.path.join(path, filename)):
        current_app.logger.error("node_modules/%s is missing: run `npm ci`", VENDOR[name])
        abort(404)
    return send_from_directory(path, filename, max_age=86400)


@bp.get("/clauses/<int:clause_id>/fragment")
def clause_fragment(clause_id):
    """The clause as the document page shows it, for a page to swap in after a change."""
    clause = documents.get_clause(current_user, clause_id)
    row = documents.numbered(clause)
    return render_template("documents/_clause.html", c=row, document=clause.document,
                           role=role_in(current_user, clause.document.meeting),
                           deliberation=document_context(current_user, clause.document))


@bp.get("/documents/<int:document_id>/dashboard/fragment")
def dashboard_fragment(document_id):
    """The consensus dashboard's charts, lists and bars, for an open dashboard to swap in."""
    document = documents.get_document(current_user, document_id)
    return render_template("deliberation/dashboard_fragment.html", document=document,
                           summary=dashboard.summary(current_user, document))


@bp.post("/api/v1/clauses/<int:clause_id>/merge")
def merge_proposal(clause_id):
    """Where a draft written on base_revision_id would land on the head now: saves nothing."""
    require_api_caller()
    clause = documents.get_clause(current_user, clause_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("The request body must be a JSON object.")
    proposal = clauses.propose_merge(current_user, clause, data.get("base_revision_id"), data.get("text"))
    answer = {"clean": proposal.clean, "merged": proposal.text, "conflicts": len(proposal.conflicts)}
    return jsonify(dict(answer, head=serialize.revision(clause.head)))


register_operation(
    "post", "/clauses/{clause_id}/merge",
    "Propose where a draft written on base_revision_id lands on the current head (saves nothing): "
    "{clean, merged, conflicts, head}",
    obj(["base_revision_id", "text"], base_revision_id=ID, text=TEXT), 200)


@bp.post("/api/v1/clauses/<int:clause_id>/checks")
def drafting_checks(clause_id):
    """The drafting checks' advice on a text as this clause's new text: saves nothing, refuses nothing."""
    if not request.headers.get("Authorization") and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    clause = documents.get_clause(current_user, clause_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("The request body must be a JSON object.")
    text = limits.text(data.get("text"), "text", limits.CLAUSE_TEXT, required=False)
    return jsonify({"findings": [finding.as_dict() for finding in editorial.check_text(clause, text)]})


register_operation(
    "post", "/clauses/{clause_id}/checks",
    "The drafting checks (UN editorial conventions) on a text as the clause's new text, saving nothing: "
    "{findings: [{code, message, start, end}]}",
    obj(["text"], text=TEXT), 200)
