"""Open suggestions (amendments) of a document, as the document page shows them under each paragraph."""
from dataclasses import dataclass, field

from drafting.domain import procedure
from drafting.domain.clause_state import text_change_refusal, vote_refusal
from drafting.domain.diffing import raw_diff
from drafting.domain.suggestions import overlapping
from drafting.domain.vocabulary import ROLE_RANK, AmendmentStatus, Role
from drafting.extensions import db
from drafting.presence import initials
from drafting.models import Amendment, AmendmentVote, Clause, Vote
from drafting.services import amendments, votes
from drafting.services.permissions import role_in


@dataclass
class Suggestion:
    amendment: Amendment
    label: str                  # "Amendment 3"
    initials: str
    changes: list               # (op, text) from its base revision to its text
    outdated: bool              # the clause has changed since it was proposed
    overlaps: list = field(default_factory=list)   # labels of the open suggestions changing the same words
    counts: dict = field(default_factory=dict)
    mine: str | None = None     # the reader's view on it


def _label(amendment, ordinal):
    number = getattr(amendment, "number", None)
    return f"Amendment {number if number else ordinal}"


def open_by_clause(actor, document):
    """{clause_id: [Suggestion]} for the document's open amendments, in the order proposed."""
    rows = db.session.execute(
        db.select(Amendment).join(Clause).where(Clause.document_id == document.id,
                                                Amendment.status == AmendmentStatus.OPEN.value)
        .order_by(Amendment.id)).scalars().all()
    if not rows:
        return {}
    ids = [a.id for a in rows]
    counts = {}
    for amendment_id, position, n in db.session.execute(
            db.select(AmendmentVote.amendment_id, AmendmentVote.position, db.func.count())
            .where(AmendmentVote.amendment_id.in_(ids))
            .group_by(AmendmentVote.amendment_id, AmendmentVote.position)):
        counts.setdefault(amendment_id, {"agree": 0, "abstain": 0, "disagree": 0, "block": 0})[position] = n
    mine = {}
    if actor is not None and getattr(actor, "id", None):
        mine = dict(db.session.execute(
            db.select(AmendmentVote.amendment_id, AmendmentVote.position)
            .where(AmendmentVote.amendment_id.in_(ids), AmendmentVote.user_id == actor.id)).all())
    by_clause = {}
    for amendment in rows:
        by_clause.setdefault(amendment.clause_id, []).append(amendment)
    result = {}
    for clause_id, proposed in by_clause.items():
        overlaps = overlapping([(a.id, a.base_revision_id, a.base_revision.text, a.text) for a in proposed])
        views = []
        for ordinal, a in enumerate(proposed, start=1):
            views.append(Suggestion(
                amendment=a, label=_label(a, ordinal), initials=initials(a.author.name if a.author else ""),
                changes=raw_diff(a.base_revision.text, a.text),
                outdated=a.base_revision_id != a.clause.head_revision_id,
                counts=counts.get(a.id, {"agree": 0, "abstain": 0, "disagree": 0, "block": 0}),
                mine=mine.get(a.id)))
        labels = {v.amendment.id: v.label for v in views}
        for view in views:
            view.overlaps = [labels[other] for other in overlaps[view.amendment.id]]
        result[clause_id] = views
    return result


def offers(actor, document):
    """What the document page offers this reader on suggestions: suggest, vote on them, decide them."""
    role = role_in(actor, document.meeting)
    member = role is not None and role != Role.OBSERVER
    return {
        "role": role,
        "suggest": member and procedure.may_propose_amendment(document.phase, role),
        "vote": member and document.phase in votes.VOTING_PHASES,
        "comment": member and procedure.may_deliberate(document.phase, role),
        "decide": role is not None and ROLE_RANK[role] >= ROLE_RANK[Role.RAPPORTEUR]
        and document.phase in amendments.DECIDING_PHASES,
    }


def may_suggest_on(clause, offered):
    return offered["suggest"] and text_change_refusal(clause.status) is None


def my_clause_votes(actor, document):
    """{clause_id: (position, stale)}: the reader's own votes, stale when cast on an earlier text."""
    if actor is None or not getattr(actor, "id", None):
        return {}
    rows = db.session.execute(
        db.select(Vote.clause_id, Vote.position, Vote.revision_id, Clause.head_revision_id).join(Clause)
        .where(Clause.document_id == document.id, Vote.user_id == actor.id)).all()
    return {row.clause_id: (row.position, row.revision_id != row.head_revision_id) for row in rows}


def may_vote_on(clause, offered):
    """Votes on the clause from the document page: what votes.require_voting allows for this reader."""
    role = offered["role"]
    return role is not None and vote_refusal(clause.status, clause.document.phase, role) is None
