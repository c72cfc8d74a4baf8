"""Matrix entries for change tracking (issue 3) and live updates (issue 5).

Anyone who reads the document reads its history, authorship and versions; rapporteurs and the chair
snapshot versions; saving text (the conflict view, a merge proposal) follows the edit rule of
domain/procedure.py: experts while drafting, rapporteurs and the chair while consolidating.
"""
from tests.security.matrix_world import API, Route, other_version, version

EDITED = "Recommends that cities share data;"


def _resolve(w, base=None):
    return {"choice": "mine", "mine_text": EDITED, "base_revision_id": base or w.op.head_revision_id,
            "rationale": "Clearer."}


def _draft(w, base=None):
    return {"base_revision_id": base or w.op.head_revision_id, "text": EDITED}


def _editing(url, body, crossed):
    """The edit rule in every phase where it changes, with a crossed call (another meeting's revision)."""
    return (Route(url, "expert", body=body, phase="drafting", crossed=crossed),
            Route(url, "nobody", body=body, phase="amendments"),
            Route(url, "rapporteur", body=body, phase="consolidation"),
            Route(url, "nobody", body=body, phase="final_reading"))


def _other_revision(w):
    return w.other_clause.head_revision_id


def _compare(prefix):
    return lambda w: f"{prefix}/documents/{w.document.id}/compare?from={version(w)}&to=current"


def _compare_crossed(prefix):
    return lambda w: (f"{prefix}/documents/{w.document.id}/compare?from={other_version(w)}&to=current", None)


ROUTES = {
    # pages
    ("history.clause_history", "GET"): Route(
        lambda w: f"/clauses/{w.op.id}/history", "observer",
        crossed=lambda w: (f"/clauses/{w.op.id}/history?rev={_other_revision(w)}", None)),
    ("history.clause_changes", "GET"): Route(
        lambda w: f"/clauses/{w.op.id}/changes", "observer",
        crossed=lambda w: (f"/clauses/{w.op.id}/changes?from={_other_revision(w)}", None)),
    ("history.clause_authors", "GET"): Route(lambda w: f"/clauses/{w.op.id}/authors", "observer"),
    ("history.resolve_conflict", "POST"): _editing(
        lambda w: f"/clauses/{w.op.id}/resolve", _resolve,
        lambda w: (f"/clauses/{w.op.id}/resolve", _resolve(w, _other_revision(w)))),
    ("history.document_versions", "GET"): Route(lambda w: f"/documents/{w.document.id}/versions", "observer"),
    ("history.document_versions", "POST"): Route(lambda w: f"/documents/{w.document.id}/versions", "rapporteur",
                                                 body=lambda w: {"label": "Rev.1"}),
    ("history.compare_versions", "GET"): Route(_compare(""), "observer", crossed=_compare_crossed("")),

    # the API
    ("api.clause_diff", "GET"): Route(
        lambda w: f"{API}/clauses/{w.op.id}/diff", "observer",
        crossed=lambda w: (f"{API}/clauses/{w.op.id}/diff?from={_other_revision(w)}", None)),
    ("api.clause_authorship", "GET"): Route(lambda w: f"{API}/clauses/{w.op.id}/authorship", "observer"),
    ("api.list_versions", "GET"): Route(lambda w: f"{API}/documents/{w.document.id}/versions", "observer"),
    ("api.snapshot_version", "POST"): (
        Route(lambda w: f"{API}/documents/{w.document.id}/versions", "rapporteur", body=lambda w: {"label": "Rev.1"}),
        Route(lambda w: f"{API}/documents/{w.document.id}/versions", "rapporteur", body=lambda w: {"label": "Final"},
              phase="adopted"),
    ),
    ("api.compare_versions", "GET"): Route(_compare(API), "observer", crossed=_compare_crossed(API)),

    # live updates
    ("live.vendor", "GET"): Route(lambda w: "/vendor/socket.io.esm.min.js", "public"),
    ("live.clause_fragment", "GET"): Route(lambda w: f"/clauses/{w.op.id}/fragment", "observer"),
    ("live.dashboard_fragment", "GET"): Route(lambda w: f"/documents/{w.document.id}/dashboard/fragment", "observer"),
    ("live.merge_proposal", "POST"): _editing(
        lambda w: f"{API}/clauses/{w.op.id}/merge", _draft,
        lambda w: (f"{API}/clauses/{w.op.id}/merge", _draft(w, _other_revision(w)))),
}
