"""Anchors: quoted words found again across insertions, deletions and rewrites, never on other words."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.domain.anchors import ANCHORED, EARLIER_VERSION, capture, locate, marked_html
from drafting.domain.errors import ValidationError

TEXT = "Recommends that cities publish open data on transport, housing and energy use;"


def found(anchor, new, original=TEXT):
    location = locate(anchor, new, original)
    return new[location.start:location.end] if location.anchored else None


def test_capture_keeps_the_quote_with_context():
    anchor = capture(TEXT, "open data")
    assert anchor.quote == "open data" and anchor.start == TEXT.index("open data")
    assert anchor.prefix.endswith("publish ") and anchor.suffix.startswith(" on transport")


@pytest.mark.parametrize("quote,message", [("", "must not be empty"), ("   ", "must not be empty"),
                                           ("closed data", "not in the current text"),
                                           ("x" * 1001, "at most 1,000")])
def test_capture_refuses_quotes_that_are_not_in_the_text(quote, message):
    with pytest.raises(ValidationError, match=message):
        capture(TEXT, quote)


def test_the_same_text_finds_the_quote_where_it_was():
    anchor = capture(TEXT, "open data")
    assert locate(anchor, TEXT, TEXT).state == ANCHORED
    assert found(anchor, TEXT) == "open data"


@pytest.mark.parametrize("new", [
    "Strongly recommends that all cities publish open data on transport, housing and energy use;",
    "Recommends that cities publish open data on transport;",
    "Recommends that cities and towns publish, each year, open data on transport, housing and energy use;",
    "Recommends that cities publish open data;",
    "open data on transport",
])
def test_insertions_and_deletions_around_the_quote(new):
    assert found(capture(TEXT, "open data"), new) == "open data"


def test_a_small_correction_inside_a_long_quote_moves_with_it():
    anchor = capture(TEXT, "publish open data on transport, housing and energy use")
    new = "Recommends that cities publish open data on transport, housing and on energy use;"
    assert found(anchor, new) == "publish open data on transport, housing and on energy use"


def test_a_typo_fixed_inside_the_quote():
    original = "Recommends that citiess publish open data;"
    anchor = capture(original, "that citiess publish")
    assert found(anchor, "Recommends that cities publish open data;", original) == "that cities publish"


@pytest.mark.parametrize("new", [
    "Recommends that cities publish closed data on transport;",     # the words changed meaning
    "Calls upon Member States to support local governments;",       # rewritten entirely
    "Recommends that cities share information on transport;",       # the quoted words are gone
    "",
])
def test_rewritten_words_leave_the_comment_on_an_earlier_version(new):
    assert locate(capture(TEXT, "open data"), new, TEXT).state == EARLIER_VERSION


def test_a_long_quote_rewritten_is_not_attached_to_what_is_left():
    anchor = capture(TEXT, "publish open data on transport, housing and energy use")
    new = "Recommends that cities publish yearly reports on their budgets;"
    assert locate(anchor, new, TEXT).state == EARLIER_VERSION


def test_repeated_words_keep_the_occurrence_that_was_quoted():
    original = "Cities publish data. Data on housing helps; cities publish data on transport too."
    second = original.rindex("cities publish data")
    anchor = capture(original, "cities publish data", start=second)
    assert anchor.start == second
    new = "Note: Cities publish data. Data on housing helps; cities publish data on transport too."
    location = locate(anchor, new, original)
    assert location.start == new.rindex("cities publish data")


def test_repeated_words_found_by_context_when_the_text_moved():
    original = "Open data matters. Recommends open data on transport;"
    anchor = capture(original, "open data", start=original.rindex("open data"))
    new = "Recommends open data on transport; Open data matters. Also open data elsewhere."
    assert locate(anchor, new, original).start == new.index("open data on transport")


def test_without_the_original_text_the_quote_is_still_found():
    anchor = capture(TEXT, "open data")
    assert found(anchor, "Urges that cities publish open data;", original=None) == "open data"


@settings(max_examples=60, deadline=None)
@given(before=st.text(alphabet="abc ,.;xyz", max_size=40), after=st.text(alphabet="abc ,.;xyz", max_size=40))
def test_any_text_added_around_the_quote_keeps_the_anchor(before, after):
    anchor = capture(TEXT, "open data on transport")
    start = TEXT.index("open data")
    new = before + TEXT[:start] + TEXT[start:] + after
    location = locate(anchor, new, TEXT)
    assert location.anchored and new[location.start:location.end] == "open data on transport"


def test_marked_html_wraps_the_words_and_stays_sanitised():
    html = str(marked_html("Recommends *open* data <script>alert(1)</script>;", [(11, 22, [5])]))
    assert '<mark class="anchor"' in html and "<em>open</em> data" in html
    assert 'href="#comment-5"' in html and "<script>" not in html


def test_marked_html_joins_overlapping_spans():
    html = str(marked_html("one two three four", [(0, 7, [1]), (4, 13, [2])]))
    assert html.count("<mark") == 1 and "#comment-1" in html and "#comment-2" in html
