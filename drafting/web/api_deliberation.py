"""The deliberation part of /api/v1: comments, votes, amendments, declarations, dashboard, notifications."""
from flask import jsonify
from flask_login import current_user

from drafting.domain import limits
from drafting.domain.vocabulary import VotePosition
from drafting.services import (
    amendments,
    comments,
    dashboard,
    declarations,
    documents,
    notifications,
    votes,
)
from drafting.web import serialize
from drafting.web.api import body, bp, created, optional_body
from drafting.web.deliberation_views import track_changes
from drafting.web.openapi import ID, obj, register_operation


def _comment(c, location=None):
    deleted = c.deleted_at is not None
    result = {"id": c.id, "clause_id": c.clause_id, "amendment_id": c.amendment_id, "parent_id": c.parent_id,
              "author": serialize.user_ref(c.author), "body": "" if deleted else c.body,
              "html": "" if deleted else str(c.html), "deleted": deleted,
              "edited_at": serialize.iso(c.edited_at), "created_at": serialize.iso(c.created_at),
              "resolved": c.resolved_at is not None, "resolved_at": serialize.iso(c.resolved_at)}
    if c.parent_id is None:
        result["quote"] = c.quote
        result["anchor"] = None if location is None else {
            "state": location.state, "start": location.start, "end": location.end,
            "revision_id": c.anchor_revision_id}
    return result


def _thread(thread):
    return dict(_comment(thread.comment, thread.location), replies=[_comment(r) for r in thread.replies])


def _located(comment):
    clause = documents.get_clause(current_user, comment.clause_id)
    thread = next((t for t in comments.threads(clause, all_of_clause=True) if t.comment.id == comment.id), None)
    return _comment(comment, thread.location if thread else None)


@bp.get("/clauses/<int:clause_id>/comments")
def list_comments(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    return jsonify({"clause_id": clause.id, "revision_id": clause.head_revision_id,
                    "threads": [_thread(t) for t in comments.threads(clause, all_of_clause=True)]})


@bp.post("/clauses/<int:clause_id>/comments")
def post_comment(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    data = body()
    comment = comments.post(current_user, clause, data.get("body"), parent_id=data.get("parent_id"),
                            quote=data.get("quote"), quote_start=data.get("quote_start"),
                            amendment_id=data.get("amendment_id"))
    return created(_located(comment))


@bp.put("/comments/<int:comment_id>")
def edit_comment(comment_id):
    comment = comments.get_comment(current_user, comment_id)
    comments.edit(current_user, comment, body().get("body"))
    return jsonify(_located(comment))


@bp.delete("/comments/<int:comment_id>")
def delete_comment(comment_id):
    comments.delete(current_user, comments.get_comment(current_user, comment_id))
    return "", 204


@bp.post("/comments/<int:comment_id>/resolve")
def resolve_comment(comment_id):
    comment = comments.set_resolved(current_user, comments.get_comment(current_user, comment_id), True)
    return jsonify(_located(comment))


@bp.post("/comments/<int:comment_id>/reopen")
def reopen_comment(comment_id):
    comment = comments.set_resolved(current_user, comments.get_comment(current_user, comment_id), False)
    return jsonify(_located(comment))


def _vote(v, head_revision_id):
    return {"user": serialize.user_ref(v.user), "position": v.position, "reason": v.reason,
            "revision_id": v.revision_id, "stale": v.revision_id != head_revision_id,
            "updated_at": serialize.iso(v.updated_at)}


@bp.get("/clauses/<int:clause_id>/votes")
def list_votes(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    mine = votes.my_vote(current_user, clause)
    return jsonify({"clause_id": clause.id, "revision_id": clause.head_revision_id,
                    "tally": votes.tally_of(clause).as_dict(reveal=votes.reveal(current_user, clause.document)),
                    "mine": _vote(mine, clause.head_revision_id) if mine else None,
                    "votes": [_vote(v.vote, clause.head_revision_id)
                              for v in votes.ballots_shown(current_user, clause)]})


def _vote_answer(vote, result, reveal):
    """The caller's vote as it now stands (on the current text) and the clause's tally."""
    return jsonify({"vote": _vote(vote, vote.revision_id), "tally": result.as_dict(reveal=reveal)})


@bp.put("/clauses/<int:clause_id>/vote")
def cast_vote(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    data = body()
    vote, result = votes.cast(current_user, clause, data.get("position"), data.get("reason", ""))
    return _vote_answer(vote, result, votes.reveal(current_user, clause.document))


@bp.post("/clauses/<int:clause_id>/vote/confirm")
def confirm_vote(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    vote, result = votes.confirm(current_user, clause)
    return _vote_answer(vote, result, votes.reveal(current_user, clause.document))


@bp.post("/clauses/<int:clause_id>/declare")
def declare(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    data = body()
    declaration = declarations.declare(current_user, clause, data.get("status"), data.get("reason", ""))
    return created({"id": declaration.id, "clause_id": clause.id, "declared": declaration.status,
                    "status": clause.status, "revision_id": declaration.revision_id,
                    "revision_number": declaration.revision.number if declaration.revision else None,
                    "reason": declaration.reason,
                    "tally": declaration.tally, "declared_by": serialize.user_ref(declaration.declared_by)})


def _amendment(a):
    return {"id": a.id, "number": a.number, "clause_id": a.clause_id, "base_revision_id": a.base_revision_id, "text": a.text,
            "rationale": a.rationale, "status": a.status, "author": serialize.user_ref(a.author),
            "decided_by": serialize.user_ref(a.decided_by), "decided_at": serialize.iso(a.decided_at),
            "decision_reason": a.decision_reason, "result_revision_id": a.result_revision_id,
            "created_at": serialize.iso(a.created_at), "votes": amendments.counts(a),
            "changes": [{"op": {-1: "delete", 0: "equal", 1: "insert"}[op], "text": text}
                        for op, text in track_changes(a.base_revision.text, a.text)]}


@bp.get("/clauses/<int:clause_id>/amendments")
def list_amendments(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    return jsonify({"clause_id": clause.id, "amendments": [_amendment(a) for a in amendments.of_clause(clause)]})


@bp.post("/clauses/<int:clause_id>/amendments")
def propose_amendment(clause_id):
    clause = documents.get_clause(current_user, clause_id)
    data = body()
    amendment = amendments.propose(current_user, clause, data.get("base_revision_id"), data.get("text"),
                                   data.get("rationale"))
    return created(_amendment(amendment))


def _decide(amendment_id, decide):
    amendment = amendments.get_amendment(current_user, amendment_id)
    decide(amendment)
    return jsonify(_amendment(amendment))


@bp.post("/amendments/<int:amendment_id>/accept")
def accept_amendment(amendment_id):
    rationale = optional_body().get("rationale", "")
    return _decide(amendment_id, lambda a: amendments.accept(current_user, a, rationale))


@bp.post("/amendments/<int:amendment_id>/reject")
def reject_amendment(amendment_id):
    reason = body().get("reason")
    return _decide(amendment_id, lambda a: amendments.reject(current_user, a, reason))


@bp.post("/amendments/<int:amendment_id>/withdraw")
def withdraw_amendment(amendment_id):
    return _decide(amendment_id, lambda a: amendments.withdraw(current_user, a))


@bp.put("/amendments/<int:amendment_id>/vote")
def vote_amendment(amendment_id):
    data = body()
    return _decide(amendment_id, lambda a: amendments.vote(current_user, a, data.get("position"),
                                                           data.get("reason", "")))


@bp.get("/documents/<int:document_id>/dashboard")
def document_dashboard(document_id):
    document = documents.get_document(current_user, document_id)
    summary = dashboard.summary(current_user, document)
    return jsonify({
        "document_id": document.id,
        "by_state": {state: n for state, _label, n in summary.by_state},
        "by_status": {status: n for status, _label, n in summary.by_status},
        "clauses": [{"id": b.clause.id, "label": b.label, "status": b.clause.status, "tally": b.tally}
                    for b in summary.bars],
        "attention": {"blocked": [b.clause.id for b in summary.blocked],
                      "stale_votes": [b.clause.id for b in summary.stale],
                      "open_amendments": {b.clause.id: n for b, n in summary.open_amendments},
                      "unresolved_comments": {b.clause.id: n for b, n in summary.unresolved}},
    })


@bp.get("/notifications")
def list_notifications():
    items = notifications.recent(current_user)
    return jsonify({"unread": notifications.unread_count(current_user), "notifications": [
        {"id": n.id, "kind": n.kind, "message": n.message, "url": n.url, "document_id": n.document_id,
         "created_at": serialize.iso(n.created_at), "read": n.read_at is not None} for n in items]})


@bp.post("/notifications/read")
def read_notifications():
    data = body()
    notification_id = data.get("id")
    if notification_id is not None:
        notification_id = limits.identifier(notification_id, "id")
    changed = notifications.mark_read(current_user, notification_id)
    return jsonify({"marked_read": changed, "unread": notifications.unread_count(current_user)})


POSITION = {"type": "string", "enum": VotePosition.values()}
REASON = {"type": "string", "maxLength": 5000}
BODY = {"type": "string", "minLength": 1, "maxLength": 10000}
for _operation in [
    ("get", "/clauses/{clause_id}/comments", "Comment threads, each with its anchor state "
     "(anchored with start/end in the current text, or earlier_version)", None, 200),
    ("post", "/clauses/{clause_id}/comments", "Comment on a clause; quote anchors it to words of the current text",
     obj(["body"], body=BODY, parent_id=ID, amendment_id=ID, quote={"type": "string", "maxLength": 1000},
         quote_start={"type": "integer", "minimum": 0}), 201),
    ("put", "/comments/{comment_id}", "Edit one's comment", obj(["body"], body=BODY), 200),
    ("delete", "/comments/{comment_id}", "Delete one's comment (shown as deleted; the audit trail keeps it)",
     None, 204),
    ("post", "/comments/{comment_id}/resolve", "Resolve a thread (author, rapporteur, chair)", None, 200),
    ("post", "/comments/{comment_id}/reopen", "Reopen a thread (author, rapporteur, chair)", None, 200),
    ("get", "/clauses/{clause_id}/votes", "The tally, the caller's vote and the votes the caller may see",
     None, 200),
    ("put", "/clauses/{clause_id}/vote", "Vote on the clause's current text; block needs a reason",
     obj(["position"], position=POSITION, reason=REASON), 200),
    ("post", "/clauses/{clause_id}/vote/confirm", "Confirm one's stale vote on the current text", None, 200),
    ("post", "/clauses/{clause_id}/declare", "Declare the clause's status, recording the tally (chair)",
     obj(["status"], status={"type": "string", "enum": list(declarations.DECLARABLE)},
         reason={"type": "string", "maxLength": 5000}), 201),
    ("get", "/clauses/{clause_id}/amendments", "The clause's amendments with track changes", None, 200),
    ("post", "/clauses/{clause_id}/amendments", "Propose an amendment (amendments phase)",
     obj(["base_revision_id", "text", "rationale"], base_revision_id=ID,
         text={"type": "string", "minLength": 1, "maxLength": 20000}, rationale=REASON), 201),
    ("post", "/amendments/{amendment_id}/accept", "Accept and merge an amendment (rapporteur); 409 when "
     "it cannot be merged", obj([], rationale=REASON), 200),
    ("post", "/amendments/{amendment_id}/reject", "Reject an amendment with a reason (rapporteur)",
     obj(["reason"], reason=REASON), 200),
    ("post", "/amendments/{amendment_id}/withdraw", "Withdraw one's amendment", None, 200),
    ("put", "/amendments/{amendment_id}/vote", "Vote on an open amendment",
     obj(["position"], position=POSITION, reason=REASON), 200),
    ("get", "/documents/{document_id}/dashboard", "Consensus dashboard: counts, tallies, what needs attention",
     None, 200),
    ("get", "/notifications", "The caller's notifications", None, 200),
    ("post", "/notifications/read", "Mark one notification (id) or all as read", obj([], id=ID), 200),
]:
    register_operation(*_operation)
