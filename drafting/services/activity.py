"""The activity page: the document's events, each naming its paragraph as numbered then and now, filtered."""
from dataclasses import dataclass

from drafting.domain import activity as rules
from drafting.domain import limits
from drafting.domain.errors import ValidationError
from drafting.extensions import db
from drafting.models import Clause, Event, User
from drafting.services import documents

PAGE = 200


@dataclass
class Entry:
    event: Event
    clause_id: int | None
    then: str | None     # the paragraph as it was numbered when the event happened
    now: str | None      # as it is numbered now (None when the same)


@dataclass
class Filters:
    clause_id: int | None = None
    person_id: int | None = None
    kind: str | None = None

    @property
    def any(self):
        return bool(self.clause_id or self.person_id or self.kind)


def parse_filters(document, clause=None, person=None, kind=None):
    """The filters as given in the query string; an unknown value is a clear 422."""
    filters = Filters()
    if clause not in (None, ""):
        filters.clause_id = limits.identifier(clause, "paragraph")
        found = db.session.get(Clause, filters.clause_id)
        if found is None or found.document_id != document.id:
            raise ValidationError("That paragraph is not part of this document.", field="paragraph")
    if person not in (None, ""):
        filters.person_id = limits.identifier(person, "person")
    if kind not in (None, ""):
        if kind not in rules.KINDS:
            raise ValidationError(f"Kind of change must be one of {', '.join(rules.KINDS)}.", field="kind")
        filters.kind = kind
    return filters


def _current_names(document, kinds):
    replay = rules.NumberingReplay(kinds)
    replay.see("document.renumbered", {"numbering": documents.numbering(document)})
    return {cid: replay.name(cid) for cid in kinds}


def entries(document, filters, after=0, limit=PAGE):
    """Up to `limit` events after seq `after` that pass the filters, each naming its paragraph."""
    clauses = db.session.execute(
        db.select(Clause.id, Clause.kind, Clause.inserted_late).where(Clause.document_id == document.id)).all()
    kinds = {c.id: c.kind for c in clauses}
    replay = rules.NumberingReplay(kinds, {c.id: c.inserted_late for c in clauses})
    now = _current_names(document, kinds)
    query = db.select(Event).where(Event.document_id == document.id).order_by(Event.seq)
    if filters.person_id:
        query = query.where(Event.actor_id == filters.person_id)
    found = []
    # The whole log is replayed for the numbers as they were; unfiltered, only the page is kept.
    for event in db.session.execute(query.execution_options(yield_per=500)).scalars():
        then = replay.see(event.type, event.payload or {})
        if event.seq <= after or len(found) >= limit:
            continue
        clause_id = (event.payload or {}).get("clause_id")
        if filters.clause_id and clause_id != filters.clause_id \
                and filters.clause_id not in (event.payload or {}).get("merged_ids", []):
            continue
        if filters.kind and rules.kind_of(event.type) != filters.kind:
            continue
        name_now = now.get(clause_id)
        found.append(Entry(event, clause_id, then, name_now if name_now != then else None))
    return found


def choices(document):
    """What the filters offer: the paragraphs as numbered now, the people who acted, the kinds."""
    rows = [row for section in documents.outline(document) for row in section.clauses]
    kinds = {row.clause.id: row.clause.kind for row in rows}
    names = _current_names(document, kinds)
    paragraphs = [(row.clause.id, names[row.clause.id]) for row in rows]
    people = db.session.execute(
        db.select(User.id, User.name).where(User.id.in_(
            db.select(Event.actor_id).where(Event.document_id == document.id).distinct()))
        .order_by(User.name)).all()
    return {"paragraphs": paragraphs, "people": [(p.id, p.name) for p in people],
            "kinds": [(kind, label) for kind, (label, _) in rules.KINDS.items()]}
