"""Who may vote on a clause in which status and phase: domain.clause_state.vote_refusal, the one rule
that votes.require_voting raises and the clause and document pages show."""
import pytest

from drafting.domain import clause_state
from drafting.domain.errors import Conflict, Forbidden, WrongPhase
from drafting.domain.vocabulary import ClauseStatus, Phase, Role

VOTERS = [Role.CHAIR, Role.RAPPORTEUR, Role.EXPERT]


@pytest.mark.parametrize("role", VOTERS)
@pytest.mark.parametrize("status", ["proposed", "bracketed"])
@pytest.mark.parametrize("phase", ["drafting", "amendments", "consolidation"])
def test_members_vote_on_open_clauses_while_deliberating(role, status, phase):
    assert clause_state.vote_refusal(status, phase, role) is None


def test_observers_do_not_vote():
    refusal = clause_state.vote_refusal("proposed", "drafting", "observer")
    assert isinstance(refusal, Forbidden) and "Observers" in refusal.message


@pytest.mark.parametrize("phase", ["final_reading", "adopted", "published"])
def test_votes_close_with_deliberation(phase):
    refusal = clause_state.vote_refusal("proposed", phase, Role.EXPERT)
    assert isinstance(refusal, WrongPhase) and "closed" in refusal.message


@pytest.mark.parametrize("status, words", [("withdrawn", "nothing to vote on"), ("merged", "nothing to vote on"),
                                           ("agreed", "until it is reopened"),
                                           ("agreed_ad_ref", "until it is reopened")])
def test_declared_or_gone_clauses_take_no_votes(status, words):
    refusal = clause_state.vote_refusal(status, "drafting", Role.CHAIR)
    assert isinstance(refusal, Conflict) and words in refusal.message


@pytest.mark.parametrize("status", list(ClauseStatus))
@pytest.mark.parametrize("phase", list(Phase))
def test_a_voter_is_refused_exactly_when_the_vote_is_closed(status, phase):
    assert (clause_state.vote_refusal(status, phase, Role.EXPERT) is not None) == clause_state.vote_closed(status, phase)
