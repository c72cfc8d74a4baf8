"""Square brackets inside a paragraph, as Akoma Ntoso marks them: the text a reader sees never changes."""
import pytest
from lxml import etree

from drafting.exports import akoma_ntoso

A = {"a": akoma_ntoso.NS}


def marked(rest, lead="", blocks=None):
    p = etree.Element(akoma_ntoso.E + "p")
    akoma_ntoso._text(p, lead, rest, {"1": 1}, {1: "A note."}, "para_1", "", "", blocks)
    return p


def shown(element):
    return "".join(element.itertext())


@pytest.mark.parametrize("text", [
    "cities [sustainable] and towns", "a ] stray bracket and [one left open", "[*sustainable*] cities",
    "we [shall / should] act", "open [data[^1]] now", "[[nested] words]", "[]", "*Urges [all] States*",
    "*half [open* words]",
])
def test_the_text_stays_as_written(text):
    p = marked(text)
    expected = text.replace("*", "").replace("[^1]", "A note.")
    assert shown(p) == expected


def test_a_bracket_is_a_named_inline_and_a_choice_names_each_wording():
    p = marked("we [shall / should] act in [A/RES/70/1]", lead="Decides")
    first, second = p.findall("a:inline[@name='bracketed']", A)
    assert first.get("refersTo") == "#bracketed" and first.get("eId") == "para_1__inline_1"
    assert [shown(o) for o in first.findall("a:inline[@name='alternative']", A)] == ["shall", "should"]
    assert shown(first) == "[shall / should]"
    assert second.find("a:inline", A) is None  # a symbol's slashes are no choice


def test_a_bracket_carried_into_the_next_block_is_marked_there_too():
    carry = akoma_ntoso._Brackets("para_1")
    first, second = marked("by [promoting work;", blocks=carry), marked("and land] tenure;", blocks=carry)
    assert shown(first.find("a:inline", A)) == "[promoting work;"
    assert shown(second.find("a:inline", A)) == "and land]" and carry.depth == 0
    assert second.find("a:inline", A).get("eId") != first.find("a:inline", A).get("eId")


def test_brackets_inside_italics_are_marked_when_they_close_there():
    p = marked("*Urges [all] States* to act and *[half* open]")
    inner = p.find("a:i/a:inline[@name='bracketed']", A)
    assert shown(inner) == "[all]"
    assert shown(p.findall("a:i", A)[1]) == "[half" and p.findall("a:i", A)[1].find("a:inline", A) is None
