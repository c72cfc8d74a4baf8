"""Document pages: the numbered draft, a clause with its history, the activity log."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from drafting.domain import limits
from drafting.domain.errors import Conflict
from drafting.domain import procedure as procedure_rules
from drafting.domain.vocabulary import ALL_TAGS, Category, Phase
from drafting.services import activity as activity_service
from drafting.services import clauses, consolidation, documents, editorial
from drafting.services import procedure as procedure_service
from drafting.services.permissions import role_in
from drafting.web.deliberation_views import clause_context, document_context
from drafting.web.errors import reshow
from drafting.web.forms import field

bp = Blueprint("documents", __name__)


def _filters():
    category = request.args.get("category") or None
    tag = request.args.get("tag") or None
    if category and category not in Category.values():
        category = None
    if tag and tag not in ALL_TAGS:
        tag = None
    return category, tag


def _document_page(document, errors=None, status=200):
    category, tag = _filters()
    role = role_in(current_user, document.meeting)
    return render_template(
        "documents/show.html", document=document, role=role,
        outline=documents.outline(document, category=category, tag=tag),
        may_edit=documents.may_edit(current_user, document),
        category=category, tag=tag, errors=errors or {}, form=request.form,
        deliberation=document_context(current_user, document),
        checklist=procedure_service.chair_checklist(current_user, document),
        may_add_section=procedure_rules.section_refusal(document.phase, role) is None,
        phase_choices=[p for p in Phase if p != document.phase
                       and procedure_rules.transition_refusal(document.phase, p) is None],
    ), status


@bp.route("/documents/<int:document_id>")
def show(document_id):
    return _document_page(documents.get_document(current_user, document_id))


@bp.route("/documents/<int:document_id>/sections", methods=["POST"])
def add_section(document_id):
    document = documents.get_document(current_user, document_id)
    reshow(lambda error: _document_page(document, errors={"section": error.message}))
    documents.add_section(current_user, document, field("title"))
    flash("The section is added.", "success")
    return redirect(url_for("documents.show", document_id=document.id))


def _section_action(section_id, action, message):
    section = documents.get_section(current_user, section_id)
    document = procedure_service.present(section.document)
    reshow(lambda error: _document_page(document, errors={"section": error.message}))
    action(section)
    flash(message, "success")
    return redirect(url_for("documents.show", document_id=document.id) + f"#s-{section.id}")


@bp.route("/sections/<int:section_id>/rename", methods=["POST"])
def rename_section(section_id):
    return _section_action(section_id, lambda s: documents.rename_section(current_user, s, field("title")),
                           "The section is renamed.")


@bp.route("/sections/<int:section_id>/move", methods=["POST"])
def move_section(section_id):
    return _section_action(section_id, lambda s: documents.move_section(current_user, s, field("direction")),
                           "The section is moved.")


@bp.route("/documents/<int:document_id>/clauses/new", methods=["GET", "POST"])
def new_clause(document_id):
    document = documents.get_document(current_user, document_id)
    documents.require_edit(current_user, document)
    if request.method == "POST":
        reshow(lambda error: _new_clause_page(document, error.message))
        clause = documents.add_clause(
            current_user, document, field("section_id"), field("kind"), field("category"),
            field("text"), tags=request.form.getlist("tags"), rationale=field("rationale"))
        flash("The clause is added.", "success")
        return redirect(url_for("documents.show", document_id=document.id) + f"#clause-{clause.id}")
    return _new_clause_page(document)


def _new_clause_page(document, error=None):
    return render_template("documents/new_clause.html", document=document, error=error,
                           form=request.form, selected_tags=request.form.getlist("tags"),
                           section_id=request.values.get("section_id", type=int))


def clause_page(clause, error=None, conflict=None, draft=None, status=200, panel_errors=None,
                discarded=None):
    """The clause page, also re-shown by other blueprints' forms with their message."""
    document = clause.document
    row = documents.numbered(clause)
    text_refusal = clauses.text_change_refusal(clause)
    return render_template(
        "documents/clause.html", clause=clause, document=document, row=row,
        revisions=clauses.revisions(clause), role=role_in(current_user, document.meeting),
        may_edit=documents.may_edit(current_user, document) and text_refusal is None,
        may_tag=documents.may_edit(current_user, document), text_refusal=text_refusal, error=error,
        withdrawal_refusal=consolidation.withdrawal_refusal(current_user, clause), conflict=conflict,
        draft=draft, discarded=discarded,
        advice=editorial.check_text(clause, row.revision.text if row.revision else ""),
        deliberation=clause_context(current_user, clause, panel_errors, request.form),
    ), status


@bp.route("/clauses/<int:clause_id>")
def clause(clause_id):
    return clause_page(documents.get_clause(current_user, clause_id))


@bp.route("/clauses/<int:clause_id>/edit", methods=["POST"])
def edit_clause(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    reshow(lambda error: clause_page(clause, error=error.message, draft=field("text"),
                                     conflict=error.details if isinstance(error, Conflict) else None))
    revision, created = clauses.save_edit(current_user, clause, field("base_revision_id"),
                                          field("text"), field("rationale"))
    flash("Saved as revision %d." % revision.number if created else "No change to save.", "success")
    return redirect(url_for("documents.show", document_id=clause.document_id) + f"#clause-{clause.id}")


@bp.route("/clauses/<int:clause_id>/tags", methods=["POST"])
def tag_clause(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    reshow(lambda error: clause_page(clause, error=error.message))
    documents.set_tags(current_user, clause, request.form.getlist("tags"))
    flash("Tags saved.", "success")
    return redirect(url_for("documents.clause", clause_id=clause.id))


@bp.route("/documents/<int:document_id>/activity")
def activity(document_id):
    document = documents.get_document(current_user, document_id)
    after = request.args.get("after", 0, type=int)
    if not 0 <= after <= limits.MAX_ID:
        abort(404)
    filters = activity_service.parse_filters(document, request.args.get("paragraph"), request.args.get("person"),
                                             request.args.get("kind"))
    page = activity_service.entries(document, filters, after=after)
    return render_template("documents/activity.html", document=document, entries=page, filters=filters,
                           choices=activity_service.choices(document), page_size=activity_service.PAGE,
                           role=role_in(current_user, document.meeting))


@bp.route("/documents/<int:document_id>/procedure", methods=["POST"])
def procedure(document_id):
    document = documents.get_document(current_user, document_id)
    reshow(lambda error: _document_page(document, errors={"procedure": error.message}))
    if field("action") == "rules":
        documents.set_rules(current_user, document, _share("quorum"), _share("threshold"),
                            bool(field("block_prevents_consensus")), bool(field("hide_tallies")))
        flash("The consensus rules are saved.", "success")
    else:
        procedure_service.set_phase(current_user, document, field("phase"))
        flash("The phase is changed.", "success")
    return redirect(url_for("documents.show", document_id=document.id))


def _share(name):
    """A percentage from a form as a share; anything unparseable is left for the service to refuse."""
    try:
        return float(field(name)) / 100
    except ValueError:
        return field(name)
