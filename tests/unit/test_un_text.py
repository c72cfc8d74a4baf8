"""The structure inside a UN paragraph: sub-paragraphs, footnotes; numbering of annexes and excerpts."""
from hypothesis import given
from hypothesis import strategies as st

from drafting.domain import un_text
from drafting.domain.numbering import Paragraph, number_paragraphs

NUA_14 = """To achieve our vision, we resolve to adopt a New Urban Agenda guided by the following interlinked principles:

(a) Leave no one behind, by ending poverty in all its forms and dimensions;

(b) Ensure sustainable and inclusive urban economies;

(c) Ensure environmental sustainability by promoting clean energy."""


def test_lettered_subparagraphs_are_read_from_the_text():
    structure = un_text.parse(NUA_14)
    assert structure.intro.startswith("To achieve our vision")
    assert [(b.label, b.level) for b in structure.subparagraphs] == [("a", 1), ("b", 1), ("c", 1)]


def test_roman_subparagraphs_sit_under_a_letter_but_i_after_h_is_a_letter():
    text = "Intro:\n(a) One;\n(i) first;\n(ii) second;\n(b) Two;\n(c) c\n(d) d\n(e) e\n(f) f\n(g) g\n(h) h\n(i) i"
    levels = [(b.label, b.level) for b in un_text.parse(text).subparagraphs]
    assert levels[:4] == [("a", 1), ("i", 2), ("ii", 2), ("b", 1)]
    assert levels[-1] == ("i", 1)


def test_footnotes_are_numbered_across_the_document_in_reading_order():
    counter = un_text.FootnoteCounter()
    first = un_text.parse("Recalling the Declaration,[^a]\n\n[^a]: Resolution 41/128, annex.")
    second = un_text.parse("Noting the Outcome[^x] and the Declaration.[^y]\n\n[^y]: See resolution 55/2.\n\n"
                           "[^x]: See resolution 60/1.")
    assert counter.number(first) == {"a": 1}
    assert counter.number(second) == {"x": 2, "y": 3}
    assert counter.notes == [(1, "Resolution 41/128, annex."), (2, "See resolution 60/1."), (3, "See resolution 55/2.")]


def test_a_marker_without_its_note_is_a_problem_to_report():
    assert un_text.problems(un_text.parse("Text[^1] and more[^2].\n\n[^1]: note")) == [
        "footnote [^2] is referred to but not defined"]


def test_brackets_check_sets_footnote_markers_aside():
    assert not un_text.has_open_brackets("Recalling its resolution 55/2,[^1]")
    assert un_text.has_open_brackets("Recalling [its resolution] 55/2,[^1]")


def test_an_annex_is_numbered_from_1_and_an_excerpt_goes_on_from_its_source_number():
    paragraphs = [Paragraph("PP"), Paragraph("OP"), Paragraph("OP"),
                  Paragraph("OP", part="Annex"), Paragraph("OP", part="Annex"),
                  Paragraph("OP", part="Annex", number_from=163), Paragraph("OP", part="Annex")]
    assert number_paragraphs(paragraphs) == ["", "1", "2", "1", "2", "163", "164"]


words = st.text(alphabet="abcdefghij ,;.", min_size=1, max_size=30).map(str.strip).filter(bool)


@given(st.lists(words, min_size=1, max_size=6), st.lists(words, max_size=3))
def test_parse_and_compose_keep_every_word(items, notes):
    letters = "abcdefgh"
    text = "\n\n".join(["Intro " + items[0]] + [f"({letters[i]}) {t}" for i, t in enumerate(items[1:])]
                       + [f"[^{i}]: {n}" for i, n in enumerate(notes)])
    again = un_text.compose(un_text.parse(text))
    assert again == text
