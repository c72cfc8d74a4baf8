"""Procedure and consolidation pages: the chair's panel, objections, reservations, rapporteur tools."""
import threading

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from drafting.domain import clause_state
from drafting.boundary import commit
from drafting.domain import readiness as readiness_rules
from drafting.domain.vocabulary import AmendmentStatus, DeclarationKind
from drafting.extensions import db, socketio
from drafting.domain import procedure as rules
from drafting.services import clauses, consolidation, documents, procedure
from drafting.services.permissions import role_in
from drafting.web.forms import act, field

bp = Blueprint("procedure", __name__)


def _procedure_page(document, error=None, status=200):
    role = role_in(current_user, document.meeting)
    return render_template(
        "procedure/show.html", document=document, role=role, error=error,
        checklist=procedure.chair_checklist(current_user, document),
        objections=procedure.objections(document), reservations=procedure.reservations(document),
        reservation_kinds=procedure.RESERVATION_KINDS,
        outline=documents.outline(document), now=procedure.now(), form=request.form,
        may_consolidate=rules.may_consolidate(document.phase, role),
        may_object=rules.may_object(document.phase, role),
    ), status


def _tools_page(clause, error=None, status=200):
    document = clause.document
    role = role_in(current_user, document.meeting)
    row = documents.numbered(clause)
    return render_template(
        "procedure/clause_tools.html", document=document, clause=clause, row=row, role=role, error=error,
        amendments=consolidation.open_amendments(clause), sections=consolidation.sections_of(document),
        may_consolidate=rules.may_consolidate(document.phase, role),
        may_reserve=rules.may_reserve(document.phase, role), form=request.form,
        text_refusal=clauses.text_change_refusal(clause),
        withdrawal_refusal=consolidation.withdrawal_refusal(current_user, clause),
        restore_refusal=clause_state.restore_refusal(clause.status, document.phase, role),
    ), status


@bp.route("/documents/<int:document_id>/procedure")
def show(document_id):
    return _procedure_page(documents.get_document(current_user, document_id))


def _document_action(document_id, action, message):
    document = documents.get_document(current_user, document_id)
    return act(lambda: action(document), lambda m, s: _procedure_page(document, m, s),
                url_for("procedure.show", document_id=document.id), message)


@bp.route("/documents/<int:document_id>/silence", methods=["POST"])
def start_silence(document_id):
    return _document_action(document_id, lambda d: procedure.start_silence(current_user, d, field("hours")),
                            "The silence procedure has started.")


@bp.route("/documents/<int:document_id>/silence/extend", methods=["POST"])
def extend_silence(document_id):
    return _document_action(
        document_id, lambda d: procedure.extend_silence(current_user, d, field("hours"), field("reason")),
        lambda d: f"The silence procedure now runs until {procedure.deadline_words(d)}; every member is told.")


@bp.route("/documents/<int:document_id>/silence/cancel", methods=["POST"])
def cancel_silence(document_id):
    return _document_action(
        document_id, lambda d: procedure.cancel_silence(current_user, d, field("reason")),
        "The silence procedure is cancelled: the text is back in consolidation; every member is told.")


@bp.route("/documents/<int:document_id>/objections", methods=["POST"])
def object_to(document_id):
    """Objecting breaks silence for everyone: the form asks once more before it does (no script needed)."""
    if field("confirm") != "yes":
        document = documents.get_document(current_user, document_id)
        role = role_in(current_user, document.meeting)
        text = field("text").strip()
        if rules.may_object(document.phase, role) and text:
            return render_template("procedure/confirm_objection.html", document=document, text=text,
                                   deadline=procedure.deadline_words(document))
    return _document_action(document_id, lambda d: procedure.object_to(current_user, d, field("text")),
                            "Your objection is recorded: silence is broken and the text returns to consolidation.")


@bp.route("/documents/<int:document_id>/adopt", methods=["POST"])
def adopt(document_id):
    return _document_action(document_id, lambda d: procedure.adopt(current_user, d), "The document is adopted.")


@bp.route("/documents/<int:document_id>/publish", methods=["POST"])
def publish(document_id):
    return _document_action(document_id, lambda d: procedure.publish(current_user, d, field("visibility")),
                            "The outcome document is published.")


@bp.route("/documents/<int:document_id>/renumber", methods=["POST"])
def renumber(document_id):
    return _document_action(
        document_id, lambda d: consolidation.renumber(current_user, d),
        lambda changes: f"Renumbered: {len(changes)} paragraph(s) took a new number.")


@bp.route("/documents/<int:document_id>/merge", methods=["POST"])
def merge(document_id):
    document = documents.get_document(current_user, document_id)
    return act(
        lambda: consolidation.merge(current_user, document, request.form.getlist("clause_ids"),
                                    field("text"), field("rationale")),
        lambda m, s: _procedure_page(document, m, s),
        lambda clause: url_for("documents.show", document_id=document.id) + f"#clause-{clause.id}",
        "The clauses are merged.")


@bp.route("/clauses/<int:clause_id>/consolidate")
def tools(clause_id):
    return _tools_page(documents.get_clause(current_user, clause_id))


def _clause_action(clause_id, action, message, back_to_document=False):
    clause = documents.get_clause(current_user, clause_id)
    if back_to_document:
        done = url_for("documents.show", document_id=clause.document_id) + f"#clause-{clause.id}"
    else:
        done = url_for("procedure.tools", clause_id=clause.id)
    return act(lambda: action(clause), lambda m, s: _tools_page(clause, m, s), done, message)


@bp.route("/clauses/<int:clause_id>/compromise", methods=["POST"])
def compromise(clause_id):
    return _clause_action(clause_id, lambda c: consolidation.compromise(
        current_user, c, field("base_revision_id"), field("text"), field("rationale"),
        request.form.getlist("amendment_ids")), "The compromise text is saved; the amendments' authors are told.")


@bp.route("/clauses/<int:clause_id>/split", methods=["POST"])
def split(clause_id):
    return _clause_action(clause_id, lambda c: consolidation.split(
        current_user, c, field("base_revision_id"), before=field("before"), rationale=field("rationale")),
        "The clause is split in two.", back_to_document=True)


@bp.route("/clauses/<int:clause_id>/bracket", methods=["POST"])
def bracket(clause_id):
    return _clause_action(clause_id, lambda c: consolidation.bracket(
        current_user, c, field("base_revision_id") or None, quote=field("quote") or None),
        "The text is in square brackets.")


@bp.route("/clauses/<int:clause_id>/alternatives", methods=["POST"])
def add_alternative(clause_id):
    return _clause_action(clause_id, lambda c: consolidation.add_alternative(
        current_user, c, field("text"), field("rationale")), "The alternative is added.", back_to_document=True)


@bp.route("/clauses/<int:clause_id>/choose", methods=["POST"])
def choose(clause_id):
    return _clause_action(clause_id, lambda c: consolidation.choose_alternative(current_user, c),
                          "This alternative is kept; the others are withdrawn.", back_to_document=True)


@bp.route("/clauses/<int:clause_id>/move", methods=["POST"])
def move(clause_id):
    return _clause_action(clause_id, lambda c: consolidation.move(
        current_user, c, direction=field("direction") or None, section_id=field("section_id") or None),
        "The clause is moved.", back_to_document=True)


@bp.route("/clauses/<int:clause_id>/withdraw", methods=["POST"])
def withdraw(clause_id):
    return _clause_action(clause_id, lambda c: consolidation.withdraw(current_user, c, field("reason")),
                          "The clause is withdrawn: it leaves the numbering and stays in the annex.",
                          back_to_document=True)


@bp.route("/clauses/<int:clause_id>/restore", methods=["POST"])
def restore(clause_id):
    return _clause_action(clause_id, lambda c: consolidation.restore(current_user, c),
                          "The clause is restored to its place.", back_to_document=True)


@bp.route("/clauses/<int:clause_id>/reservations", methods=["POST"])
def reserve(clause_id):
    return _clause_action(clause_id, lambda c: procedure.lodge_reservation(
        current_user, c, field("text"), field("kind") or "reservation"),
        "Your reservation is recorded; it appears in the annex of the outcome document.")


def register(app):
    app.jinja_env.globals.update(AmendmentStatus=AmendmentStatus, DeclarationKind=DeclarationKind,
                                  blocker_labels=readiness_rules.BLOCKER_LABELS,
                                  deadline_words=rules.deadline_words, vote_closed=clause_state.vote_closed,
                                  may_consolidate=rules.may_consolidate, may_object=rules.may_object,
                                  may_reserve=rules.may_reserve,
                                  text_change_refusal=clause_state.text_change_refusal,
                                  clause_is_frozen=clause_state.is_frozen, clause_is_gone=clause_state.is_gone)
    start_ticking(app)


def start_ticking(app):
    """Adopt documents whose silence procedure passed its deadline, from a task in the server process.

    It starts with the first request (so CLI commands and tests start nothing) when
    PROCEDURE_TICK_SECONDS is set; `flask --app wsgi procedure tick` does the same from a scheduler.
    """
    seconds = app.config.get("PROCEDURE_TICK_SECONDS") or 0
    if seconds <= 0:
        return
    started = threading.Lock()
    state = {"running": False}

    @app.before_request
    def _start_the_task():
        if state["running"]:
            return
        with started:
            if not state["running"]:
                state["running"] = True
                socketio.start_background_task(_tick_forever, app, seconds)


def _tick_forever(app, seconds):
    while True:
        socketio.sleep(seconds)
        with app.app_context():
            try:
                tick_once()
            except Exception:  # the task must outlive a failed round; the next one tries again
                db.session.rollback()
                app.logger.exception("The procedure tick failed")
            finally:
                db.session.remove()


def tick_once():
    """One round of the task: adopt what is due and commit (a background task begins IMMEDIATE)."""
    adopted = procedure.tick()
    commit()
    return adopted
