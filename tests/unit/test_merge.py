"""The three-way merge: disjoint edits merge exactly, overlapping edits conflict, nothing is lost."""
import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.domain.merge import Edit, edits, has_conflict_marks, merge

BASE = "Member States should publish annual reports on open data and urban mobility;"


def test_the_same_word_changed_two_ways_is_a_conflict_not_a_silent_loss():
    result = merge(BASE, BASE.replace("annual", "biennial"), BASE.replace("annual", "triennial"))
    assert not result.clean
    assert "biennial" in result.text and "triennial" in result.text
    assert result.text == ("Member States should publish [[theirs: biennial || mine: triennial]] "
                           "reports on open data and urban mobility;")
    [region] = result.conflicts
    assert (region.base, region.theirs, region.mine) == ("annual", "biennial", "triennial")


def test_changes_to_different_words_merge_with_both_kept():
    theirs = BASE.replace("annual", "biennial")
    mine = BASE.replace("urban mobility", "public transport")
    result = merge(BASE, theirs, mine)
    assert result.clean
    assert result.text == "Member States should publish biennial reports on open data and public transport;"


def test_an_insertion_and_a_deletion_far_apart_both_apply():
    result = merge(BASE, BASE.replace("Member States", "All Member States"), BASE.replace("open ", ""))
    assert result.text == "All Member States should publish annual reports on data and urban mobility;"


def test_a_deletion_against_a_change_of_the_same_words_conflicts():
    result = merge(BASE, BASE.replace("open ", ""), BASE.replace("open", "public"))
    assert not result.clean
    assert "public" in result.text


def test_two_different_insertions_at_the_same_place_conflict():
    result = merge("a b c", "a x b c", "a y b c")
    assert not result.clean
    assert "x" in result.text and "y" in result.text


def test_the_same_change_made_twice_is_kept_once():
    same = BASE.replace("annual", "biennial")
    assert merge(BASE, same, same).text == same
    both = merge(BASE, same, same.replace("mobility", "transport"))
    assert both.clean and both.text.count("biennial") == 1 and both.text.endswith("transport;")


def test_when_one_side_did_nothing_the_other_side_wins_whole():
    mine = "Something else entirely."
    assert merge(BASE, BASE, mine).text == mine
    assert merge(BASE, mine, BASE).text == mine


def test_the_rest_of_the_text_merges_even_around_a_conflict():
    theirs = BASE.replace("annual", "biennial").replace("Member States", "Cities")
    mine = BASE.replace("annual", "triennial").replace("mobility", "transport")
    result = merge(BASE, theirs, mine)
    assert result.text.startswith("Cities should publish [[theirs: biennial || mine: triennial]]")
    assert result.text.endswith("urban transport;")


def test_edits_are_whole_words_in_base_coordinates():
    assert edits("the annual report", "the biennial report") == [Edit(4, 10, "biennial")]
    assert edits("a b", "a b") == []


def test_conflict_marks_are_recognised_and_plain_double_brackets_are_not():
    assert has_conflict_marks(merge("a b c", "a x c", "a y c").text)
    assert not has_conflict_marks("See [[note]] || elsewhere")


def test_unicode_and_line_breaks_survive_a_merge():
    base = "Reconnaissant le rôle des villes,\n\nsouligne l’importance des données;"
    theirs = base.replace("rôle", "rôle essentiel")
    mine = base.replace("données", "données ouvertes")
    assert merge(base, theirs, mine).text == (
        "Reconnaissant le rôle essentiel des villes,\n\nsouligne l’importance des données ouvertes;")


# --- exhaustive: every pair of word-range edits on a small text ------------------------------

WORDS = ["w0", "w1", "w2", "w3"]
REPLACEMENTS = [[], ["x"], ["y", "z"]]


def _apply(words, start, end, new):
    return words[:start] + new + words[end:]


def _all_edits(words, marker):
    for start in range(len(words) + 1):
        for end in range(start, len(words) + 1):
            for new in REPLACEMENTS:
                new = [f"{marker}{w}" for w in new]
                if start == end and not new:
                    continue
                yield start, end, new


def test_every_pair_of_edits_on_a_small_text_merges_exactly_or_conflicts():
    base = " ".join(WORDS)
    for (s1, e1, n1), (s2, e2, n2) in itertools.product(_all_edits(WORDS, "t"), _all_edits(WORDS, "m")):
        theirs = " ".join(_apply(WORDS, s1, e1, n1))
        mine = " ".join(_apply(WORDS, s2, e2, n2))
        result = merge(base, theirs, mine)
        case = (s1, e1, n1, s2, e2, n2)
        if e1 < s2:  # at least one untouched word between: disjoint
            expected = _apply(_apply(WORDS, s2, e2, n2), s1, e1, n1)
            assert result.clean and result.text == " ".join(expected), case
        elif e2 < s1:
            expected = _apply(_apply(WORDS, s1, e1, n1), s2, e2, n2)
            assert result.clean and result.text == " ".join(expected), case
        elif theirs == mine:
            assert result.clean and result.text == theirs, case
        elif max(s1, s2) < min(e1, e2) or (s1 == e1 == s2 == e2):  # a shared word or the same gap
            assert not result.clean, case
        if not result.clean:
            for word in n1 + n2:
                assert word in result.text, case
        else:
            _assert_nothing_lost(base, theirs, mine, result.text, case)


# --- properties ------------------------------------------------------------------------------


def _tokens(text):
    return Counter(text.split())


def _assert_nothing_lost(base, theirs, mine, merged, case=None):
    """Every word either side added is there, every word either side removed is gone."""
    expected = _tokens(base)
    for side in (theirs, mine):
        expected = expected - (_tokens(base) - _tokens(side)) + (_tokens(side) - _tokens(base))
    assert _tokens(merged) == expected, case


@st.composite
def disjoint_pair(draw):
    """A base of unique words and two replacements with at least one untouched word between."""
    n = draw(st.integers(3, 40))
    words = [f"b{i}" for i in range(n)]
    first_start = draw(st.integers(0, n - 2))
    first_end = draw(st.integers(first_start, n - 2))
    second_start = draw(st.integers(first_end + 1, n))
    second_end = draw(st.integers(second_start, n))
    first_new = draw(st.lists(st.sampled_from(["t1", "t2", "t3"]), max_size=3))
    second_new = draw(st.lists(st.sampled_from(["m1", "m2", "m3"]), max_size=3))
    first = (first_start, first_end, first_new)
    second = (second_start, second_end, second_new)
    if draw(st.booleans()):
        first, second = second, first
    return words, first, second


@settings(max_examples=300, deadline=None)
@given(disjoint_pair())
def test_disjoint_edits_give_a_result_containing_both_exactly(pair):
    words, (s1, e1, n1), (s2, e2, n2) = pair
    theirs = " ".join(_apply(words, s1, e1, n1))
    mine = " ".join(_apply(words, s2, e2, n2))
    later, earlier = sorted([(s1, e1, n1), (s2, e2, n2)], reverse=True)
    expected = " ".join(_apply(_apply(words, *later), *earlier))
    result = merge(" ".join(words), theirs, mine)
    assert result.clean
    assert result.text == expected


@st.composite
def overlapping_pair(draw):
    """Two replacements that share at least one base word, with different new words."""
    n = draw(st.integers(2, 30))
    words = [f"b{i}" for i in range(n)]
    shared = draw(st.integers(0, n - 1))
    s1, e1 = draw(st.integers(0, shared)), draw(st.integers(shared + 1, n))
    s2, e2 = draw(st.integers(0, shared)), draw(st.integers(shared + 1, n))
    n1 = draw(st.lists(st.sampled_from(["t1", "t2"]), min_size=1, max_size=3))
    n2 = draw(st.lists(st.sampled_from(["m1", "m2"]), min_size=1, max_size=3))
    return words, (s1, e1, n1), (s2, e2, n2)


@settings(max_examples=300, deadline=None)
@given(overlapping_pair())
def test_overlapping_edits_give_a_conflict_that_shows_both_sides(pair):
    words, (s1, e1, n1), (s2, e2, n2) = pair
    theirs = " ".join(_apply(words, s1, e1, n1))
    mine = " ".join(_apply(words, s2, e2, n2))
    result = merge(" ".join(words), theirs, mine)
    assert not result.clean
    assert has_conflict_marks(result.text)
    for region in result.conflicts:
        assert region.theirs in theirs and region.mine in mine
    for word in n1 + n2:
        assert word in result.text


VOCABULARY = ["cities", "data", "open", "the", "and", "urban", ",", ";", "of"]


def _edit_strategy(new_words):
    return st.lists(st.tuples(st.integers(0, 25), st.integers(0, 3),
                              st.lists(st.sampled_from(new_words), max_size=3)), max_size=3)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), max_size=25),
       _edit_strategy(["t1", "t2"]), _edit_strategy(["m1", "m2"]))
def test_with_repeated_words_a_clean_merge_never_loses_or_invents_a_word(words, their_edits, my_edits):
    def edited(changes):
        result = list(words)
        for start, length, new in sorted(changes, reverse=True):
            start = min(start, len(result))
            result[start:start + length] = new
        return " ".join(result)

    base, theirs, mine = " ".join(words), edited(their_edits), edited(my_edits)
    result = merge(base, theirs, mine)
    if not result.clean:
        for region in result.conflicts:
            assert region.theirs != region.mine
            assert base[region.start:region.end] == region.base
        return
    merged, before, t, m = _tokens(result.text), _tokens(base), _tokens(theirs), _tokens(mine)
    for word in ("t1", "t2"):
        assert merged[word] == t[word]
    for word in ("m1", "m2"):
        assert merged[word] == m[word]
    for word in VOCABULARY:  # deleted by either side; a deletion both made counts once at least
        removed_t, removed_m = before[word] - t[word], before[word] - m[word]
        assert before[word] - removed_t - removed_m <= merged[word] <= before[word] - max(removed_t, removed_m)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_merging_against_an_unchanged_side_returns_the_other_side(base, other):
    assert merge(base, base, other).text == other
    assert merge(base, other, base).text == other
