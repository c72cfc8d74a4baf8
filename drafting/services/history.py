"""A clause's history read back: revisions, track changes between any two, and who wrote what."""
from dataclasses import dataclass

from drafting.domain import diffing, limits
from drafting.domain.errors import ValidationError
from drafting.extensions import db
from drafting.models import ClauseRevision


def revision_of(clause, revision_id, field):
    """A revision of this clause by id; a clear 422 for anything else."""
    revision_id = limits.identifier(revision_id, field)
    revision = db.session.get(ClauseRevision, revision_id)
    if revision is None or revision.clause_id != clause.id:
        raise ValidationError(f"Revision {revision_id} is not a revision of this clause.", field=field)
    return revision


def parent_of(revision):
    return db.session.get(ClauseRevision, revision.parent_id) if revision.parent_id else None


def changes(clause, from_id=None, to_id=None):
    """(from revision or None, to revision, spans): to defaults to the head, from to its parent."""
    later = revision_of(clause, to_id, "to") if to_id not in (None, "") else clause.head
    if from_id in (None, ""):
        earlier = parent_of(later)
    else:
        earlier = revision_of(clause, from_id, "from")
    return earlier, later, diffing.track_changes(earlier.text if earlier else "", later.text)


def chain(clause):
    """The revisions from the first to the head, each the parent of the next."""
    revisions = {r.id: r for r in db.session.execute(
        db.select(ClauseRevision).filter_by(clause_id=clause.id)).scalars()}
    ordered, current = [], revisions.get(clause.head_revision_id)
    while current is not None and len(ordered) <= len(revisions):
        ordered.append(current)
        current = revisions.get(current.parent_id)
    return list(reversed(ordered))


@dataclass(frozen=True)
class Author:
    """One person in the authorship legend: a style number, initials, and their share of the text."""

    key: int
    name: str
    initials: str
    style: int
    characters: int


@dataclass(frozen=True)
class AuthoredSpan:
    text: str
    revision: ClauseRevision
    author: Author


STYLES = 6  # distinct colour + underline pairs in app.css (.authored--0 … --5)


def authorship(clause):
    """(spans, legend): every run of the current text with the revision and person who wrote it."""
    revisions = chain(clause)
    by_id = {r.id: r for r in revisions}
    raw = diffing.authorship([(r.text, r.id) for r in revisions])
    people, order = {}, []
    for span in raw:
        user = by_id[span.origin].author
        key = user.id if user else 0
        if key not in people:
            people[key] = [user.name if user else "Someone", 0]
            order.append(key)
        people[key][1] += len(span.text)
    legend, used = {}, set()
    for index, key in enumerate(order):
        name, characters = people[key]
        legend[key] = Author(key, name, _initials(name, used), index % STYLES, characters)
    spans = [AuthoredSpan(s.text, by_id[s.origin],
                          legend[by_id[s.origin].author_id if by_id[s.origin].author else 0])
             for s in raw]
    return spans, [legend[key] for key in order]


def by_author(spans):
    """Adjacent spans by the same person joined, as a reader of the page sees them: (text, author, revisions)."""
    joined = []
    for span in spans:
        if joined and joined[-1][1] == span.author:
            text, author, numbers = joined[-1]
            joined[-1] = (text + span.text, author, numbers + [span.revision.number])
        else:
            joined.append((span.text, span.author, [span.revision.number]))
    return joined


def _initials(name, used):
    letters = "".join(word[0] for word in name.split()[:2]).upper() or "?"
    candidate, n = letters, 1
    while candidate in used:
        n += 1
        candidate = f"{letters}{n}"
    used.add(candidate)
    return candidate
