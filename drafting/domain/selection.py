"""Consolidation by selection: words chosen in a rendered paragraph, found again in the clause's
Markdown source, and what bracketing, splitting or rewording them makes of the text.

The same functions give the preview and the change itself, so what a rapporteur confirms is
what is saved.
"""
import re
from dataclasses import dataclass

from drafting.domain.diffing import track_changes
from drafting.domain.errors import ValidationError
from drafting.domain.merge import merge

# What Markdown may put between the characters a reader sees: emphasis and code markers.
_MARKUP = r"[*_`]*"
QUOTE_LIMIT = 5_000
CONTEXT = 24


@dataclass(frozen=True)
class Span:
    """Where the selected words are in the source text: text[start:end]."""

    start: int
    end: int


def _pattern(quote):
    """A pattern for the words as rendered: any run of white space in them matches any run of white
    space (and line breaks) in the source, and emphasis markers may stand between characters."""
    parts = []
    for word in quote.split():
        parts.append(_MARKUP.join(re.escape(ch) for ch in word))
    return re.compile((_MARKUP + r"\s+" + _MARKUP).join(parts))


def occurrences(text, quote):
    """Every span of `text` that shows as `quote` once rendered, overlapping ones included."""
    pattern = _pattern(quote)
    found, at = [], 0
    while (match := pattern.search(text, at)) is not None:
        found.append(Span(match.start(), match.end()))
        at = match.start() + 1
    return found


def candidates(text, spans):
    """The spans with a little text either side, for asking which one was meant."""
    return [{"start": s.start, "end": s.end, "before": text[max(0, s.start - CONTEXT):s.start],
             "words": text[s.start:s.end], "after": text[s.end:s.end + CONTEXT]} for s in spans]


def locate(text, quote=None, occurrence=None, start=None, end=None):
    """The span of the source text a selection stands for.

    Either `start`/`end` (offsets in the source, 0 ≤ start < end ≤ len) or the `quote` as the page
    showed it, with `occurrence` (0-based: which of the quote's occurrences in the rendered text
    was selected) to decide between repeats. Ambiguous or missing words are refused with the
    candidates, so the page can ask.
    """
    if quote in (None, ""):
        start, end = _offset(start, "start", len(text)), _offset(end, "end", len(text))
        if start is None or end is None:
            raise ValidationError("Select some words of the paragraph first: a quote or a start and an end.",
                                  field="quote")
        if not 0 <= start < end <= len(text):
            raise ValidationError(f"The selection must lie inside the text: 0 ≤ start < end ≤ {len(text)}.",
                                  field="start", details={"length": len(text)})
        return Span(start, end)
    if not isinstance(quote, str) or not quote.split():
        raise ValidationError("The selected words must be text.", field="quote")
    if len(quote) > QUOTE_LIMIT:
        raise ValidationError(f"Select at most {QUOTE_LIMIT:,} characters.", field="quote")
    found = occurrences(text, quote)
    if not found:
        raise ValidationError("The selected words are not in the current text of the paragraph: "
                              "reload it and select them again.", field="quote")
    index = _offset(occurrence, "occurrence", 10**6)
    if len(found) == 1 and index in (None, 0):
        return found[0]
    if index is None or index >= len(found):
        # The page counted other occurrences than the source holds (or none): ask, never guess.
        raise ValidationError(f"These words occur {len(found)} times in the paragraph: say which one.",
                              field="occurrence", details={"candidates": candidates(text, found)})
    return found[index]


def _offset(value, field, maximum):
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value) < 10:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise ValidationError(f"{field} must be a whole number from 0 to {maximum}.", field=field,
                              details={"maximum": maximum})
    return value


def trimmed(text, span):
    """The span without white space at its ends: brackets hug the words."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError("Select some words, not only white space.", field="quote")
    return Span(start, end)


def bracketed(text, span):
    """The text with the span in square brackets."""
    span = trimmed(text, span)
    return text[:span.start] + "[" + text[span.start:span.end] + "]" + text[span.end:]


def split_parts(text, at):
    """The two paragraphs a split at `at` makes: the head keeps its place, the tail follows it."""
    head, tail = text[:at].rstrip(), text[at:].strip()
    if not head or not tail:
        raise ValidationError("Both parts of a split need some text: split inside the paragraph, "
                              "not at its start or end.", field="at")
    return head, tail


def reworded(text, span, words):
    """The text with the span replaced by other words (an alternative wording of a phrase)."""
    span = trimmed(text, span)
    if not isinstance(words, str) or not words.strip():
        raise ValidationError("Write the alternative wording for the selected words.", field="text")
    return text[:span.start] + words.strip() + text[span.end:]


def combined(head_text, suggestions):
    """A first compromise: each suggestion's change (base text, its text) merged onto the head in turn.

    Returns (text, conflicts): where two suggestions change the same words the text carries the
    merge's conflict marks for the rapporteur to resolve.
    """
    text, conflicts = head_text, 0
    for base, proposed in suggestions:
        result = merge(base, text, proposed)
        text, conflicts = result.text, conflicts + len(result.conflicts)
    return text, conflicts


def changes(before, after):
    """Track changes as [op, text] pairs (-1 deleted, 0 kept, 1 inserted), as the pages show them."""
    codes = {"equal": 0, "insert": 1, "delete": -1}
    return [[codes[span.op.value], span.text] for span in track_changes(before, after)]
