"""Paragraph numbering by UN convention: operative paragraphs 1., 2., …; late insertions bis, ter."""
from dataclasses import dataclass

LATIN = ["bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies"]


@dataclass(frozen=True)
class Paragraph:
    kind: str  # "PP" or "OP"
    numbered: bool = True  # withdrawn and merged paragraphs take no number
    late: bool = False  # inserted after a version snapshot: numbered bis/ter until renumbering
    part: str = ""  # "" the body, "Annex", "Annex II" …: each part is numbered from 1
    number_from: int | None = None  # this paragraph goes on from a source's number (an excerpt)


def latin_suffix(n):
    """1 -> bis, 2 -> ter, …; past the Latin list, a plain count."""
    return LATIN[n - 1] if n <= len(LATIN) else f"({n + 1})"


def number_paragraphs(paragraphs):
    """Return a label for each paragraph in document order: "1", "2", "2 bis", or "" (preambular).

    An annex numbers its paragraphs on its own, from 1.
    """
    labels = []
    number = 0
    late_run = 0
    part = None
    for paragraph in paragraphs:
        if paragraph.part != part:
            part, number, late_run = paragraph.part, 0, 0
        if paragraph.kind != "OP" or not paragraph.numbered:
            labels.append("")
            continue
        if paragraph.late and number > 0:
            late_run += 1
            labels.append(f"{number} {latin_suffix(late_run)}")
            continue
        if paragraph.late:
            # A late paragraph before any numbered one still needs a stable label.
            late_run += 1
            labels.append(f"0 {latin_suffix(late_run)}")
            continue
        number = paragraph.number_from - 1 if paragraph.number_from else number
        number += 1
        late_run = 0
        labels.append(str(number))
    return labels


def alternative_numbers(clauses):
    """Alt numbers for (id, alternative_of_id) pairs in document order: {id: 1, 2, …}.

    A clause with alternatives is Alt 1; its alternatives follow as Alt 2, Alt 3 … Clauses
    without alternatives get no entry.
    """
    counts = {}
    labels = {}
    for clause_id, main_id in clauses:
        if main_id is not None:
            counts[main_id] = counts.get(main_id, 1) + 1
            labels[clause_id] = counts[main_id]
    for main_id in counts:
        labels[main_id] = 1
    return labels
