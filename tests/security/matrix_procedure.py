"""Matrix entries for the procedure, the rapporteur tools, the outcome document (issue 6) and the admin page.

The rules: the chair starts the silence procedure from consolidation, adopts from consolidation,
publishes what is adopted, renumbers during consolidation; experts object during the silence procedure
and lodge reservations once adopted; rapporteurs use their tools in consolidation only. The outcome
document is read like the draft (observers when they follow the drafts), by every observer once it
is published, and by anyone when it is published publicly.
"""
from drafting.exports import markdown
from drafting.services import outcome
from tests.conftest import PASSWORD
from tests.security.matrix_world import (
    API, Route, alternative, amendment, followed_by_observers, other_amendment, published, publicly,
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

ROUTES = {
    # the procedure, as pages
    ("procedure.show", "GET"): Route(_document("/procedure"), "observer"),
    ("procedure.start_silence", "POST"): _only_in(_document("/silence"), "consolidation", "chair", "drafting",
                                                  body=lambda w: {"hours": "72"}),
    ("procedure.object_to", "POST"): _only_in(_document("/objections"), "final_reading", "expert", "consolidation",
                                              body=lambda w: OBJECTION),
    ("procedure.adopt", "POST"): _only_in(_document("/adopt"), "consolidation", "chair", "final_reading"),
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
    ("api.start_silence", "POST"): _only_in(_document("/silence", API), "consolidation", "chair", "amendments",
                                            body=lambda w: {"hours": 24}),
    ("api.object_to", "POST"): _only_in(_document("/objections", API), "final_reading", "expert", "adopted",
                                        body=lambda w: OBJECTION),
    ("api.adopt", "POST"): _only_in(_document("/adopt", API), "consolidation", "chair", "drafting"),
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
