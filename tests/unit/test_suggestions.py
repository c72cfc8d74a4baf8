"""Several suggestions on one clause: which ones change the same words."""
from hypothesis import given, strategies as st

from drafting.domain.suggestions import changed_ranges, overlapping

BASE = "Recommends that cities publish open data every year;"


def test_changed_ranges_are_in_the_base_text():
    text = "Recommends that all cities publish open budgets every year;"
    assert [BASE[s:e] for s, e in changed_ranges(BASE, text)] == ["", "data"]


def test_suggestions_that_change_the_same_words_overlap_and_others_do_not():
    found = overlapping([
        (1, 10, BASE, "Recommends that cities publish open budgets every year;"),
        (2, 10, BASE, "Recommends that cities publish open statistics every year;"),
        (3, 10, BASE, "Urges that cities publish open data every year;"),
        (4, 11, "Another base;", "Another base text;"),
    ])
    assert found == {1: [2], 2: [1], 3: [], 4: []}


@given(st.text(alphabet="ab .", max_size=30), st.text(alphabet="ab .", max_size=30))
def test_a_suggestion_overlaps_itself_when_it_changes_anything(base, text):
    found = overlapping([(1, 0, base, text), (2, 0, base, text)])
    assert found[1] == ([2] if base != text else [])
