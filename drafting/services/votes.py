"""Votes on clauses: one per member, bound to the revision it was cast on; tallies and consensus."""
import functools
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (DateTime, Integer, String, Text, and_, bindparam, func, literal, or_, select,
                        union_all)
from sqlalchemy.dialects import postgresql, sqlite

from drafting.domain import limits
from drafting.domain.consensus import Ballot, Counted, Rules, Tally, decide, tally
from drafting.domain.errors import Conflict, Forbidden, NotFound, ValidationError, WrongPhase
from drafting.domain.vocabulary import ClauseStatus, Phase, Role, VotePosition
from drafting.extensions import db
from drafting.models import Clause, Document, Membership, User, Vote, utcnow
from drafting.prepared import Prepared
from drafting.services import documents, events, notifications
from drafting.services.permissions import acting_role, require_role, role_in

VOTING_PHASES = (Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION)
# Votes stay open (and tallies hidden, when the rules say so) until the chair declares agreement.
OPEN_STATUSES = (ClauseStatus.PROPOSED, ClauseStatus.BRACKETED)
VOTER_ROLES = (Role.CHAIR, Role.RAPPORTEUR, Role.EXPERT)


def rules_of(document):
    """The document's consensus rules (from a Document, or a row with the same four fields)."""
    return Rules(quorum=document.quorum, threshold=document.threshold,
                 block_prevents_consensus=document.block_prevents_consensus,
                 hide_tallies=document.hide_tallies)


def is_open(clause):
    return clause.status in OPEN_STATUSES


def reveal(actor, document):
    """Whether the actor sees tallies the rules hide: the chair does, to inform a declaration."""
    return role_in(actor, document.meeting) == Role.CHAIR


# A vote is the most frequent write in a meeting: its statements are built once, not per request.
_VOTES = Vote.__table__
# (role = … OR role = …, not IN: an IN list is re-expanded into the SQL on every execution.)
_VOTERS = select(Membership.__table__.c.user_id).where(
    Membership.__table__.c.meeting_id == bindparam("meeting_id"),
    or_(*(Membership.__table__.c.role == r.value for r in VOTER_ROLES)))
_CAST_ON = select(_VOTES.c.user_id, _VOTES.c.position).where(  # the votes cast on one revision
    _VOTES.c.clause_id == bindparam("clause_id"), _VOTES.c.revision_id == bindparam("revision_id"))


def _counting():
    """One clause's ballots counted as domain.consensus.count counts them, in one statement.

    Rows (position, current, member, n): first (NULL, -, -, voting members of the meeting), then
    the votes of eligible people by position, whether cast on the current text, and whether the
    voter is a voting member (if not, a site admin acting as chair, who is eligible once they vote).
    One pass over the clause's votes, each looked up once in memberships and users.
    """
    members, users, meeting = Membership.__table__, User.__table__, bindparam("meeting_id")
    voting_member = or_(*(members.c.role == r.value for r in VOTER_ROLES))
    is_member = members.c.id.is_not(None)
    current = _VOTES.c.revision_id == bindparam("head_revision_id")
    return union_all(
        select(literal(None, String), literal(False), literal(True), func.count())
        .where(members.c.meeting_id == meeting, voting_member),
        select(_VOTES.c.position, current, is_member, func.count())
        .select_from(_VOTES
                     .outerjoin(members, and_(members.c.meeting_id == meeting,
                                              members.c.user_id == _VOTES.c.user_id, voting_member))
                     .outerjoin(users, and_(users.c.id == _VOTES.c.user_id, users.c.is_admin.is_(True))))
        .where(_VOTES.c.clause_id == bindparam("clause_id"), or_(is_member, users.c.id.is_not(None)))
        .group_by(_VOTES.c.position, current, is_member),
    )


_COUNTING = Prepared(_counting())


def _while_open():
    """The clause's row, while its text is still the one voted on and its vote is open."""
    clauses, documents = Clause.__table__, Document.__table__
    now = bindparam("now", type_=DateTime)
    return (select(clauses.c.id, bindparam("user_id", type_=Integer), clauses.c.head_revision_id,
                   bindparam("position", type_=String), bindparam("reason", type_=Text),
                   now.label("created_at"), now.label("updated_at"))
            .select_from(clauses.join(documents, documents.c.id == clauses.c.document_id))
            .where(clauses.c.id == bindparam("clause_id"),
                   clauses.c.head_revision_id == bindparam("revision_id"),
                   or_(*(clauses.c.status == s.value for s in OPEN_STATUSES)),
                   or_(*(documents.c.phase == p.value for p in VOTING_PHASES))))


def _upsert(dialect_name):
    """A first vote or a changed one in one statement, which writes only while the clause is as the
    voter's checks found it: INSERT … SELECT … WHERE still open … ON CONFLICT (clause, voter) DO UPDATE.
    The checks themselves may run before the write lock is taken (web/transactions.py)."""
    columns = ["clause_id", "user_id", "revision_id", "position", "reason", "created_at", "updated_at"]
    statement = (postgresql if dialect_name == "postgresql" else sqlite).insert(_VOTES).from_select(
        columns, _while_open())
    changed = {name: statement.excluded[name] for name in ("revision_id", "position", "reason", "updated_at")}
    # RETURNING tells whether a row was written (a DBAPI's rowcount for INSERT is not reliable).
    return statement.on_conflict_do_update(index_elements=["clause_id", "user_id"], set_=changed).returning(_VOTES.c.id)


_UPSERT = Prepared(functools.cache(_upsert))


def eligible_ids(meeting, votes=()):
    """Members who may vote; a site admin acting as chair counts once they have voted."""
    ids = set(db.session.execute(_VOTERS, {"meeting_id": meeting.id}).scalars())
    voters = {v.user_id for v in votes} - ids
    if voters:
        ids |= set(db.session.execute(
            db.select(User.id).where(User.id.in_(voters), User.is_admin.is_(True))).scalars())
    return ids


def _ballots(clause_votes, head_revision_id):
    return [Ballot(voter=v.user_id, position=v.position, current=v.revision_id == head_revision_id)
            for v in clause_votes]


def votes_on(clause):
    return db.session.execute(
        db.select(Vote).where(Vote.clause_id == clause.id).order_by(Vote.updated_at)
    ).scalars().all()


def counted(clause):
    """The clause's ballots counted (domain.consensus.Counted), by the database."""
    return _count(clause.document.meeting_id, clause.id, clause.head_revision_id)


def _count(meeting_id, clause_id, head_revision_id):
    eligible, positions, stale = 0, dict.fromkeys(VotePosition, 0), 0
    for position, current, member, n in _COUNTING.all({
            "meeting_id": meeting_id, "clause_id": clause_id, "head_revision_id": head_revision_id}):
        if position is None:
            eligible += n
            continue
        if not member:
            eligible += n
        if current:
            positions[position] += n
        else:
            stale += n
    return Counted(agree=positions[VotePosition.AGREE], abstain=positions[VotePosition.ABSTAIN],
                   disagree=positions[VotePosition.DISAGREE], block=positions[VotePosition.BLOCK],
                   stale=stale, eligible=eligible)


def tally_of(clause, clause_votes=None):
    """The clause's Tally, from the votes given (Votes, or rows with user_id, position, revision_id)
    or else counted by the database."""
    rules, closed = rules_of(clause.document), not is_open(clause)
    if clause_votes is None:
        return decide(counted(clause), rules, closed=closed)
    eligible = eligible_ids(clause.document.meeting, clause_votes)
    return tally(_ballots(clause_votes, clause.head_revision_id), eligible, rules, closed=closed)


def tallies(document):
    """{clause_id: Tally} for every clause of the document, in two queries."""
    clauses = db.session.execute(db.select(Clause).where(Clause.document_id == document.id)).scalars().all()
    all_votes = db.session.execute(
        db.select(Vote).join(Clause).where(Clause.document_id == document.id)).scalars().all()
    by_clause = {}
    for vote in all_votes:
        by_clause.setdefault(vote.clause_id, []).append(vote)
    eligible = eligible_ids(document.meeting, all_votes)
    rules = rules_of(document)
    return {c.id: tally(_ballots(by_clause.get(c.id, []), c.head_revision_id), eligible, rules,
                        closed=not is_open(c)) for c in clauses}


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
    """The actor may vote on this clause now, or a clear refusal."""
    role = require_role(actor, clause.document.meeting, Role.OBSERVER)
    _require_voting_as(role, clause.document.phase, clause.status)
    return role


def _require_voting_as(role, phase, status):
    """A member in this role may vote on a clause in this status and phase, or a clear refusal."""
    if role == Role.OBSERVER:
        raise Forbidden("Observers follow the drafting but do not vote.")
    if phase not in VOTING_PHASES:
        raise WrongPhase(f"Votes are closed in the {Phase(phase).label.lower()} phase.")
    if status in (ClauseStatus.WITHDRAWN, ClauseStatus.MERGED):
        raise Conflict(f"This clause was {status}: there is nothing to vote on.")
    if status not in OPEN_STATUSES:
        raise Conflict(f"The chair declared this clause {ClauseStatus(status).label.lower()}: "
                       "its vote is closed until it is reopened.")


def parse_vote(position, reason):
    position = VotePosition.parse(position, "position")
    reason = limits.text(reason, "Reason", limits.RATIONALE, required=False)
    if position == VotePosition.BLOCK and not reason:
        raise ValidationError("A block is a formal objection: write the reason for it.", field="reason")
    return position, reason


def cast(actor, clause, position, reason=""):
    """Cast or change the actor's vote on the clause's current text. Returns (CastVote, tally)."""
    require_voting(actor, clause)
    vote = _write(actor, clause.id, clause.head_revision_id, *parse_vote(position, reason))
    if vote is None:
        _changed_meanwhile(actor, clause)
    return vote, _announce(actor, clause, "vote.cast", vote)


def _write(actor, clause_id, revision_id, position, reason):
    """The vote written, or None when the clause is no longer open on that revision."""
    now = utcnow()
    written = _UPSERT.first({"clause_id": clause_id, "user_id": actor.id, "revision_id": revision_id,
                             "position": position.value, "reason": reason, "now": now})
    return None if written is None else CastVote(actor, position.value, reason, revision_id, now)


class VotingClause(NamedTuple):
    """A clause as a vote sees it: with its document's phase and rules, and the voter's role."""

    id: int
    document_id: int
    meeting_id: int
    head_revision_id: int
    status: str
    phase: str
    quorum: float
    threshold: float
    block_prevents_consensus: bool
    hide_tallies: bool
    role: str | None


def _voting_clause():
    clauses, documents_, members = Clause.__table__, Document.__table__, Membership.__table__
    return (select(clauses.c.id, clauses.c.document_id, documents_.c.meeting_id, clauses.c.head_revision_id,
                   clauses.c.status, documents_.c.phase, documents_.c.quorum, documents_.c.threshold,
                   documents_.c.block_prevents_consensus, documents_.c.hide_tallies, members.c.role)
            .select_from(clauses.join(documents_, documents_.c.id == clauses.c.document_id)
                         .outerjoin(members, and_(members.c.meeting_id == documents_.c.meeting_id,
                                                  members.c.user_id == bindparam("user_id"))))
            .where(clauses.c.id == bindparam("clause_id")))


_VOTING_CLAUSE = Prepared(_voting_clause())


class Cast(NamedTuple):
    """A vote as cast, the clause's tally after it, and whether the voter sees tallies the rules hide."""

    vote: CastVote
    tally: Tally
    reveal: bool


def cast_on(actor, clause_id, position, reason=""):
    """cast() for a clause given by its id, as the API's vote arrives: the most frequent write.

    A voting member (who may read the document) has the clause, its document's rules and their role
    read in one statement, with no ORM objects loaded; anyone else, an unknown clause, or a clause
    that changed between that read and the write goes through cast(), which explains the refusal.
    """
    found = None
    if isinstance(clause_id, int) and getattr(actor, "is_authenticated", False):
        found = _VOTING_CLAUSE.first({"clause_id": clause_id, "user_id": actor.id})
    row = VotingClause(*found) if found is not None else None
    role = None if row is None else acting_role(actor, row.role)
    if role not in VOTER_ROLES:
        return _cast_explained(actor, clause_id, position, reason)
    _require_voting_as(role, row.phase, row.status)
    vote = _write(actor, row.id, row.head_revision_id, *parse_vote(position, reason))
    if vote is None:  # declared, withdrawn or edited since the row was read
        return _cast_explained(actor, clause_id, position, reason)
    result = decide(_count(row.meeting_id, row.id, row.head_revision_id), rules_of(row))
    events.append_to(row.document_id, "vote.cast", _voter(actor, result), _payload(row.id, vote, result))
    return Cast(vote, result, role == Role.CHAIR)


def _cast_explained(actor, clause_id, position, reason):
    clause = documents.get_clause(actor, clause_id)
    vote, result = cast(actor, clause, position, reason)
    return Cast(vote, result, reveal(actor, clause.document))


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
    newly_stale = db.session.execute(_CAST_ON, {"clause_id": clause.id, "revision_id": revision.parent_id}).all()
    if not newly_stale:
        return
    for vote in newly_stale:
        if actor is None or vote.user_id != actor.id:
            notifications.notify(
                vote.user_id, notifications.VOTE_STALE,
                f"The text you voted “{vote.position}” on has changed (revision {revision.number}). "
                "Confirm your vote on the new text or change it.",
                url=f"/clauses/{clause.id}#vote", document_id=clause.document_id)
    db.session.flush()
    events.append(clause.document, "votes.stale", actor, {
        "clause_id": clause.id, "revision_id": revision.id, "stale": len(newly_stale),
        "tally": tally_of(clause).as_dict()})
