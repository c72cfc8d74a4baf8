"""Matrix entries for the procedure, the rapporteur tools, the outcome document (issue 6) and the admin page.

The rules: the chair starts the silence procedure from consolidation, adopts from consolidation,
publishes what is adopted, renumbers during consolidation; experts object during the silence procedure
and lodge reservations once adopted; rapporteurs use their tools in consolidation only. The outcome
document is read like the draft (observers when they follow the drafts), by every observer once it
is published, and by anyone when it is published publicly.
"""
from datetime import timedelta

from drafting.boundary import commit
from drafting.exports import markdown
from drafting.extensions import db
from drafting.services import consolidation, declarations, outcome, procedure
from tests.conftest import PASSWORD
from tests.security.matrix_world import (
    API, Route, alternative, amendment, followed_by_observers, in_phase, other_amendment, published, publicly,
)


def _document(suffix, prefix=""):
    return lambda w: f"{prefix}/documents/{w.document.id}{suffix}"


def _clause(suffix, prefix=""):
    return lambda w: f"{prefix}/clauses/{w.op.id}{suffix}"


def _only_in(url, phase, minimum, refused_in, body=None, crossed=None):
    """Allowed to `minimum` in one phase, refused to everyone in another."""
    return (Route(url, minimum, body=body, phase=phase, crossed=crossed),
            Route(url, "nobody", body=body, phase=refused_in))


def _merge(w, form=False, other=False):
    ids = [w.pp.id, (w.other_clause if other else w.op).id]
    return {"clause_ids": [str(i) for i in ids] if form else ids, "rationale": "One paragraph says it."}


def _compromise(w, form=False, foreign=False):
    chosen = other_amendment(w) if foreign else amendment(w, w.expert2)
    return {"base_revision_id": w.op.head_revision_id, "text": "Recommends that cities publish open data yearly;",
            "rationale": "Draws on the amendments.", "amendment_ids": [str(chosen) if form else chosen]}


def _split(w, base=None):
    return {"base_revision_id": base or w.op.head_revision_id, "before": "publish"}


def _selected(w, base=None):
    return {"action": "bracket", "base_revision_id": base or w.op.head_revision_id, "quote": "open data"}


def _move_to_another_documents_section(prefix):
    return lambda w: (f"{prefix}/clauses/{w.op.id}/move", {"section_id": w.other_document.sections[-1].id})


def _outcome_markdown(w):
    return markdown.render(outcome.build(w.document))


def _not_followed(url):
    def build(w):
        followed_by_observers(w, False)
        return url(w)
    return build


def _to_members(url):
    """Published to members only, in a meeting whose observers do not follow the drafts."""
    def build(w):
        published(w, "members")
        followed_by_observers(w, False)
        return url(w)
    return build


def _outcome(suffix):
    url = _document(f"/outcome{suffix}")
    return (Route(url, "observer"), Route(_not_followed(url), "expert"),
            Route(_to_members(url), "observer", phase="published"),
            Route(publicly(url), "public", phase="published"))


RESERVATION = {"text": "We read this paragraph as not binding on local budgets.", "kind": "reservation"}
OBJECTION = {"text": "Paragraph 1 goes further than the room agreed."}
CONFIRMED_OBJECTION = dict(OBJECTION, confirm="yes")  # the form asks once more before it breaks silence


def _ready(url):
    """The url, once every paragraph of the world's document is declared agreed (adoption's checklist)."""
    def build(w):
        with in_phase(w.document, "consolidation"):
            for clause in (w.pp, w.op):
                declarations.declare(w.chair, clause, "agreed")
        commit()
        return url(w)
    return build


def _silence_running(url):
    """The url, with a silence procedure running (started now, for 72 hours)."""
    def build(w):
        w.document.silence_started_at = procedure.now()
        w.document.silence_deadline = procedure.now() + timedelta(hours=72)
        db.session.commit()
        return url(w)
    return build


def _withdrawn(url):
    """The url, once the world's operative clause has been withdrawn (by the chair, in consolidation)."""
    def build(w):
        with in_phase(w.document, "consolidation"):
            consolidation.withdraw(w.chair, w.op, "A duplicate of another paragraph.")
        commit()
        return url(w)
    return build


def _section(suffix, prefix=""):
    return lambda w: f"{prefix}/sections/{w.document.sections[0].id}{suffix}"


def _other_section(suffix, prefix="", body=None):
    return lambda w: (f"{prefix}/sections/{w.other_document.sections[0].id}{suffix}", body)


WITHDRAWAL = {"reason": "A duplicate of paragraph 2."}
EXTENSION = {"hours": "24", "reason": "Delegations asked for the weekend."}

ROUTES = {
    # the procedure, as pages
    ("procedure.show", "GET"): Route(_document("/procedure"), "observer"),
    ("procedure.start_silence", "POST"): _only_in(_ready(_document("/silence")), "consolidation", "chair",
                                                  "drafting", body=lambda w: {"hours": "72"}),
    ("procedure.extend_silence", "POST"): _only_in(_silence_running(_document("/silence/extend")),
                                                   "final_reading", "chair", "consolidation",
                                                   body=lambda w: EXTENSION),
    ("procedure.cancel_silence", "POST"): _only_in(_silence_running(_document("/silence/cancel")),
                                                   "final_reading", "chair", "adopted",
                                                   body=lambda w: {"reason": "The text needs another reading."}),
    ("procedure.object_to", "POST"): _only_in(_document("/objections"), "final_reading", "expert", "consolidation",
                                              body=lambda w: CONFIRMED_OBJECTION),
    ("procedure.adopt", "POST"): _only_in(_ready(_document("/adopt")), "consolidation", "chair", "final_reading"),
    ("procedure.withdraw", "POST"): (
        Route(_clause("/withdraw"), "expert", body=lambda w: WITHDRAWAL,
              crossed=lambda w: (f"/clauses/{w.other_clause.id}/withdraw", WITHDRAWAL)),
        Route(_clause("/withdraw"), "nobody", body=lambda w: WITHDRAWAL, phase="final_reading")),
    ("procedure.restore", "POST"): _only_in(_withdrawn(_clause("/restore")), "consolidation", "chair", "adopted"),
    ("procedure.publish", "POST"): _only_in(_document("/publish"), "adopted", "chair", "consolidation",
                                            body=lambda w: {"visibility": "public"}),
    ("procedure.renumber", "POST"): _only_in(_document("/renumber"), "consolidation", "chair", "drafting"),
    ("procedure.merge", "POST"): _only_in(
        _document("/merge"), "consolidation", "rapporteur", "amendments", body=lambda w: _merge(w, form=True),
        crossed=lambda w: (f"/documents/{w.document.id}/merge", _merge(w, form=True, other=True))),
    ("procedure.tools", "GET"): Route(_clause("/consolidate"), "observer"),
    ("procedure.compromise", "POST"): _only_in(
        _clause("/compromise"), "consolidation", "rapporteur", "amendments", body=lambda w: _compromise(w, form=True),
        crossed=lambda w: (f"/clauses/{w.op.id}/compromise", _compromise(w, form=True, foreign=True))),
    ("procedure.split", "POST"): _only_in(
        _clause("/split"), "consolidation", "rapporteur", "drafting", body=_split,
        crossed=lambda w: (f"/clauses/{w.op.id}/split", _split(w, w.other_clause.head_revision_id))),
    ("procedure.bracket", "POST"): _only_in(_clause("/bracket"), "consolidation", "rapporteur", "final_reading"),
    ("procedure.add_alternative", "POST"): _only_in(
        _clause("/alternatives"), "consolidation", "rapporteur", "drafting",
        body=lambda w: {"text": "Recommends that cities share open data;"}),
    ("procedure.choose", "POST"): _only_in(lambda w: f"/clauses/{alternative(w)}/choose", "consolidation",
                                           "rapporteur", "adopted"),
    ("procedure.move", "POST"): _only_in(_clause("/move"), "consolidation", "rapporteur", "amendments",
                                         body=lambda w: {"direction": "up"},
                                         crossed=_move_to_another_documents_section("")),
    ("procedure.reserve", "POST"): (
        Route(_clause("/reservations"), "expert", body=lambda w: RESERVATION, phase="adopted"),
        Route(_clause("/reservations"), "expert", body=lambda w: RESERVATION, phase="published"),
        Route(_clause("/reservations"), "nobody", body=lambda w: RESERVATION, phase="consolidation"),
    ),

    # the procedure, in the API
    ("api.get_procedure", "GET"): Route(_document("/procedure", API), "observer"),
    ("api.start_silence", "POST"): _only_in(_ready(_document("/silence", API)), "consolidation", "chair",
                                            "amendments", body=lambda w: {"hours": 24}),
    ("api.extend_silence", "POST"): _only_in(_silence_running(_document("/silence/extend", API)),
                                             "final_reading", "chair", "consolidation",
                                             body=lambda w: {"hours": 24, "reason": "More time."}),
    ("api.cancel_silence", "POST"): _only_in(_silence_running(_document("/silence/cancel", API)),
                                             "final_reading", "chair", "drafting", body=lambda w: {}),
    ("api.withdraw", "POST"): (
        Route(_clause("/withdraw", API), "expert", body=lambda w: WITHDRAWAL,
              crossed=lambda w: (f"{API}/clauses/{w.other_clause.id}/withdraw", WITHDRAWAL)),
        Route(_clause("/withdraw", API), "nobody", body=lambda w: WITHDRAWAL, phase="adopted")),
    ("api.restore", "POST"): _only_in(_withdrawn(_clause("/restore", API)), "consolidation", "chair",
                                      "final_reading"),
    ("api.rename_section", "PUT"): (
        Route(_section("", API), "chair", body=lambda w: {"title": "Preamble (revised)"},
              crossed=_other_section("", API, {"title": "Taken over"})),
        Route(_section("", API), "nobody", body=lambda w: {"title": "Late"}, phase="final_reading")),
    ("api.move_section", "POST"): (
        Route(_section("/move", API), "chair", body=lambda w: {"direction": "down"},
              crossed=_other_section("/move", API, {"direction": "down"})),
        Route(_section("/move", API), "nobody", body=lambda w: {"direction": "down"}, phase="adopted")),
    # Both values of the observers setting, so that each way is the chair's alone.
    ("api.meeting_settings", "PUT"): (
        Route(lambda w: f"{API}/meetings/{w.meeting.id}/settings", "chair",
              body=lambda w: {"observers_follow_drafts": False, "time_zone": "Europe/Zurich"},
              crossed=lambda w: (f"{API}/meetings/{w.other_meeting.id}/settings", {"observers_follow_drafts": False})),
        Route(_not_followed(lambda w: f"{API}/meetings/{w.meeting.id}/settings"), "chair",
              body=lambda w: {"observers_follow_drafts": True})),
    ("meetings.settings", "POST"): (
        Route(lambda w: f"/meetings/{w.meeting.id}/settings", "chair",
              body=lambda w: {"time_zone": "America/New_York"}),
        Route(_not_followed(lambda w: f"/meetings/{w.meeting.id}/settings"), "chair",
              body=lambda w: {"observers_follow_drafts": "1", "time_zone": "UTC"})),
    ("documents.rename_section", "POST"): (
        Route(_section("/rename"), "chair", body=lambda w: {"title": "Preamble (revised)"},
              crossed=_other_section("/rename", "", {"title": "Taken over"})),
        Route(_section("/rename"), "nobody", body=lambda w: {"title": "Late"}, phase="published")),
    ("documents.move_section", "POST"): (
        Route(_section("/move"), "chair", body=lambda w: {"direction": "down"},
              crossed=_other_section("/move", "", {"direction": "down"})),
        Route(_section("/move"), "nobody", body=lambda w: {"direction": "down"}, phase="final_reading")),
    ("api.object_to", "POST"): _only_in(_document("/objections", API), "final_reading", "expert", "adopted",
                                        body=lambda w: OBJECTION),
    ("api.adopt", "POST"): _only_in(_ready(_document("/adopt", API)), "consolidation", "chair", "drafting"),
    ("api.publish", "POST"): _only_in(_document("/publish", API), "adopted", "chair", "final_reading",
                                      body=lambda w: {"visibility": "members"}),
    ("api.renumber", "POST"): _only_in(_document("/renumber", API), "consolidation", "chair", "final_reading"),
    ("api.merge", "POST"): _only_in(
        _document("/merge", API), "consolidation", "rapporteur", "drafting", body=_merge,
        crossed=lambda w: (f"{API}/documents/{w.document.id}/merge", _merge(w, other=True))),
    ("api.compromise", "POST"): _only_in(
        _clause("/compromise", API), "consolidation", "rapporteur", "final_reading", body=_compromise,
        crossed=lambda w: (f"{API}/clauses/{w.op.id}/compromise", _compromise(w, foreign=True))),
    ("api.split", "POST"): _only_in(
        _clause("/split", API), "consolidation", "rapporteur", "amendments", body=_split,
        crossed=lambda w: (f"{API}/clauses/{w.op.id}/split", _split(w, w.other_clause.head_revision_id))),
    ("api.bracket", "POST"): _only_in(
        _clause("/bracket", API), "consolidation", "rapporteur", "drafting", body=lambda w: {"base_revision_id": w.op.head_revision_id, "quote": "open data"},
        crossed=lambda w: (f"{API}/clauses/{w.op.id}/bracket",
                           {"base_revision_id": w.other_clause.head_revision_id, "quote": "open data"})),
    ("api.add_alternative", "POST"): _only_in(
        _clause("/alternatives", API), "consolidation", "rapporteur", "adopted",
        body=lambda w: {"text": "Recommends that cities share open data;"}),
    ("api.choose", "POST"): _only_in(lambda w: f"{API}/clauses/{alternative(w)}/choose", "consolidation",
                                     "rapporteur", "final_reading"),
    ("api.move", "POST"): _only_in(_clause("/move", API), "consolidation", "rapporteur", "drafting",
                                   body=lambda w: {"direction": "up"},
                                   crossed=_move_to_another_documents_section(API)),
    ("api.selection_preview", "POST"): _only_in(
        _clause("/selection/preview", API), "consolidation", "rapporteur", "amendments", body=lambda w: _selected(w),
        crossed=lambda w: (f"{API}/clauses/{w.op.id}/selection/preview", _selected(w, w.other_clause.head_revision_id))),
    ("api.selection_apply", "POST"): _only_in(
        _clause("/selection/apply", API), "consolidation", "rapporteur", "drafting", body=lambda w: _selected(w),
        crossed=lambda w: (f"{API}/clauses/{w.op.id}/selection/apply", _selected(w, w.other_clause.head_revision_id))),
    ("api.merge_preview", "POST"): _only_in(
        _document("/merge/preview", API), "consolidation", "rapporteur", "final_reading", body=_merge,
        crossed=lambda w: (f"{API}/documents/{w.document.id}/merge/preview", _merge(w, other=True))),
    ("api.reserve", "POST"): _only_in(_clause("/reservations", API), "published", "expert", "final_reading",
                                      body=lambda w: dict(RESERVATION, kind="interpretive")),

    # the outcome document
    ("outcome.show", "GET"): _outcome(""),
    ("outcome.as_markdown", "GET"): _outcome(".md"),
    ("outcome.as_docx", "GET"): _outcome(".docx"),
    ("outcome.as_akoma_ntoso", "GET"): _outcome(".xml"),
    ("outcome.as_pdf", "GET"): (Route(_document("/outcome.pdf"), "observer"),
                                Route(publicly(_document("/outcome.pdf")), "public", phase="published")),
    ("outcome.as_archive", "GET"): Route(_document("/archive.json"), "chair"),
    ("outcome.import_document", "GET"): Route(lambda w: f"/meetings/{w.meeting.id}/import", "chair"),
    ("outcome.import_document", "POST"): Route(
        lambda w: f"/meetings/{w.meeting.id}/import", "chair",
        body=lambda w: {"text": _outcome_markdown(w), "title": "Imported outcome"}),
    ("api.import_document", "POST"): Route(lambda w: f"{API}/meetings/{w.meeting.id}/documents/import", "chair",
                                           body=lambda w: _outcome_markdown(w).encode()),

    # the site administrator's page
    ("admin.accounts_page", "GET"): Route(lambda w: "/admin/accounts", "admin"),
    ("admin.accounts_page", "POST"): (
        Route(lambda w: "/admin/accounts", "admin", body=lambda w: {
            "action": "create", "email": "new.account@example.org", "name": "New Account", "password": PASSWORD,
            "organisation": "UN-Habitat", "stakeholder_group": "un_system"}),
        Route(lambda w: "/admin/accounts", "admin", body=lambda w: {"action": "grant", "user_id": str(w.expert2.id)}),
    ),
}
