from drafting.domain.numbering import Paragraph, latin_suffix, number_paragraphs


def test_operative_paragraphs_are_numbered_and_preambular_ones_are_not():
    labels = number_paragraphs([Paragraph("PP"), Paragraph("PP"), Paragraph("OP"), Paragraph("OP")])
    assert labels == ["", "", "1", "2"]


def test_withdrawn_paragraphs_take_no_number_and_do_not_shift_the_count():
    labels = number_paragraphs([Paragraph("OP"), Paragraph("OP", numbered=False), Paragraph("OP")])
    assert labels == ["1", "", "2"]


def test_late_insertions_are_bis_ter_after_the_paragraph_they_follow():
    labels = number_paragraphs([
        Paragraph("OP"), Paragraph("OP", late=True), Paragraph("OP", late=True), Paragraph("OP"),
        Paragraph("OP", late=True),
    ])
    assert labels == ["1", "1 bis", "1 ter", "2", "2 bis"]


def test_a_late_paragraph_before_any_numbered_one_still_gets_a_distinct_label():
    labels = number_paragraphs([Paragraph("OP", late=True), Paragraph("OP")])
    assert labels == ["0 bis", "1"]


def test_latin_suffixes_run_out_into_a_plain_count():
    assert [latin_suffix(n) for n in (1, 2, 3)] == ["bis", "ter", "quater"]
    assert latin_suffix(12) == "(13)"
