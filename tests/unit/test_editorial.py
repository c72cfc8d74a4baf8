"""Drafting checks by UN editorial conventions: what a drafter is told, and where in the text."""
from hypothesis import given, strategies as st

from drafting.domain import editorial
from drafting.domain.editorial import check_paragraph, parse_terminology

codes = lambda findings: [f.code for f in findings]  # noqa: E731


def test_well_formed_paragraphs_get_no_advice():
    assert check_paragraph("Recognizing the role of cities in the New Urban Agenda,", "PP") == []
    assert check_paragraph("Deeply concerned by the pace of urbanization,", "PP") == []
    assert check_paragraph("*Aware* that data can serve residents (SDG 11.3),", "PP") == []
    assert check_paragraph("Recommends that cities publish open data;", "OP") == []
    assert check_paragraph("Also calls upon Member States to act;", "OP") == []
    assert check_paragraph("Encourages cities to report on target 11.a.", "OP", last=True) == []
    assert check_paragraph("We recommend that cities publish open data;", "OP") == []


def test_a_preambular_paragraph_that_opens_with_a_verb_and_ends_with_a_semicolon():
    text = "Recommends that cities publish open data;"
    findings = check_paragraph(text, "PP")
    assert codes(findings) == ["pp_opening", "pp_ending"]
    assert text[findings[0].start:findings[0].end] == "Recommends"
    assert "participle" in findings[0].message
    assert findings[1].message == "A preambular paragraph ends with a comma."


def test_an_operative_paragraph_that_opens_with_a_noun_and_the_last_without_a_full_stop():
    text = "Cities should publish open data;"
    assert codes(check_paragraph(text, "OP")) == ["op_opening"]
    last = check_paragraph("Recommends that cities publish open data;", "OP", last=True)
    assert [f.message for f in last] == ["The last operative paragraph ends with a full stop."]


def test_the_ending_is_read_before_footnote_texts():
    text = "Recommends open data;[^1]\n\n[^1]: See the U4SSC report."
    assert check_paragraph(text, "OP") == []


def test_unbalanced_brackets_are_pointed_at():
    text = "Recommends [that cities (all of them publish open data;"
    finding, = [f for f in check_paragraph(text, "OP") if f.code == "brackets"]
    assert text[finding.start] == "["
    assert "not closed" in finding.message
    stray = "Recommends that cities publish] open data;"
    finding, = [f for f in check_paragraph(stray, "OP") if f.code == "brackets"]
    assert stray[finding.start] == "]"


def test_references_to_targets_and_paragraphs_that_do_not_exist():
    text = ("Recommends progress on SDG 11.8, target 11.c and Goal 18, "
            "as in paragraph 180 of the New Urban Agenda and New Urban Agenda, paragraphs 13 to 15;")
    findings = [f for f in check_paragraph(text, "OP") if f.code in ("sdg", "nua")]
    assert [text[f.start:f.end] for f in findings] == ["SDG 11.8", "Goal 18", "paragraph 180 of the New Urban Agenda"]
    assert findings[0].message == "SDG target 11.8 does not exist."


def test_the_meeting_terminology_list():
    terms = parse_terminology("Habitat III = Habitat 3, Habitat-III\nsmart sustainable city = smart city\n\nbad line")
    assert terms == {"Habitat III": ["Habitat 3", "Habitat-III"], "smart sustainable city": ["smart city"]}
    text = "Recalling Habitat 3 and the smart city agenda,"
    habitat, city = check_paragraph(text, "PP", terminology=terms)
    assert habitat.message == "The meeting writes “Habitat III”, not “Habitat 3”."
    assert text[habitat.start:habitat.end] == "Habitat 3"
    assert text[city.start:city.end] == "smart city"
    assert [f.code for f in check_paragraph("Recalling smart sustainable city plans,", "PP", terminology=terms)] == []


def test_every_sdg_target_exists_and_there_are_169():
    targets = [(goal, str(n)) for goal, (numbered, _) in editorial.SDG_TARGETS.items() for n in range(1, numbered + 1)]
    targets += [(goal, chr(ord("a") + n)) for goal, (_, lettered) in editorial.SDG_TARGETS.items() for n in range(lettered)]
    assert len(targets) == 169
    assert all(editorial.sdg_target_exists(goal, target) for goal, target in targets)
    assert not editorial.sdg_target_exists(17, "a")


@given(st.text(max_size=300), st.sampled_from(["PP", "OP"]), st.booleans())
def test_any_text_gets_advice_inside_it_and_never_an_error(text, kind, last):
    for finding in check_paragraph(text, kind, last=last):
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.message
