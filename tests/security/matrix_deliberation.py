"""Matrix entries for deliberation: comments, votes, declarations, amendments, dashboard, notifications.

The rules (issue 4, DESIGN.md, domain/procedure.py): experts and above comment and vote while the
text is deliberated (drafting, amendments, consolidation) and not once the silence procedure runs or
the document is adopted; only a comment's author edits or deletes it; its author, a rapporteur or the
chair resolves it; the chair declares a clause's status; experts propose amendments (suggestions)
while drafting and in the amendments phase; rapporteurs decide them while drafting and in the amendments
and consolidation phases; only the author withdraws.
"""
from tests.security.matrix_world import (
    AMENDED, API, Route, amendment, comment, notification, other_amendment, other_comment, owner, stale_vote,
)


def _clause(suffix):
    return lambda w: f"/clauses/{w.op.id}{suffix}"


def _api_clause(suffix):
    return lambda w: f"{API}/clauses/{w.op.id}{suffix}"


COMMENT = {"body": "Which data?"}


def _comment_crossed(prefix):
    """A comment on this meeting's clause that replies to, or is about, another meeting's objects."""
    return lambda w: [(f"{prefix}/clauses/{w.op.id}/comments", dict(COMMENT, parent_id=other_comment(w))),
                      (f"{prefix}/clauses/{w.op.id}/comments", dict(COMMENT, amendment_id=other_amendment(w)))]


def _own_comment(path, resolved=False):
    """The caller's own comment (the expert's for anyone who cannot comment)."""
    return lambda w: path.format(comment(w, owner(w), resolved=resolved))


def _someones_comment(path, resolved=False):
    """A comment by the second expert, who is never the caller."""
    return lambda w: path.format(comment(w, w.expert2, resolved=resolved))


def _other_meetings_comment(path, body=None):
    return lambda w: (path.format(other_comment(w)), body)


def _own_amendment(path):
    return lambda w: path.format(amendment(w, owner(w)))


def _an_amendment(path):
    return lambda w: path.format(amendment(w, w.expert2))


def _other_meetings_amendment(path, body=None):
    return lambda w: (path.format(other_amendment(w)), body)


def _own_stale_vote(url):
    def build(w):
        stale_vote(w, owner(w))
        return url(w)
    return build


def _proposal(w, base=None):
    return {"base_revision_id": base or w.op.head_revision_id, "text": AMENDED, "rationale": "Say how often."}


def _own_notification(path):
    """The path, after giving the caller (anyone signed in) an unread notification; {} is its id."""
    return lambda w: path.format(notification(w, owner(w, "signed_in")))


def _phases(url, minimum_by_phase, body=None, crossed=None):
    """One Route per phase; the first carries the crossed call."""
    return tuple(Route(url, minimum, body=body, phase=phase, crossed=crossed if n == 0 else None)
                 for n, (phase, minimum) in enumerate(minimum_by_phase))


DELIBERATING = [("drafting", "expert"), ("final_reading", "nobody"), ("adopted", "nobody")]
DECIDING = [("amendments", "rapporteur"), ("consolidation", "rapporteur"), ("drafting", "rapporteur"),
            ("final_reading", "nobody")]

ROUTES = {
    # comments, as pages
    ("deliberation.post_comment", "POST"): _phases(
        _clause("/comments"), DELIBERATING, body=lambda w: COMMENT, crossed=_comment_crossed("")),
    ("deliberation.edit_comment", "POST"): (
        *_phases(_own_comment("/comments/{}/edit"), [("drafting", "expert"), ("adopted", "nobody")],
                 body=lambda w: {"body": "Which open data?"},
                 crossed=_other_meetings_comment("/comments/{}/edit", {"body": "Hijacked"})),
        Route(_someones_comment("/comments/{}/edit"), "nobody", body=lambda w: {"body": "Not mine"}),
    ),
    ("deliberation.delete_comment", "POST"): (
        *_phases(_own_comment("/comments/{}/delete"), [("drafting", "expert"), ("adopted", "nobody")],
                 crossed=_other_meetings_comment("/comments/{}/delete")),
        Route(_someones_comment("/comments/{}/delete"), "nobody"),
    ),
    ("deliberation.resolve_comment", "POST"): (
        Route(_own_comment("/comments/{}/resolve"), "expert", body=lambda w: {"resolved": "1"},
              crossed=_other_meetings_comment("/comments/{}/resolve", {"resolved": "1"})),
        Route(_someones_comment("/comments/{}/resolve"), "rapporteur", body=lambda w: {"resolved": "1"}),
        Route(_someones_comment("/comments/{}/resolve", resolved=True), "rapporteur",
              body=lambda w: {"resolved": "0"}),
        Route(_someones_comment("/comments/{}/resolve"), "nobody", body=lambda w: {"resolved": "1"},
              phase="adopted"),
    ),

    # comments, in the API
    ("api.list_comments", "GET"): Route(_api_clause("/comments"), "observer"),
    ("api.post_comment", "POST"): _phases(
        _api_clause("/comments"), DELIBERATING + [("consolidation", "expert")], body=lambda w: COMMENT,
        crossed=_comment_crossed(API)),
    ("api.edit_comment", "PUT"): (
        *_phases(_own_comment(API + "/comments/{}"), [("drafting", "expert"), ("final_reading", "nobody")],
                 body=lambda w: {"body": "Which open data?"},
                 crossed=_other_meetings_comment(API + "/comments/{}", {"body": "Hijacked"})),
        Route(_someones_comment(API + "/comments/{}"), "nobody", body=lambda w: {"body": "Not mine"}),
    ),
    ("api.delete_comment", "DELETE"): (
        *_phases(_own_comment(API + "/comments/{}"), [("drafting", "expert"), ("published", "nobody")],
                 crossed=_other_meetings_comment(API + "/comments/{}")),
        Route(_someones_comment(API + "/comments/{}"), "nobody"),
    ),
    ("api.resolve_comment", "POST"): (
        Route(_own_comment(API + "/comments/{}/resolve"), "expert",
              crossed=_other_meetings_comment(API + "/comments/{}/resolve")),
        Route(_someones_comment(API + "/comments/{}/resolve"), "rapporteur"),
        Route(_someones_comment(API + "/comments/{}/resolve"), "nobody", phase="final_reading"),
    ),
    ("api.reopen_comment", "POST"): (
        Route(_someones_comment(API + "/comments/{}/reopen", resolved=True), "rapporteur",
              crossed=_other_meetings_comment(API + "/comments/{}/reopen")),
        Route(_someones_comment(API + "/comments/{}/reopen", resolved=True), "nobody", phase="adopted"),
    ),

    # votes and declarations
    ("deliberation.vote", "POST"): _phases(_clause("/vote"), DELIBERATING + [("amendments", "expert")],
                                           body=lambda w: {"position": "agree"}),
    ("api.list_votes", "GET"): Route(_api_clause("/votes"), "observer"),
    ("api.cast_vote", "PUT"): _phases(_api_clause("/vote"), DELIBERATING + [("consolidation", "expert")],
                                      body=lambda w: {"position": "block", "reason": "Cities lack the means."}),
    ("deliberation.confirm_vote", "POST"): _phases(_own_stale_vote(_clause("/vote/confirm")),
                                                   [("drafting", "expert"), ("adopted", "nobody")]),
    ("api.confirm_vote", "POST"): _phases(_own_stale_vote(_api_clause("/vote/confirm")),
                                          [("consolidation", "expert"), ("final_reading", "nobody")]),
    ("deliberation.declare", "POST"): _phases(
        _clause("/declare"), [("drafting", "chair"), ("final_reading", "nobody"), ("adopted", "nobody")],
        body=lambda w: {"status": "agreed"}),
    ("api.declare", "POST"): _phases(
        _api_clause("/declare"), [("consolidation", "chair"), ("published", "nobody")],
        body=lambda w: {"status": "bracketed"}),

    # amendments
    ("api.list_amendments", "GET"): Route(_api_clause("/amendments"), "observer"),
    ("deliberation.propose_amendment", "POST"): _phases(
        _clause("/amendments"), [("amendments", "expert"), ("drafting", "expert"), ("consolidation", "nobody")],
        body=_proposal,
        crossed=lambda w: (f"/clauses/{w.op.id}/amendments", _proposal(w, w.other_clause.head_revision_id))),
    ("api.propose_amendment", "POST"): _phases(
        _api_clause("/amendments"), [("amendments", "expert"), ("final_reading", "nobody")], body=_proposal,
        crossed=lambda w: (f"{API}/clauses/{w.op.id}/amendments", _proposal(w, w.other_clause.head_revision_id))),
    ("deliberation.accept_amendment", "POST"): _phases(
        _an_amendment("/amendments/{}/accept"), DECIDING, body=lambda w: {"rationale": "Agreed in the room."},
        crossed=_other_meetings_amendment("/amendments/{}/accept")),
    ("api.accept_amendment", "POST"): _phases(
        _an_amendment(API + "/amendments/{}/accept"), DECIDING[:2] + [("adopted", "nobody")],
        crossed=_other_meetings_amendment(API + "/amendments/{}/accept")),
    ("deliberation.reject_amendment", "POST"): _phases(
        _an_amendment("/amendments/{}/reject"), DECIDING[:1] + [("adopted", "nobody")],
        body=lambda w: {"reason": "Out of scope."},
        crossed=_other_meetings_amendment("/amendments/{}/reject", {"reason": "Out of scope."})),
    ("api.reject_amendment", "POST"): _phases(
        _an_amendment(API + "/amendments/{}/reject"), DECIDING[1:2] + [("final_reading", "nobody")],
        body=lambda w: {"reason": "Out of scope."},
        crossed=_other_meetings_amendment(API + "/amendments/{}/reject", {"reason": "Out of scope."})),
    ("deliberation.withdraw_amendment", "POST"): (
        *_phases(_own_amendment("/amendments/{}/withdraw"), [("amendments", "expert"), ("adopted", "nobody")],
                 crossed=_other_meetings_amendment("/amendments/{}/withdraw")),
        Route(_an_amendment("/amendments/{}/withdraw"), "nobody", phase="amendments"),
    ),
    ("api.withdraw_amendment", "POST"): (
        *_phases(_own_amendment(API + "/amendments/{}/withdraw"),
                 [("consolidation", "expert"), ("final_reading", "nobody")],
                 crossed=_other_meetings_amendment(API + "/amendments/{}/withdraw")),
        Route(_an_amendment(API + "/amendments/{}/withdraw"), "nobody", phase="amendments"),
    ),
    ("deliberation.vote_amendment", "POST"): _phases(
        _an_amendment("/amendments/{}/vote"), [("amendments", "expert"), ("final_reading", "nobody")],
        body=lambda w: {"position": "agree"},
        crossed=_other_meetings_amendment("/amendments/{}/vote", {"position": "block", "reason": "No."})),
    ("api.vote_amendment", "PUT"): _phases(
        _an_amendment(API + "/amendments/{}/vote"), [("consolidation", "expert"), ("adopted", "nobody")],
        body=lambda w: {"position": "disagree"},
        crossed=_other_meetings_amendment(API + "/amendments/{}/vote", {"position": "agree"})),

    # where things stand, and notifications
    ("deliberation.document_dashboard", "GET"): Route(lambda w: f"/documents/{w.document.id}/dashboard", "observer"),
    ("api.document_dashboard", "GET"): Route(lambda w: f"{API}/documents/{w.document.id}/dashboard", "observer"),
    ("deliberation.notification_list", "GET"): Route(lambda w: "/notifications", "signed_in"),
    ("deliberation.read_all", "POST"): Route(_own_notification("/notifications/read"), "signed_in"),
    ("deliberation.open_notification", "POST"): Route(
        _own_notification("/notifications/{}/open"), "signed_in",
        crossed=lambda w: (f"/notifications/{notification(w, w.other_chair)}/open", None)),
    ("api.list_notifications", "GET"): Route(lambda w: f"{API}/notifications", "signed_in"),
    ("api.read_notifications", "POST"): Route(
        lambda w: f"{API}/notifications/read", "signed_in",
        body=lambda w: {"id": notification(w, owner(w, "signed_in"))},
        crossed=lambda w: (f"{API}/notifications/read", {"id": notification(w, w.other_chair)})),
}
