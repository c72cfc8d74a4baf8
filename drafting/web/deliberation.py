"""Deliberation pages and forms: comments, votes, amendments, declarations, dashboard, notifications."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from drafting.domain.vocabulary import ConsensusState
from drafting.services import amendments, comments, dashboard, declarations, documents, notifications, votes
from drafting.services.permissions import require_signed_in, role_in
from drafting.web.forms import act, field

bp = Blueprint("deliberation", __name__)


@bp.record_once
def _template_words(state):
    state.app.jinja_env.globals["ConsensusState"] = ConsensusState


@bp.app_context_processor
def _bell():
    return {"unread_notifications": lambda: notifications.unread_count(current_user)}


def _clause_url(clause, anchor=""):
    if field("back") == "document":  # a form from the panel under the paragraph on the document page
        return url_for("documents.show", document_id=clause.document_id) + f"#clause-{clause.id}"
    return url_for("documents.clause", clause_id=clause.id) + (f"#{anchor}" if anchor else "")


def _act(clause, panel, action, message, anchor):
    """Run a service call and go back to the clause; on a user error re-show the page."""
    from drafting.web.documents import clause_page

    return act(action, lambda error, status: clause_page(clause, status=status, panel_errors={panel: error}),
               lambda result: _clause_url(clause, anchor(result) if callable(anchor) else anchor), message)


# --- comments ------------------------------------------------------------------------------


@bp.post("/clauses/<int:clause_id>/comments")
def post_comment(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    panel = f"amendment-{field('amendment_id')}" if field("amendment_id") else "comment"
    return _act(clause, panel, lambda: comments.post(
        current_user, clause, field("body"), parent_id=field("parent_id") or None, quote=field("quote") or None,
        quote_start=field("quote_start") or None, amendment_id=field("amendment_id") or None),
        "Your comment is posted.", lambda c: f"comment-{c.id}")


def _comment_and_clause(comment_id):
    comment = comments.get_comment(current_user, comment_id)
    return comment, documents.get_clause(current_user, comment.clause_id)


@bp.post("/comments/<int:comment_id>/edit")
def edit_comment(comment_id):
    comment, clause = _comment_and_clause(comment_id)
    return _act(clause, "comment", lambda: comments.edit(current_user, comment, field("body")),
                "Your comment is changed.", f"comment-{comment.id}")


@bp.post("/comments/<int:comment_id>/delete")
def delete_comment(comment_id):
    comment, clause = _comment_and_clause(comment_id)
    return _act(clause, "comment", lambda: comments.delete(current_user, comment),
                "Your comment is deleted.", f"comment-{comment.id}")


@bp.post("/comments/<int:comment_id>/resolve")
def resolve_comment(comment_id):
    comment, clause = _comment_and_clause(comment_id)
    resolved = field("resolved", "1") != "0"
    return _act(clause, "comment", lambda: comments.set_resolved(current_user, comment, resolved),
                "The thread is resolved." if resolved else "The thread is open again.", f"comment-{comment.id}")


# --- votes and declarations ---------------------------------------------------------------


@bp.post("/clauses/<int:clause_id>/vote")
def vote(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    return _act(clause, "vote", lambda: votes.cast(current_user, clause, field("position") or None, field("reason")),
                "Your vote is recorded on the current text.", "vote")


@bp.post("/clauses/<int:clause_id>/vote/confirm")
def confirm_vote(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    return _act(clause, "vote", lambda: votes.confirm(current_user, clause),
                "Your vote now stands for the current text.", "vote")


@bp.post("/clauses/<int:clause_id>/declare")
def declare(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    return _act(clause, "declare", lambda: declarations.declare(current_user, clause, field("status"), field("reason")),
                "The declaration is recorded with the tally.", "declare")


# --- amendments -----------------------------------------------------------------------------


@bp.post("/clauses/<int:clause_id>/amendments")
def propose_amendment(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    return _act(clause, "amendment", lambda: amendments.propose(
        current_user, clause, field("base_revision_id"), field("text"), field("rationale")),
        "Your amendment is proposed.", lambda a: f"amendment-{a.id}")


def _amendment_action(amendment_id, action, message):
    amendment = amendments.get_amendment(current_user, amendment_id)
    clause = documents.get_clause(current_user, amendment.clause_id)
    return _act(clause, f"amendment-{amendment.id}", lambda: action(amendment), message,
                f"amendment-{amendment.id}")


@bp.post("/amendments/<int:amendment_id>/accept")
def accept_amendment(amendment_id):
    return _amendment_action(amendment_id, lambda a: amendments.accept(current_user, a, field("rationale")),
                             "The amendment is accepted and applied to the clause.")


@bp.post("/amendments/<int:amendment_id>/reject")
def reject_amendment(amendment_id):
    return _amendment_action(amendment_id, lambda a: amendments.reject(current_user, a, field("reason")),
                             "The amendment is rejected; its author is told why.")


@bp.post("/amendments/<int:amendment_id>/withdraw")
def withdraw_amendment(amendment_id):
    return _amendment_action(amendment_id, lambda a: amendments.withdraw(current_user, a),
                             "Your amendment is withdrawn.")


@bp.post("/amendments/<int:amendment_id>/vote")
def vote_amendment(amendment_id):
    return _amendment_action(
        amendment_id, lambda a: amendments.vote(current_user, a, field("position") or None, field("reason")),
        "Your vote on the amendment is recorded.")


# --- dashboard and notifications ---------------------------------------------------------


@bp.get("/documents/<int:document_id>/dashboard")
def document_dashboard(document_id):
    document = documents.get_document(current_user, document_id)
    return render_template("deliberation/dashboard.html", document=document,
                           summary=dashboard.summary(current_user, document),
                           role=role_in(current_user, document.meeting))


@bp.get("/notifications")
def notification_list():
    require_signed_in(current_user)
    return render_template("deliberation/notifications.html",
                           notifications=notifications.recent(current_user))


@bp.post("/notifications/read")
def read_all():
    count = notifications.mark_read(current_user)
    flash(f"{count} notification{'s' if count != 1 else ''} marked as read.", "success")
    return redirect(url_for("deliberation.notification_list"))


@bp.post("/notifications/<int:notification_id>/open")
def open_notification(notification_id):
    target = notifications.get(current_user, notification_id).url
    notifications.mark_read(current_user, notification_id)
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("deliberation.notification_list")
    return redirect(target)

