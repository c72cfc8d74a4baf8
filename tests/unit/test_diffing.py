"""Track changes, authorship and version comparison."""
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.domain.diffing import (
    Change, Entry, Op, Span, authorship, compare, raw_diff, track_changes,
)


def _text_of(spans, side):
    keep = Op.DELETE if side == "before" else Op.INSERT
    return "".join(s.text for s in spans if s.op in (Op.EQUAL, keep))


def test_track_changes_marks_whole_words():
    spans = track_changes("the annual report on open data", "the biennial report on data")
    assert spans == [Span(Op.EQUAL, "the "), Span(Op.DELETE, "annual"), Span(Op.INSERT, "biennial"),
                     Span(Op.EQUAL, " report on "), Span(Op.DELETE, "open "), Span(Op.EQUAL, "data")]


def test_a_word_that_shares_letters_with_its_replacement_is_not_split():
    spans = track_changes("publish annual reports", "publish biennial reports")
    assert Span(Op.DELETE, "annual") in spans and Span(Op.INSERT, "biennial") in spans


def test_semantic_cleanup_joins_changes_separated_by_a_lone_space():
    spans = track_changes("the annual report on data", "the biennial review on data")
    assert Span(Op.DELETE, "annual report") in spans and Span(Op.INSERT, "biennial review") in spans


def test_identical_and_empty_texts():
    assert track_changes("same", "same") == [Span(Op.EQUAL, "same")]
    assert track_changes("", "") == []
    assert track_changes("", "new") == [Span(Op.INSERT, "new")]
    assert track_changes("old", "") == [Span(Op.DELETE, "old")]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_the_spans_rebuild_both_texts_exactly(before, after):
    spans = track_changes(before, after)
    assert _text_of(spans, "before") == before
    assert _text_of(spans, "after") == after
    assert all(s.text for s in spans)


def test_every_diff_is_bounded_in_time(monkeypatch):
    """Pathological pairs must not hold a worker: the C++ diff always gets a time limit (bench/ measures it)."""
    import fast_diff_match_patch

    seen = []
    real = fast_diff_match_patch.diff

    def spy(*args, **kwargs):
        seen.append(kwargs.get("timelimit"))
        return real(*args, **kwargs)

    monkeypatch.setattr(fast_diff_match_patch, "diff", spy)
    track_changes("one text here", "another text there")
    authorship([("a b", 1), ("a c", 2)])
    assert seen and all(limit is not None and 0 < limit <= 0.5 for limit in seen)


# --- authorship ------------------------------------------------------------------------------


def test_each_word_is_credited_to_the_revision_that_wrote_it():
    spans = authorship([("Cities publish data;", "r1"), ("Cities publish open data;", "r2"),
                        ("All cities publish open data;", "r3")])
    assert [(s.text, s.origin) for s in spans] == [
        ("All cities", "r3"), (" publish ", "r1"), ("open ", "r2"), ("data;", "r1")]


def test_deleted_words_disappear_from_authorship_and_the_rest_stays_credited():
    spans = authorship([("a b c d", 1), ("a c d", 2), ("a c d e", 3)])
    assert "".join(s.text for s in spans) == "a c d e"
    assert [s.origin for s in spans] == [1, 3]


def test_a_rewritten_phrase_belongs_to_its_rewriter_even_where_one_word_survived():
    spans = authorship([("Recommends that national, regional and local governments adopt strategies;", 1),
                        ("Recommends that governments at every level adopt strategies;", 2)])
    assert [(s.text, s.origin) for s in spans] == [
        ("Recommends that ", 1), ("governments at every level", 2), (" adopt strategies;", 1)]


def test_white_space_alone_never_makes_a_span_of_its_own():
    assert [(s.text, s.origin) for s in authorship([("a b", 1), ("a  b", 2)])] == [("a  b", 1)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab c,", max_size=30), min_size=1, max_size=6))
def test_authorship_always_spells_out_the_last_text(texts):
    spans = authorship([(t, i) for i, t in enumerate(texts)])
    assert "".join(s.text for s in spans) == texts[-1]
    assert all(0 <= s.origin < len(texts) for s in spans)


# --- comparing versions ------------------------------------------------------------------------


def _entry(cid, order, number="", text="text", section="Operative part", status="proposed"):
    return Entry(cid, order, section, number, status, text)


def test_compare_names_every_kind_of_change():
    before = [_entry(1, 1, "1", "One"), _entry(2, 2, "2", "Two"), _entry(3, 3, "3", "Three"),
              _entry(4, 4, "4", "Four")]
    after = [_entry(1, 1, "1", "One"), _entry(3, 2, "2", "Three"), _entry(5, 3, "3", "Five"),
             _entry(4, 4, "4", "Four, changed")]
    rows = {r.clause_id: r for r in compare(before, after)}
    assert rows[1].changes == []
    assert rows[2].changes == [Change.REMOVED] and rows[2].after is None
    assert rows[3].changes == [Change.RENUMBERED]
    assert rows[5].changes == [Change.ADDED]
    assert rows[4].changes == [Change.CHANGED]
    assert Span(Op.INSERT, ", changed") in rows[4].spans


def test_a_clause_that_jumps_ahead_is_moved_and_the_others_are_not():
    before = [_entry(i, i, str(i), f"C{i}") for i in range(1, 6)]
    after = [_entry(5, 1, "1", "C5")] + [_entry(i, i + 1, str(i + 1), f"C{i}") for i in range(1, 5)]
    rows = {r.clause_id: r for r in compare(before, after)}
    assert rows[5].changes == [Change.MOVED, Change.RENUMBERED]
    assert all(Change.MOVED not in rows[i].changes for i in range(1, 5))


def test_moving_to_another_section_is_a_move():
    rows = compare([_entry(1, 1, section="Preamble")], [_entry(1, 1, section="Operative part")])
    assert rows[0].changes == [Change.MOVED]


def test_removed_clauses_appear_where_they_were():
    before = [_entry(1, 1), _entry(2, 2), _entry(3, 3)]
    after = [_entry(1, 1), _entry(3, 2)]
    assert [r.clause_id for r in compare(before, after)] == [1, 2, 3]
    assert [r.clause_id for r in compare([_entry(9, 1)], [_entry(1, 1)])] == [9, 1]


def test_comparing_a_version_with_itself_shows_nothing_changed():
    entries = [_entry(i, i, str(i), f"Clause {i}") for i in range(1, 20)]
    assert all(r.unchanged for r in compare(entries, entries))


def test_raw_diff_gives_diff_match_patch_tuples():
    assert raw_diff("a b", "a c") == [(0, "a "), (-1, "b"), (1, "c")]
