"""The authorization matrix: every route and Socket.IO event, how to call it, and who may.

test_authorization_matrix.py calls each entry as anonymous, outsider, observer, expert,
rapporteur, chair, site admin and the chair of another meeting, against the `world` fixture
(tests/conftest.py). A route in the app's URL map (or a socket event) without an entry here fails
that test: add one when you add a route.

    ROUTES[(endpoint, METHOD)] = Route(url, minimum, body=None, phase=None, crossed=None)

- url(w) / body(w): build the request from the world; they may create rows (an invitation, an
  amendment to accept) first, through the services (matrix_world.py has the building blocks).
  body is form data for pages and JSON under /api (bytes: a raw upload). w.caller is the user
  making the call (None for anonymous): routes only an object's author may use build the object
  as the caller's own when the caller could have made it (matrix_world.owner).
- minimum: the lowest role that succeeds: "public", "signed_in" (any account), "observer",
  "expert", "rapporteur", "chair", "admin" (site admins only) or "nobody" (every caller gets a 4xx).
  A site admin acts as chair of every meeting; the chair of another meeting counts as an outsider.
- phase: the document's phase before the call (the world starts in "drafting").
- signs_out: success is a redirect to the sign-in page (signing out).
- crossed(w) -> (url, body) or a list of them: the same call made by this meeting's chair but
  naming another meeting's object by id (a membership, a section, a revision, a comment, an
  amendment, a version, a notification); it must fail and change nothing.

An endpoint whose answer depends on the phase (or on whose object it is) lists several Routes.
The entries of each feature live in their own module: matrix_history (change tracking and live
updates), matrix_deliberation (comments, votes, amendments), matrix_procedure (procedure,
rapporteur tools, outcome document, admin page).
"""
from tests.conftest import PASSWORD
from tests.security import matrix_deliberation, matrix_drafting, matrix_history, matrix_mail, matrix_procedure
from tests.security.matrix_world import (  # noqa: F401  (the test imports the roles from here)
    API, RANK, ROLES, Route, SocketEvent, invitation, may, membership_id, publicly,
)


def _accept_url(w):
    return f"/invitations/{invitation(w)[1]}"


def _revoke_url(w):
    return f"/meetings/{w.meeting.id}/invitations/{invitation(w)[0]}/revoke"


def _revoke_crossed(w):
    other_id, _ = invitation(w, w.other_meeting, w.other_chair)
    return f"/meetings/{w.meeting.id}/invitations/{other_id}/revoke", None


def _member_url(prefix):
    return lambda w: f"{prefix}/meetings/{w.meeting.id}/members/{membership_id(w.meeting, w.expert2)}"


def _member_crossed(prefix, body):
    return lambda w: (f"{prefix}/meetings/{w.meeting.id}/members/"
                      f"{membership_id(w.other_meeting, w.other_chair)}", body)


def _new_clause(w, section=None):
    return {"section_id": (section or w.document.sections[-1]).id, "kind": "OP",
            "category": "recommendation", "text": "Urges cities to act;"}


def _edit(w, base=None):
    return {"base_revision_id": base or w.op.head_revision_id, "text": "Recommends that cities share data;",
            "rationale": "Shorter."}


RULES = {"quorum": 0.5, "threshold": 0.8, "block_prevents_consensus": True, "hide_tallies": False}

# --- the routes ---------------------------------------------------------------------------------

ROUTES = {
    ("static", "GET"): Route(lambda w: "/static/css/app.css", "public"),

    # accounts
    ("accounts.login", "GET"): Route(lambda w: "/login", "public"),
    ("accounts.login", "POST"): Route(lambda w: "/login", "public",
                                      body=lambda w: {"email": w.expert.email, "password": PASSWORD}),
    ("accounts.logout", "POST"): Route(lambda w: "/logout", "public", signs_out=True),
    ("accounts.account", "GET"): Route(lambda w: "/account", "signed_in"),
    ("accounts.account", "POST"): Route(lambda w: "/account", "signed_in", body=lambda w: {
        "action": "profile", "name": "Renamed Person", "organisation": "UN-Habitat",
        "stakeholder_group": "un_system"}),
    ("accounts.accept", "GET"): Route(_accept_url, "public"),
    ("accounts.accept", "POST"): Route(_accept_url, "public", body=lambda w: {
        "name": "Invited Person", "password": PASSWORD, "confirm_password": PASSWORD}),

    # meeting pages
    ("meetings.index", "GET"): Route(lambda w: "/", "signed_in"),
    ("meetings.new", "GET"): Route(lambda w: "/meetings/new", "admin"),
    ("meetings.new", "POST"): Route(lambda w: "/meetings/new", "admin",
                                    body=lambda w: {"title": "A new meeting", "starts_on": "2016-10-17"}),
    ("meetings.show", "GET"): Route(lambda w: f"/meetings/{w.meeting.id}", "observer"),
    ("meetings.invite", "POST"): Route(lambda w: f"/meetings/{w.meeting.id}/members", "chair",
                                       body=lambda w: {"email": "new.member@example.org", "role": "expert"}),
    ("meetings.change_member", "POST"): Route(
        _member_url(""), "chair", body=lambda w: {"action": "role", "role": "rapporteur"},
        crossed=_member_crossed("", {"action": "remove"})),
    ("meetings.revoke_invitation", "POST"): Route(_revoke_url, "chair", crossed=_revoke_crossed),
    ("meetings.create_document", "POST"): Route(lambda w: f"/meetings/{w.meeting.id}/documents", "chair",
                                                body=lambda w: {"title": "Another outcome"}),

    # document pages
    # A document published publicly: anyone reads its outcome (matrix_procedure), members the rest.
    ("documents.show", "GET"): (
        Route(lambda w: f"/documents/{w.document.id}", "observer"),
        Route(publicly(lambda w: f"/documents/{w.document.id}"), "observer", phase="published")),
    ("documents.add_section", "POST"): Route(lambda w: f"/documents/{w.document.id}/sections", "chair",
                                             body=lambda w: {"title": "Annex"}),
    ("documents.new_clause", "GET"): Route(lambda w: f"/documents/{w.document.id}/clauses/new", "expert"),
    ("documents.new_clause", "POST"): Route(
        lambda w: f"/documents/{w.document.id}/clauses/new", "expert", body=_new_clause,
        crossed=lambda w: (f"/documents/{w.document.id}/clauses/new", _new_clause(w, w.other_document.sections[-1]))),
    ("documents.clause", "GET"): Route(lambda w: f"/clauses/{w.op.id}", "observer"),
    ("documents.edit_clause", "POST"): (
        Route(lambda w: f"/clauses/{w.op.id}/edit", "expert", body=_edit,
              crossed=lambda w: (f"/clauses/{w.op.id}/edit", _edit(w, w.other_clause.head_revision_id))),
        Route(lambda w: f"/clauses/{w.op.id}/edit", "nobody", body=_edit, phase="amendments"),
        Route(lambda w: f"/clauses/{w.op.id}/edit", "rapporteur", body=_edit, phase="consolidation"),
        Route(lambda w: f"/clauses/{w.op.id}/edit", "nobody", body=_edit, phase="published"),
    ),
    ("documents.tag_clause", "POST"): Route(lambda w: f"/clauses/{w.op.id}/tags", "expert",
                                            body=lambda w: {"tags": "11.1"}),
    ("documents.activity", "GET"): Route(lambda w: f"/documents/{w.document.id}/activity", "observer"),
    ("documents.procedure", "POST"): Route(lambda w: f"/documents/{w.document.id}/procedure", "chair",
                                           body=lambda w: {"action": "phase", "phase": "amendments"}),

    # the JSON API
    ("api.openapi", "GET"): Route(lambda w: f"{API}/openapi.json", "public"),
    ("api.list_meetings", "GET"): Route(lambda w: f"{API}/meetings", "signed_in"),
    ("api.create_meeting", "POST"): Route(lambda w: f"{API}/meetings", "admin", body=lambda w: {"title": "New"}),
    ("api.get_meeting", "GET"): Route(lambda w: f"{API}/meetings/{w.meeting.id}", "observer"),
    ("api.add_member", "POST"): Route(lambda w: f"{API}/meetings/{w.meeting.id}/members", "chair",
                                      body=lambda w: {"email": "fresh@example.org", "role": "expert"}),
    ("api.change_member", "PUT"): Route(_member_url(API), "chair", body=lambda w: {"role": "rapporteur"},
                                        crossed=_member_crossed(API, {"role": "observer"})),
    ("api.remove_member", "DELETE"): Route(_member_url(API), "chair", crossed=_member_crossed(API, None)),
    ("api.create_document", "POST"): Route(lambda w: f"{API}/meetings/{w.meeting.id}/documents", "chair",
                                           body=lambda w: {"title": "D"}),
    ("api.get_document", "GET"): (
        Route(lambda w: f"{API}/documents/{w.document.id}", "observer"),
        Route(publicly(lambda w: f"{API}/documents/{w.document.id}"), "observer", phase="published")),
    ("api.add_section", "POST"): Route(lambda w: f"{API}/documents/{w.document.id}/sections", "chair",
                                       body=lambda w: {"title": "Annex"}),
    ("api.add_clause", "POST"): (
        Route(lambda w: f"{API}/documents/{w.document.id}/clauses", "expert", body=_new_clause,
              crossed=lambda w: (f"{API}/documents/{w.document.id}/clauses",
                                 _new_clause(w, w.other_document.sections[-1]))),
        Route(lambda w: f"{API}/documents/{w.document.id}/clauses", "rapporteur", body=_new_clause,
              phase="consolidation"),
        Route(lambda w: f"{API}/documents/{w.document.id}/clauses", "nobody", body=_new_clause,
              phase="final_reading"),
    ),
    ("api.get_clause", "GET"): Route(lambda w: f"{API}/clauses/{w.op.id}", "observer"),
    ("api.tag_clause", "PUT"): Route(lambda w: f"{API}/clauses/{w.op.id}/tags", "expert",
                                     body=lambda w: {"tags": ["11.1"]}),
    ("api.list_revisions", "GET"): Route(lambda w: f"{API}/clauses/{w.op.id}/revisions", "observer"),
    ("api.save_revision", "POST"): (
        Route(lambda w: f"{API}/clauses/{w.op.id}/revisions", "expert", body=_edit,
              crossed=lambda w: (f"{API}/clauses/{w.op.id}/revisions", _edit(w, w.other_clause.head_revision_id))),
        Route(lambda w: f"{API}/clauses/{w.op.id}/revisions", "nobody", body=_edit, phase="amendments"),
        Route(lambda w: f"{API}/clauses/{w.op.id}/revisions", "rapporteur", body=_edit, phase="consolidation"),
        Route(lambda w: f"{API}/clauses/{w.op.id}/revisions", "nobody", body=_edit, phase="adopted"),
    ),
    ("api.set_phase", "POST"): Route(lambda w: f"{API}/documents/{w.document.id}/phase", "chair",
                                     body=lambda w: {"phase": "amendments"}),
    ("api.set_rules", "PUT"): Route(lambda w: f"{API}/documents/{w.document.id}/rules", "chair",
                                    body=lambda w: RULES),
    ("api.list_events", "GET"): (
        Route(lambda w: f"{API}/documents/{w.document.id}/events", "observer"),
        Route(publicly(lambda w: f"{API}/documents/{w.document.id}/events"), "observer", phase="published")),
    **{("api.unknown", method): Route(lambda w: f"{API}/no/such/thing", "nobody",
                                      body=(lambda w: {}) if method in ("POST", "PUT", "PATCH") else None)
       for method in ("GET", "POST", "PUT", "PATCH", "DELETE")},
}
for _feature in (matrix_history, matrix_deliberation, matrix_procedure, matrix_mail, matrix_drafting):
    assert not set(_feature.ROUTES) & set(ROUTES), f"{_feature.__name__} repeats entries"
    ROUTES.update(_feature.ROUTES)

# --- Socket.IO events (namespace "/"; other namespaces as "/namespace event") --------------------

SOCKET_EVENTS = {
    "connect": SocketEvent("public"),
    "disconnect": SocketEvent("public"),
    "join": SocketEvent("observer", data=lambda w: {"document_id": w.document.id, "after_seq": 0},
                        crossed=lambda w: {"document_id": w.other_document.id, "after_seq": 0}),
    "leave": SocketEvent("public", data=lambda w: {"document_id": w.document.id}),
    # Presence is for those who joined; whoever may not join is told to join first.
    "presence": SocketEvent("observer", data=lambda w: {"document_id": w.document.id, "editing": w.op.id},
                            joined=True,
                            crossed=lambda w: {"document_id": w.document.id, "editing": w.other_clause.id}),
    "*": SocketEvent("nobody", data=lambda w: {"document_id": w.document.id}, name="clause.delete"),
}
