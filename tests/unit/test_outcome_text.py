"""How paragraphs read in the outcome document, and the Markdown that carries them."""
import pytest

from drafting.domain.numbering import alternative_numbers
from drafting.domain.outcome import (
    needs_brackets,
    paragraph_label,
    split_lead,
    wraps_whole,
)
from drafting.exports import reading


@pytest.mark.parametrize("text, lead", [
    ("Recalling the 2030 Agenda,", "Recalling"),
    ("Noting with appreciation the indicators,", "Noting with appreciation"),
    ("Bearing in mind that cities grow,", "Bearing in mind"),
    ("Further recalling its resolution,", "Further recalling"),
    ("Recognizing also the role,", "Recognizing also"),
    ("Calls upon Member States to act;", "Calls upon"),
    ("Recommends that cities publish;", "Recommends"),
    ("[Recommends] that cities publish;", ""),
    ("*Recalling* the text,", ""),
    ("the city should,", ""),
    ("", ""),
])
def test_lead_words(text, lead):
    found, rest = split_lead(text)
    assert found == lead
    assert found + rest == text


@pytest.mark.parametrize("text, whole", [("[A]", True), ("[A [b] c]", True), ("[A] and [B]", False),
                                         ("A [b]", False), ("[A", False), ("", False)])
def test_wraps_whole(text, whole):
    assert wraps_whole(text) is whole


def test_text_not_agreed_goes_in_brackets_once():
    assert needs_brackets("proposed", "Recommends;")
    assert needs_brackets("bracketed", "[A] and [B]")
    assert not needs_brackets("bracketed", "[Recommends;]")
    assert not needs_brackets("agreed", "Recommends;")
    assert not needs_brackets("agreed_ad_ref", "Recommends;")


@pytest.mark.parametrize("number, alt, label", [("7", None, "7."), ("7 bis", None, "7 bis."),
                                                ("7", 2, "7 Alt 2."), ("", 1, "Alt 1."), ("", None, "")])
def test_paragraph_labels(number, alt, label):
    assert paragraph_label(number, alt) == label


def test_alternatives_numbered_after_their_paragraph():
    assert alternative_numbers([(1, None), (2, None), (3, 2), (4, 2), (5, None)]) == {2: 1, 3: 2, 4: 3}
    assert alternative_numbers([(1, None)]) == {}


SAMPLE = """# Recommendations on smart cities

**Symbol:** ECE/HBP/2016/1  
**Meeting:** Driving Smart Sustainable Cities Worldwide  
**Place and date:** Geneva, 21 July 2016

## Preamble

*Recalling* the 2030 Agenda,

[*Noting* the indicators,]

## Operative part

1. *Recommends* that cities publish data;

1 bis. [*Encourages* [open] standards;

    A second paragraph of the same clause.]

2 Alt 1. [*Invites* cities;]

2 Alt 2. [*Urges* cities;]
"""


def test_the_reader_reads_what_render_writes():
    parsed = reading.read(reading.lines_of_text(SAMPLE))
    assert parsed.title == "Recommendations on smart cities"
    assert parsed.meta["symbol"] == "ECE/HBP/2016/1"
    assert [s.title for s in parsed.sections] == ["Preamble", "Operative part"]
    texts = [(p.kind, p.text, p.bracketed, p.late, p.alternative) for p in parsed.paragraphs]
    assert texts == [
        ("PP", "Recalling the 2030 Agenda,", False, False, False),
        ("PP", "Noting the indicators,", True, False, False),
        ("OP", "Recommends that cities publish data;", False, False, False),
        ("OP", "Encourages [open] standards;\n\nA second paragraph of the same clause.", True, True, False),
        ("OP", "Invites cities;", True, False, False),
        ("OP", "Urges cities;", True, False, True),
    ]


@pytest.mark.parametrize("text", ["", "# Title only\n", "## Heading\n\n## Another\n", "\n\n   \n"])
def test_the_reader_reports_a_text_without_paragraphs(text):
    parsed = reading.read(reading.lines_of_text(text))
    assert not parsed.paragraphs
    assert "no paragraphs" in parsed.report.not_understood[-1][2]
