"""The consensus function, by tables: quorum edges, thresholds, blocks, abstentions, stale and hidden."""
import itertools

import pytest

from drafting.domain.consensus import Ballot, Rules, eligible_voters, tally
from drafting.domain.vocabulary import ConsensusState as S

TEN = range(1, 11)


def ballots(agree=0, abstain=0, disagree=0, block=0, stale=0, start=1):
    positions = ["agree"] * agree + ["abstain"] * abstain + ["disagree"] * disagree + ["block"] * block
    votes = [Ballot(voter=start + i, position=p) for i, p in enumerate(positions)]
    votes += [Ballot(voter=start + len(positions) + i, position="agree", current=False) for i in range(stale)]
    return votes


# agree, abstain, disagree, block, stale, rules, expected state
TABLE = [
    # nobody has voted on this text
    (0, 0, 0, 0, 0, Rules(), S.NO_VOTES),
    (0, 0, 0, 0, 6, Rules(), S.NO_VOTES),                      # only stale votes: nothing counts
    # quorum 50% of 10 eligible: 5 voters meet it, 4 do not
    (4, 0, 0, 0, 0, Rules(quorum=0.5), S.QUORUM_NOT_MET),
    (5, 0, 0, 0, 0, Rules(quorum=0.5), S.CONSENSUS),
    (4, 0, 0, 0, 3, Rules(quorum=0.5), S.QUORUM_NOT_MET),      # stale votes do not make a quorum
    (0, 5, 0, 0, 0, Rules(quorum=0.5), S.CONTESTED),           # abstentions count for quorum, take no side
    (4, 1, 0, 0, 0, Rules(quorum=0.5), S.CONSENSUS),
    # quorum 70%: float 0.7 * 10 must still accept exactly 7
    (7, 0, 0, 0, 0, Rules(quorum=0.7), S.CONSENSUS),
    (6, 0, 0, 0, 0, Rules(quorum=0.7), S.QUORUM_NOT_MET),
    (1, 0, 0, 0, 0, Rules(quorum=0.0), S.CONSENSUS),           # no quorum at all
    (9, 0, 0, 0, 0, Rules(quorum=1.0), S.QUORUM_NOT_MET),
    (10, 0, 0, 0, 0, Rules(quorum=1.0), S.CONSENSUS),
    # threshold 75% among non-abstaining votes
    (6, 0, 2, 0, 0, Rules(threshold=0.75), S.CONSENSUS),       # exactly 75%
    (5, 0, 2, 0, 0, Rules(threshold=0.75), S.CONTESTED),       # 71%
    (6, 2, 2, 0, 0, Rules(threshold=0.75), S.CONSENSUS),       # abstentions do not dilute
    (3, 4, 1, 0, 0, Rules(threshold=0.75), S.CONSENSUS),       # 3 of 4 sides
    (2, 4, 1, 0, 0, Rules(threshold=0.75), S.CONTESTED),       # 2 of 3 sides
    (7, 0, 3, 0, 0, Rules(threshold=0.7), S.CONSENSUS),        # float 0.7 edge again
    (5, 0, 5, 0, 0, Rules(threshold=0.5), S.CONSENSUS),
    (4, 0, 6, 0, 0, Rules(threshold=0.5), S.CONTESTED),
    (5, 0, 5, 0, 0, Rules(threshold=1.0), S.CONTESTED),
    (10, 0, 0, 0, 0, Rules(threshold=1.0), S.CONSENSUS),
    (0, 0, 5, 0, 0, Rules(threshold=0.0), S.CONSENSUS),        # a 0% threshold accepts anything voted
    # blocks
    (9, 0, 0, 1, 0, Rules(block_prevents_consensus=True), S.BLOCKED),
    (9, 0, 0, 1, 0, Rules(block_prevents_consensus=False, threshold=0.9), S.CONSENSUS),  # 9 of 10
    (8, 0, 0, 2, 0, Rules(block_prevents_consensus=False, threshold=0.9), S.CONTESTED),  # counts as against
    (4, 0, 0, 1, 0, Rules(quorum=0.6), S.QUORUM_NOT_MET),      # quorum first: a block alone does not decide
    (0, 0, 0, 5, 0, Rules(), S.BLOCKED),
    (5, 0, 0, 0, 1, Rules(), S.CONSENSUS),                     # a stale block would not count either
]


@pytest.mark.parametrize("agree,abstain,disagree,block,stale,rules,expected", TABLE)
def test_state_table(agree, abstain, disagree, block, stale, rules, expected):
    result = tally(ballots(agree, abstain, disagree, block, stale), TEN, rules)
    assert result.state == expected
    assert (result.agree, result.abstain, result.disagree, result.block, result.stale) == (
        agree, abstain, disagree, block, stale)
    assert result.eligible == 10


def test_a_stale_block_does_not_block():
    votes = ballots(agree=6) + [Ballot(voter=9, position="block", current=False)]
    result = tally(votes, TEN, Rules())
    assert result.state == S.CONSENSUS and result.block == 0 and result.stale == 1


def test_votes_of_people_who_are_not_eligible_are_not_counted():
    votes = ballots(agree=5) + [Ballot(voter=99, position="block")]
    result = tally(votes, TEN, Rules())
    assert result.state == S.CONSENSUS and result.block == 0 and result.voted == 5


def test_turnout_and_agreement_shares():
    result = tally(ballots(agree=3, abstain=2, disagree=1), TEN, Rules())
    assert result.turnout == 0.6
    assert result.agreement == 0.75
    assert tally(ballots(abstain=6), TEN, Rules()).agreement is None


@pytest.mark.parametrize("hide,closed,hidden", [(False, False, False), (True, False, True),
                                                (True, True, False), (False, True, False)])
def test_hidden_tallies_until_the_vote_closes(hide, closed, hidden):
    result = tally(ballots(agree=6, block=1), TEN, Rules(hide_tallies=hide), closed=closed)
    assert result.hidden is hidden
    shown = result.as_dict()
    if hidden:
        assert shown["state"] is None and shown["agree"] is None and shown["block"] is None
        assert shown["hidden"] is True and shown["eligible"] == 10
        assert result.as_dict(reveal=True)["state"] == "blocked"
    else:
        assert shown == {"hidden": False, "state": "blocked", "agree": 6, "abstain": 0, "disagree": 0,
                         "block": 1, "stale": 0, "voted": 7, "eligible": 10}


def _expected(agree, abstain, disagree, block, eligible, rules):
    """An independent reading of the rules, in integer arithmetic, for the exhaustive sweep."""
    voted = agree + abstain + disagree + block
    if voted == 0:
        return S.NO_VOTES
    if voted * 100 < round(rules.quorum * 100) * eligible:
        return S.QUORUM_NOT_MET
    if block and rules.block_prevents_consensus:
        return S.BLOCKED
    sides = agree + disagree + block
    if sides and agree * 100 >= round(rules.threshold * 100) * sides:
        return S.CONSENSUS
    return S.CONTESTED


RULE_SETS = [Rules(q, t, b) for q in (0.0, 0.3, 0.5, 0.7, 1.0) for t in (0.5, 0.66, 0.75, 1.0)
             for b in (True, False)]


@pytest.mark.parametrize("rules", RULE_SETS, ids=str)
def test_every_small_vote_against_an_independent_reading(rules):
    eligible = range(1, 9)
    for agree, abstain, disagree, block in itertools.product(range(5), range(3), range(3), range(3)):
        if agree + abstain + disagree + block > 8:
            continue
        result = tally(ballots(agree, abstain, disagree, block), eligible, rules)
        assert result.state == _expected(agree, abstain, disagree, block, 8, rules), (agree, abstain, disagree, block)


def test_a_site_admin_counts_towards_the_quorum_only_on_a_clause_they_voted_on():
    ballots = [Ballot(voter=1, position="agree"), Ballot(voter=9, position="agree")]
    assert eligible_voters({1, 2, 3}, admins={9}, votes=ballots) == {1, 2, 3, 9}
    assert eligible_voters({1, 2, 3}, admins={9}, votes=ballots[:1]) == {1, 2, 3}
    assert eligible_voters({1, 2, 3}, admins=set(), votes=ballots) == {1, 2, 3}  # 9 left: not counted
