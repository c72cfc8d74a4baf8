"""History pages: a clause's timeline, track changes, authorship; document versions and comparison."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from drafting.domain.diffing import Change, track_changes
from drafting.domain.errors import Conflict
from drafting.extensions import db
from drafting.models import ClauseRevision
from drafting.services import clauses, documents, history, versions
from drafting.services.permissions import role_in
from drafting.web.documents import clause_page
from drafting.web.errors import reshow
from drafting.web.forms import field

bp = Blueprint("history", __name__)


@bp.app_template_global("changes_between")
def changes_between(before, after):
    """Track-changes spans for templates that show two texts (the conflict view)."""
    return track_changes(before or "", after or "")


def _view():
    """Track changes shown as markup (the default) or as the clean resulting text."""
    return "clean" if request.args.get("view") == "clean" else "markup"


@bp.route("/clauses/<int:clause_id>/history")
def clause_history(clause_id):
    """The timeline; one revision at a time with the changes its author made, stepping back and forth."""
    clause = documents.get_clause(current_user, clause_id)
    # A revision that is not this clause's: the latest change is shown, with the message.
    reshow(lambda error: _history_page(clause, history.changes(clause), error.message))
    return _history_page(clause, history.changes(clause, to_id=request.args.get("rev")))


def _history_page(clause, changes, error=None):
    earlier, later, spans = changes
    revisions = clauses.revisions(clause)
    index = next(i for i, r in enumerate(revisions) if r.id == later.id)
    return render_template(
        "history/clause.html", clause=clause, document=clause.document, row=documents.numbered(clause),
        revisions=revisions, earlier=earlier, later=later, spans=spans, view=_view(), error=error,
        previous=revisions[index - 1] if index > 0 else None,
        following=revisions[index + 1] if index + 1 < len(revisions) else None,
        merged_from=db.session.get(ClauseRevision, later.merged_from_id) if later.merged_from_id else None,
    )


@bp.route("/clauses/<int:clause_id>/changes")
def clause_changes(clause_id):
    """Track changes between any two revisions of a clause."""
    clause = documents.get_clause(current_user, clause_id)
    revisions = clauses.revisions(clause)
    from_id = request.args.get("from") or (revisions[0].id if revisions else None)
    to_id = request.args.get("to") or clause.head_revision_id
    # Revisions that are not this clause's: its whole history is shown, with the message.
    reshow(lambda error: _changes_page(clause, revisions, history.changes(
        clause, revisions[0].id, clause.head_revision_id), error.message))
    return _changes_page(clause, revisions, history.changes(clause, from_id, to_id))


def _changes_page(clause, revisions, changes, error=None):
    earlier, later, spans = changes
    return render_template(
        "history/changes.html", clause=clause, document=clause.document, row=documents.numbered(clause),
        revisions=revisions, earlier=earlier, later=later, spans=spans, view=_view(), error=error,
    )


@bp.route("/clauses/<int:clause_id>/authors")
def clause_authors(clause_id):
    """The current text coloured by who wrote each part, with a legend of names and initials."""
    clause = documents.get_clause(current_user, clause_id)
    spans, legend = history.authorship(clause)
    return render_template("history/authors.html", clause=clause, document=clause.document,
                           row=documents.numbered(clause), spans=history.by_author(spans), legend=legend,
                           total=sum(a.characters for a in legend))


@bp.route("/clauses/<int:clause_id>/resolve", methods=["POST"])
def resolve_conflict(clause_id):
    """Save the person's choice from the conflict view: mine, theirs, or the edited proposal."""
    clause = documents.get_clause(current_user, clause_id)
    choice = field("choice")
    mine = field("mine_text")
    text = {"mine": mine, "theirs": None}.get(choice, field("text"))
    if choice == "theirs":
        # Shown once more rather than redirecting, so that a wrong click does not lose the words.
        return _conflict_page(clause, None, None, draft=None, status=200, discarded=mine)
    reshow(lambda error: _conflict_page(
        clause, error.message, error.details if isinstance(error, Conflict) else _details_from_form(clause, mine),
        draft=text))
    revision, created = clauses.save_edit(current_user, clause, field("base_revision_id"), text,
                                          field("rationale"))
    flash("Saved as revision %d." % revision.number if created else "No change to save.", "success")
    return redirect(url_for("documents.show", document_id=clause.document_id) + f"#clause-{clause.id}")


def _details_from_form(clause, mine):
    """Re-show the conflict view after a refused save, with the person's words kept."""
    head = clause.head
    return {"theirs": {"revision_id": head.id, "number": head.number, "text": head.text,
                       "author": head.author.name if head.author else None},
            "mine": {"text": mine}, "proposed": None}


def _conflict_page(clause, message, details, draft, status=409, discarded=None):
    return clause_page(clause, error=message, conflict=details, draft=draft, status=status,
                       discarded=discarded)


# --- document versions -----------------------------------------------------------------------


@bp.route("/documents/<int:document_id>/versions", methods=["GET", "POST"])
def document_versions(document_id):
    """The named versions of a document; rapporteurs and the chair snapshot a new one here."""
    document = documents.get_document(current_user, document_id)
    if request.method == "POST":
        reshow(lambda error: _versions_page(document, error.message))
        version = versions.snapshot(current_user, document, field("label"))
        flash(f"Version “{version.label}” is recorded.", "success")
        return redirect(url_for("history.document_versions", document_id=document.id))
    return _versions_page(document)


def _versions_page(document, error=None):
    role = role_in(current_user, document.meeting)
    return render_template(
        "history/versions.html", document=document, versions=versions.versions_of(document),
        may_snapshot=role is not None and role.value in ("chair", "rapporteur"),
        error=error, label=request.form.get("label", ""),
    )


@bp.route("/documents/<int:document_id>/compare")
def compare_versions(document_id):
    """Two versions side by side: clauses added, removed, moved, renumbered or changed."""
    document = documents.get_document(current_user, document_id)
    all_versions = versions.versions_of(document)
    default_from = str(all_versions[-1].id) if all_versions else versions.CURRENT
    from_ref = request.args.get("from") or default_from
    to_ref = request.args.get("to") or versions.CURRENT
    reshow(lambda error: _compare_page(document, all_versions, from_ref, to_ref, (None, None, []), error.message))
    return _compare_page(document, all_versions, from_ref, to_ref, versions.comparison(document, from_ref, to_ref))


def _compare_page(document, all_versions, from_ref, to_ref, comparison, error=None):
    earlier, later, rows = comparison
    counts = {c: sum(1 for r in rows if c in r.changes) for c in Change}
    show = request.args.get("show", "changed")
    visible = rows if show == "all" else [r for r in rows if r.changes]
    return render_template(
        "history/compare.html", document=document, versions=all_versions, rows=visible,
        total=len(rows), counts=counts, earlier=earlier, later=later, from_ref=from_ref,
        to_ref=to_ref, view=_view(), show=show, error=error, label_of=versions.label_of,
        Change=Change,
    )
