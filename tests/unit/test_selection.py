"""Selected words found again in a clause's Markdown source, and what each consolidation makes of them."""
import pytest

from drafting.domain import selection
from drafting.domain.errors import ValidationError

UN = ("*We envisage* cities and human settlements that:[^12]\n\n(a) Fulfil their social function;\n\n"
      "(b) Are participatory;\n\n[^12]: See resolution 55/2.")


def words(text, span):
    return text[span.start:span.end]


def test_words_are_found_through_emphasis_and_across_sub_paragraphs():
    assert words(UN, selection.locate(UN, "We envisage cities")) == "We envisage* cities"
    assert words(UN, selection.locate(UN, "that:[^12] (a) Fulfil")) == "that:[^12]\n\n(a) Fulfil"


def test_repeats_are_told_apart_by_occurrence_or_asked_about():
    text = "Calls upon cities and regions, and upon cities alone;"
    assert selection.locate(text, "cities", occurrence=1).start == text.rindex("cities")
    with pytest.raises(ValidationError) as asked:
        selection.locate(text, "cities")
    assert [c["start"] for c in asked.value.details["candidates"]] == [11, text.rindex("cities")]


def test_offsets_must_lie_inside_the_text():
    assert selection.locate("Recommends;", start=0, end=10) == selection.Span(0, 10)
    for start, end in [(0, 12), (5, 5), (-1, 3), ("a", 3), (True, 3), (None, None)]:
        with pytest.raises(ValidationError):
            selection.locate("Recommends;", start=start, end=end)


def test_bracket_hugs_the_words_and_split_keeps_both_parts():
    text = "Recommends that cities publish open data;"
    span = selection.Span(text.index(" open"), text.index(";"))
    assert selection.bracketed(text, span) == "Recommends that cities publish [open data];"
    assert selection.split_parts(text, text.index("publish")) == ("Recommends that cities", "publish open data;")
    with pytest.raises(ValidationError):
        selection.split_parts(text, 0)
    assert selection.reworded(text, span, " reusable data ") == "Recommends that cities publish reusable data;"


def test_a_compromise_merges_each_suggestion_onto_the_text():
    base = "Recommends that cities publish open data;"
    text, conflicts = selection.combined(base, [(base, "Recommends that cities publish open data yearly;"),
                                                (base, "Recommends that large cities publish open data;")])
    assert (text, conflicts) == ("Recommends that large cities publish open data yearly;", 0)
    text, conflicts = selection.combined(base, [(base, "Recommends that towns publish open data;"),
                                                (base, "Recommends that regions publish open data;")])
    assert conflicts == 1 and "[[theirs: " in text


def test_changes_are_pairs_as_the_pages_show_them():
    assert selection.changes("open data", "[open data]") == [[1, "["], [0, "open data"], [1, "]"]]
