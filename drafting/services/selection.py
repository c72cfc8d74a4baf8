"""Consolidation by selection: bracket, split, reword as an alternative or compromise from the words a
rapporteur selected, previewed as track changes and then applied by the same consolidation service.

A preview changes nothing. Both the preview and the change are made on the current text only: an
offset into an older revision would bracket other words, so a stale base is a 409 that names the
current revision and text.
"""
from drafting.domain import limits, selection
from drafting.domain.errors import Conflict, ValidationError
from drafting.extensions import db
from drafting.models import Clause
from drafting.services import consolidation
from drafting.services.clauses import base_revision, require_text_may_change
from drafting.services.documents import numbered

ACTIONS = ("bracket", "split", "alternative", "compromise")


def _current(actor, clause, base_revision_id):
    consolidation.require_consolidate(actor, clause.document)
    require_text_may_change(clause)
    base = base_revision(clause, base_revision_id)
    if base.id != clause.head_revision_id:
        head = clause.head
        raise Conflict(f"The paragraph changed since you selected the words (now revision {head.number}): "
                       "select them again in the current text.", field="base_revision_id",
                       details={"current_revision_id": head.id, "current_revision_number": head.number,
                                "current_text": head.text})
    return base


def _action(data):
    action = data.get("action")
    if action not in ACTIONS:
        raise ValidationError("action must be one of: " + ", ".join(ACTIONS) + ".", field="action")
    return action


def _span(text, data):
    return selection.locate(text, data.get("quote"), data.get("occurrence"), data.get("start"), data.get("end"))


def preview(actor, clause, data):
    """What the action would make of the paragraph, as track changes; nothing is stored."""
    action = _action(data)
    base = _current(actor, clause, data.get("base_revision_id"))
    text = base.text
    name = numbered(clause).number
    answer = {"action": action, "clause_id": clause.id, "base_revision_id": base.id}
    if action == "compromise":
        amendments = consolidation.chosen_amendments(clause, data.get("amendment_ids"))
        proposed, conflicts = data.get("text"), 0
        if proposed in (None, ""):
            proposed, conflicts = selection.combined(
                text, [(a.base_revision.text, a.text) for a in amendments])
        else:
            proposed = limits.clause_text(proposed, "Compromise text")
        answer.update(text=proposed, conflicts=conflicts, amendment_ids=[a.id for a in amendments],
                      paragraphs=[{"label": _label(name, "with the compromise text"),
                                   "changes": selection.changes(text, proposed)}])
        return answer
    span = _span(text, data)
    answer["span"] = {"start": span.start, "end": span.end, "words": text[span.start:span.end]}
    if action == "bracket":
        answer["paragraphs"] = [{"label": _label(name, "with the words in brackets"),
                                 "changes": selection.changes(text, selection.bracketed(text, span))}]
    elif action == "split":
        head, tail = selection.split_parts(text, span.start)
        answer["paragraphs"] = [{"label": _label(name, "keeps"), "changes": selection.changes(text, head)},
                                {"label": "A new paragraph after it", "changes": [[1, tail]]}]
    else:
        alternative = _alternative(text, span, data)
        answer.update(text=alternative, paragraphs=[
            {"label": _label(name, "stays as it is"), "changes": [[0, text]]},
            {"label": f"Alt {_alternatives(clause) + 1}, a new paragraph after it",
             "changes": selection.changes(text, alternative)}])
    return answer


def apply(actor, clause, data):
    """Make the change the preview showed; returns (what changed, the clause made by it or None)."""
    action = _action(data)
    base = _current(actor, clause, data.get("base_revision_id"))
    rationale = data.get("rationale") or ""
    if action == "compromise":
        consolidation.compromise(actor, clause, base.id, data.get("text"), rationale, data.get("amendment_ids"))
        return clause, None
    span = _span(base.text, data)
    if action == "bracket":
        consolidation.bracket(actor, clause, base.id, start=span.start, end=span.end)
        return clause, None
    if action == "split":
        return clause, consolidation.split(actor, clause, base.id, at=span.start, rationale=rationale)
    return clause, consolidation.add_alternative(actor, clause, _alternative(base.text, span, data), rationale)


def _alternative(text, span, data):
    """The paragraph with the selected words replaced by the wording given (the same words if none)."""
    words = data.get("text")
    return selection.reworded(text, span, text[span.start:span.end] if words in (None, "") else words)


def merge_preview(actor, document, clause_ids, text=None):
    """The paragraph that merging the chosen ones would make, as track changes against them joined."""
    consolidation.require_consolidate(actor, document)
    clauses = consolidation.merging(document, clause_ids)
    joined = "\n\n".join(c.head.text for c in clauses)
    merged = consolidation.merged_text(clauses, text)
    names = [f"paragraph {n}" if n else "a preambular paragraph" for n in (numbered(c).number for c in clauses)]
    return {"clause_ids": [c.id for c in clauses], "text": merged, "names": names,
            "paragraphs": [{"label": "The merged paragraph, in place of " + ", ".join(names),
                            "changes": selection.changes(joined, merged)}]}


def _alternatives(clause):
    """How many wordings the paragraph's group has now (1 when it has no alternatives yet)."""
    main_id = clause.alternative_of_id or clause.id
    return db.session.execute(db.select(db.func.count(Clause.id)).where(
        db.or_(Clause.id == main_id, Clause.alternative_of_id == main_id),
        Clause.status.not_in(consolidation.GONE))).scalar_one()


def _label(number, what):
    name = f"Paragraph {number}" if number else "The preambular paragraph"
    return f"{name} {what}".strip()
