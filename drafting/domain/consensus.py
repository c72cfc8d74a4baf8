"""Consensus: one pure function turns votes, eligible members and the rules into a clause's state."""
import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from drafting.domain.vocabulary import ConsensusState, VotePosition


@dataclass(frozen=True)
class Rules:
    """A document's consensus rules; shares are between 0 and 1."""

    quorum: float = 0.5
    threshold: float = 0.75
    block_prevents_consensus: bool = True
    hide_tallies: bool = False


class Ballot(NamedTuple):
    """One member's vote on a clause; `current` is False when it was cast on an earlier text."""

    voter: int
    position: str
    current: bool = True


@dataclass(frozen=True)
class Tally:
    state: ConsensusState
    agree: int = 0
    abstain: int = 0
    disagree: int = 0
    block: int = 0
    stale: int = 0
    eligible: int = 0
    hidden: bool = False

    @property
    def voted(self):
        """Current votes from eligible members: what counts towards the quorum."""
        return self.agree + self.abstain + self.disagree + self.block

    @property
    def turnout(self):
        return self.voted / self.eligible if self.eligible else 0.0

    @property
    def agreement(self):
        """Share of agree among non-abstaining votes, or None when nobody took a side."""
        sides = self.agree + self.disagree + self.block
        return self.agree / sides if sides else None

    def as_dict(self, reveal=False):
        """The tally as clients see it: counts and state are withheld while hidden, unless revealed."""
        if self.hidden and not reveal:
            return {"hidden": True, "state": None, "agree": None, "abstain": None, "disagree": None,
                    "block": None, "stale": None, "voted": None, "eligible": self.eligible}
        return {"hidden": False, "state": self.state.value, "agree": self.agree, "abstain": self.abstain,
                "disagree": self.disagree, "block": self.block, "stale": self.stale,
                "voted": self.voted, "eligible": self.eligible}


@functools.lru_cache(maxsize=256)  # a meeting's few rules, asked on every vote
def _share(value):
    # 0.7 * 10 is 7.000000000000001 in floats: compare shares as the fractions people meant.
    return Fraction(value).limit_denominator(10_000)


class Counted(NamedTuple):
    """What a clause's ballots add up to, before the rules are applied."""

    agree: int = 0
    abstain: int = 0
    disagree: int = 0
    block: int = 0
    stale: int = 0
    eligible: int = 0


def eligible_voters(members, admins, votes):
    """Who counts towards a clause's quorum: the meeting's voting members, and a site admin (who acts
    as chair) once they have voted on that clause. members, admins: ids; votes: the clause's Ballots."""
    return set(members) | {ballot.voter for ballot in votes if ballot.voter in admins}


def count(votes, eligible):
    """Count the current ballots of eligible members by position; stale ones apart.

    votes: Ballots; eligible: ids of members who may vote. Ballots of people no longer eligible
    (who left the meeting or became observers) are not counted at all.
    """
    eligible = set(eligible)
    counts = dict.fromkeys(VotePosition, 0)  # a position's text finds its member: they are str
    stale = 0
    for ballot in votes:
        if ballot.voter not in eligible:
            continue
        if not ballot.current:
            stale += 1
            continue
        counts[ballot.position] += 1
    return Counted(agree=counts[VotePosition.AGREE], abstain=counts[VotePosition.ABSTAIN],
                   disagree=counts[VotePosition.DISAGREE], block=counts[VotePosition.BLOCK],
                   stale=stale, eligible=len(eligible))


def tally(votes, eligible, rules, closed=False):
    """The clause's tally and consensus state from its ballots (see `count` and `decide`)."""
    return decide(count(votes, eligible), rules, closed)


def decide(counted, rules, closed=False):
    """The consensus state of counted ballots under the rules; closed: the clause's vote has closed.

    Quorum: counted votes / eligible ≥ rules.quorum. Threshold: agree / (agree + disagree + block)
    ≥ rules.threshold; when nobody takes a side (all abstain) there is no consensus to see.
    """
    agree, abstain, disagree, block = counted.agree, counted.abstain, counted.disagree, counted.block
    voted = agree + abstain + disagree + block
    hidden = bool(rules.hide_tallies) and not closed

    if voted == 0:
        state = ConsensusState.NO_VOTES
    elif Fraction(voted, counted.eligible) < _share(rules.quorum):
        state = ConsensusState.QUORUM_NOT_MET
    elif block and rules.block_prevents_consensus:
        state = ConsensusState.BLOCKED
    elif agree + disagree + block == 0:
        state = ConsensusState.CONTESTED
    elif Fraction(agree, agree + disagree + block) >= _share(rules.threshold):
        state = ConsensusState.CONSENSUS
    else:
        state = ConsensusState.CONTESTED
    return Tally(state=state, agree=agree, abstain=abstain, disagree=disagree, block=block,
                 stale=counted.stale, eligible=counted.eligible, hidden=hidden)
