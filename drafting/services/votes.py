"""Votes on clauses: one per member, bound to the revision it was cast on; tallies and consensus."""
import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, Text, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from drafting.domain import clause_state, limits
from drafting.domain.consensus import Ballot, Rules, eligible_voters, tally
from drafting.domain.errors import Conflict, NotFound, ValidationError
from drafting.domain.vocabulary import ClauseStatus, Phase, Role, VotePosition
from drafting.extensions import db
from drafting.models import Clause, Document, Membership, User, Vote, utcnow
from drafting.services import events, notifications
from drafting.services.permissions import require_role, role_in

VOTING_PHASES = (Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION)
# Votes stay open (and tallies hidden, when the rules say so) until the chair declares agreement.
OPEN_STATUSES = (ClauseStatus.PROPOSED, ClauseStatus.BRACKETED)
VOTER_ROLES = (Role.CHAIR, Role.RAPPORTEUR, Role.EXPERT)


def rules_of(document):
    """The document's consensus rules."""
    return Rules(quorum=document.quorum, threshold=document.threshold,
                 block_prevents_consensus=document.block_prevents_consensus,
                 hide_tallies=document.hide_tallies)


def is_open(clause):
    return clause.status in OPEN_STATUSES


def reveal(actor, document):
    """Whether the actor sees tallies the rules hide: the chair does, to inform a declaration."""
    return role_in(actor, document.meeting) == Role.CHAIR


@functools.cache
def _upsert(dialect_name):
    """The vote in one compare-and-set statement: INSERT … SELECT the clause while it is open on the
    text voted on … ON CONFLICT (clause, voter) DO UPDATE. A clause declared, withdrawn or edited
    since the voter's checks selects no row, so nothing is written. Built once per dialect."""
    votes, clauses, documents = Vote.__table__, Clause.__table__, Document.__table__
    now = bindparam("now", type_=votes.c.updated_at.type)
    still_open = (
        select(clauses.c.id, bindparam("user_id", type_=Integer), clauses.c.head_revision_id,
               bindparam("position", type_=String), bindparam("reason", type_=Text), now, now)
        .join(documents, documents.c.id == clauses.c.document_id)
        .where(clauses.c.id == bindparam("clause_id"), clauses.c.head_revision_id == bindparam("revision_id"),
               clauses.c.status.in_([s.value for s in OPEN_STATUSES]),
               documents.c.phase.in_([p.value for p in VOTING_PHASES])))
    insert = (postgresql if dialect_name == "postgresql" else sqlite).insert(votes).from_select(
        ["clause_id", "user_id", "revision_id", "position", "reason", "created_at", "updated_at"], still_open)
    changed = {name: insert.excluded[name] for name in ("revision_id", "position", "reason", "updated_at")}
    # RETURNING tells whether a row was written (a DBAPI's rowcount for INSERT is not reliable).
    return insert.on_conflict_do_update(index_elements=["clause_id", "user_id"], set_=changed).returning(votes.c.id)


def _ballots(clause_votes, head_revision_id):
    return [Ballot(voter=v.user_id, position=v.position, current=v.revision_id == head_revision_id)
            for v in clause_votes]


def votes_on(clause):
    return db.session.execute(
        db.select(Vote).where(Vote.clause_id == clause.id).order_by(Vote.updated_at)
    ).scalars().all()


# What a tally reads of each vote: rows of four columns, not Vote objects (a clause has up to a
# meeting's worth of votes, and each vote reads its tally). Vote objects serve as well.
_BALLOT_COLUMNS = (Vote.clause_id, Vote.user_id, Vote.position, Vote.revision_id)
_CLAUSE_BALLOTS = select(*_BALLOT_COLUMNS).where(Vote.clause_id == bindparam("clause_id"))
_VOTERS = select(Membership.user_id).where(Membership.meeting_id == bindparam("meeting_id"),
                                           Membership.role.in_([r.value for r in VOTER_ROLES]))


def tally_of(clause, clause_votes=None):
    """The clause's Tally, from its votes (read unless given)."""
    if clause_votes is None:
        clause_votes = db.session.execute(_CLAUSE_BALLOTS, {"clause_id": clause.id}).all()
    return _tallies(clause.document, [clause], clause_votes)[clause.id]


def tallies(document):
    """{clause_id: Tally} for every clause of the document, in a few queries."""
    clauses = db.session.execute(db.select(Clause).where(Clause.document_id == document.id)).scalars().all()
    all_votes = db.session.execute(
        select(*_BALLOT_COLUMNS).join(Clause, Clause.id == Vote.clause_id)
        .where(Clause.document_id == document.id)).all()
    return _tallies(document, clauses, all_votes)


def _tallies(document, clauses, clause_votes):
    """The one tally: each clause's ballots counted by domain.consensus among those eligible for it.

    Used by pages, the API, events, the dashboard, declarations and the outcome's annex alike.
    """
    members = set(db.session.execute(_VOTERS, {"meeting_id": document.meeting_id}).scalars())
    others = {v.user_id for v in clause_votes} - members
    admins = set(db.session.execute(db.select(User.id).where(
        User.id.in_(others), User.is_admin.is_(True))).scalars()) if others else set()
    by_clause = {}
    for vote in clause_votes:
        by_clause.setdefault(vote.clause_id, []).append(vote)
    rules = rules_of(document)
    result = {}
    for clause in clauses:
        ballots = _ballots(by_clause.get(clause.id, []), clause.head_revision_id)
        result[clause.id] = tally(ballots, eligible_voters(members, admins, ballots), rules,
                                  closed=not is_open(clause))
    return result


def annotate(actor, document, outline):
    """Put each clause's tally and consensus state into the outline rows, as the reader may see them."""
    counts = tallies(document)
    shown = reveal(actor, document)
    for section in outline:
        for row in section.clauses:
            result = counts[row.clause.id].as_dict(reveal=shown)
            row.extra["tally"] = result
            row.extra["consensus"] = result["state"]
    return outline


@dataclass(frozen=True)
class CastVote:
    """A vote as it stands after it was cast: what the voter's answer shows."""

    user: User
    position: str
    reason: str
    revision_id: int
    updated_at: datetime


@dataclass
class VoteView:
    vote: Vote
    stale: bool


def ballots_shown(actor, clause, clause_votes=None):
    """The votes a reader may see: all of them, or only their own while tallies are hidden."""
    clause_votes = votes_on(clause) if clause_votes is None else clause_votes
    hidden = clause.document.hide_tallies and is_open(clause) and not reveal(actor, clause.document)
    return [VoteView(v, v.revision_id != clause.head_revision_id) for v in clause_votes
            if not hidden or (actor is not None and v.user_id == getattr(actor, "id", None))]


def my_vote(actor, clause):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return db.session.execute(
        db.select(Vote).filter_by(clause_id=clause.id, user_id=actor.id)).scalar_one_or_none()


def require_voting(actor, clause):
    """The actor may vote on this clause now, or a clear refusal (domain.clause_state.vote_refusal)."""
    role = require_role(actor, clause.document.meeting, Role.OBSERVER)
    refusal = clause_state.vote_refusal(clause.status, clause.document.phase, role)
    if refusal:
        raise refusal
    return role


def parse_vote(position, reason):
    position = VotePosition.parse(position, "position")
    reason = limits.text(reason, "Reason", limits.RATIONALE, required=False)
    if position == VotePosition.BLOCK and not reason:
        raise ValidationError("A block is a formal objection: write the reason for it.", field="reason")
    return position, reason


def cast(actor, clause, position, reason=""):
    """Cast or change the actor's vote on the clause's current text. Returns (CastVote, tally)."""
    require_voting(actor, clause)
    vote = _write(actor, clause, *parse_vote(position, reason))
    if vote is None:
        _changed_meanwhile(actor, clause)
    return vote, _announce(actor, clause, "vote.cast", vote)


def _write(actor, clause, position, reason):
    """The vote written, or None when the clause is no longer open on the text voted on."""
    now = utcnow()
    written = db.session.execute(_upsert(db.session.get_bind().dialect.name), {
        "clause_id": clause.id, "revision_id": clause.head_revision_id, "user_id": actor.id,
        "position": position.value, "reason": reason, "now": now}).first()
    if written is None:
        return None
    return CastVote(actor, position.value, reason, clause.head_revision_id, now)


def _changed_meanwhile(actor, clause):
    """The clause changed between the voter's checks and the vote: say what changed."""
    db.session.refresh(clause)
    db.session.refresh(clause.document)
    require_voting(actor, clause)
    raise Conflict("The text changed while you were voting: read the new text and vote again.",
                   details={"clause_id": clause.id, "revision_id": clause.head_revision_id})


def confirm(actor, clause):
    """Confirm one's stale vote on the current text, with the same position and reason."""
    require_voting(actor, clause)
    vote = my_vote(actor, clause)
    if vote is None:
        raise NotFound("You have not voted on this clause yet.")
    if vote.revision_id == clause.head_revision_id:
        return vote, tally_of(clause)
    vote.revision_id, vote.updated_at = clause.head_revision_id, utcnow()
    db.session.flush()
    return vote, _announce(actor, clause, "vote.confirmed", vote)


def _announce(actor, clause, type_, vote):
    result = tally_of(clause)
    events.append(clause.document, type_, _voter(actor, result), _payload(clause.id, vote, result))
    return result


def _voter(actor, result):
    """Who the event names: nobody while the tallies are hidden (the vote itself still records its voter),
    or everyone following the document would learn who voted when, tally by tally."""
    return None if result.hidden else actor


def _payload(clause_id, vote, result):
    payload = {"clause_id": clause_id, "revision_id": vote.revision_id, "tally": result.as_dict()}
    if not result.hidden:
        payload["position"] = vote.position
    return payload


def text_changed(actor, clause, revision):
    """The clause has new text: votes on the old one are stale; tell each voter once."""
    newly_stale = db.session.execute(db.select(Vote.user_id, Vote.position).where(
        Vote.clause_id == clause.id, Vote.revision_id == revision.parent_id)).all()
    if not newly_stale:
        return
    for vote in newly_stale:
        if actor is None or vote.user_id != actor.id:
            notifications.notify(
                vote.user_id, notifications.VOTE_STALE,
                f"The text you voted “{vote.position}” on has changed (revision {revision.number}). "
                "Confirm your vote on the new text or change it.",
                url=f"/clauses/{clause.id}#vote", document_id=clause.document_id, clause=clause)
    db.session.flush()
    events.append(clause.document, "votes.stale", actor, {
        "clause_id": clause.id, "revision_id": revision.id, "stale": len(newly_stale),
        "tally": tally_of(clause).as_dict()})
