"""Anchored comments: capturing the quoted words and finding them again after the text changes.

A comment quotes words of a clause, with a little context on either side. When the clause
text changes the quote is looked for again: exactly (context decides between repeats), else
with diff-match-patch's fuzzy match near where the words used to be. A fuzzy find is accepted
only when the words found nearly equal the quote, so a comment is never attached to other
words; when the words are gone the comment is "on an earlier version".
"""
import re
from dataclasses import dataclass

import nh3
from diff_match_patch import diff_match_patch
from markupsafe import Markup

from drafting.domain.errors import ValidationError
from drafting.domain.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, render_markdown

CONTEXT = 32          # characters of prefix and suffix kept with a quote
QUOTE_LIMIT = 1_000   # characters a quote may have
SIMILARITY = 0.8      # the words found must be at least this similar to the quote
ANCHORED = "anchored"
EARLIER_VERSION = "earlier_version"


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str
    suffix: str
    start: int  # where the quote began in the text it was taken from


@dataclass(frozen=True)
class Location:
    state: str          # ANCHORED or EARLIER_VERSION
    start: int | None = None
    end: int | None = None

    @property
    def anchored(self):
        return self.state == ANCHORED


def _matcher():
    dmp = diff_match_patch()
    # 0.0 would demand a perfect match and 1.0 accept anything; 0.35 lets a few typos through
    # and the similarity check below has the last word.
    dmp.Match_Threshold = 0.35
    # How far from the expected place a match may be before its score suffers: a clause is
    # at most 20,000 characters, and the expected place comes from the diff, so it is close.
    dmp.Match_Distance = 2_000
    return dmp


def capture(text, quote, start=None):
    """The anchor for `quote` in `text`; `start` (where the person selected) decides between repeats."""
    if not isinstance(quote, str) or not quote.strip():
        raise ValidationError("The quoted text must not be empty.", field="quote")
    if len(quote) > QUOTE_LIMIT:
        raise ValidationError(f"A quote may have at most {QUOTE_LIMIT:,} characters; comment on "
                              "the whole clause instead.", field="quote")
    if start is not None and (isinstance(start, bool) or not isinstance(start, int) or start < 0):
        raise ValidationError("quote_start must be a whole number ≥ 0.", field="quote_start")
    occurrences = _occurrences(text, quote)
    if not occurrences:
        raise ValidationError("The quoted words are not in the current text of the clause. "
                              "Reload the clause and select them again.", field="quote")
    if start is None:
        start = occurrences[0]
    elif start not in occurrences:
        start = min(occurrences, key=lambda at: abs(at - start))
    end = start + len(quote)
    return Anchor(quote=quote, prefix=text[max(0, start - CONTEXT):start],
                  suffix=text[end:end + CONTEXT], start=start)


def locate(anchor, text, original=None):
    """Where the anchor's words are in `text` now; `original` is the text the quote was taken from."""
    if original == text and text[anchor.start:anchor.start + len(anchor.quote)] == anchor.quote:
        return Location(ANCHORED, anchor.start, anchor.start + len(anchor.quote))
    dmp = _matcher()
    expected = anchor.start
    if original is not None:
        expected = dmp.diff_xIndex(dmp.diff_main(original, text, False), anchor.start)
    occurrences = _occurrences(text, anchor.quote)
    if occurrences:
        start = max(occurrences, key=lambda at: (_context_score(anchor, text, at), -abs(at - expected)))
        return Location(ANCHORED, start, start + len(anchor.quote))
    found = _fuzzy(dmp, anchor.quote, text, min(max(expected, 0), len(text)))
    if found is None:
        return Location(EARLIER_VERSION)
    return Location(ANCHORED, *found)


def _occurrences(text, quote):
    found, at = [], text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _context_score(anchor, text, at):
    """How many characters of the remembered context surround this occurrence."""
    before = text[max(0, at - CONTEXT):at]
    after = text[at + len(anchor.quote):at + len(anchor.quote) + CONTEXT]
    score = 0
    for a, b in zip(reversed(anchor.prefix), reversed(before)):
        if a != b:
            break
        score += 1
    for a, b in zip(anchor.suffix, after):
        if a != b:
            break
        score += 1
    return score


def _fuzzy(dmp, quote, text, expected):
    """(start, end) of words in text nearly equal to quote near `expected`, or None."""
    bits = dmp.Match_MaxBits
    if len(quote) <= bits:
        start = dmp.match_main(text, quote, expected)
        if start == -1:
            return None
    else:
        # Bitap matches at most Match_MaxBits characters: find the quote's head, then its tail.
        start = dmp.match_main(text, quote[:bits], expected)
        if start == -1:
            return None
        tail = dmp.match_main(text, quote[-bits:], start + len(quote) - bits)
        if tail == -1 or tail <= start:
            return None
    return _best_span(dmp, quote, text, start)


def _best_span(dmp, quote, text, start):
    """The span near `start` that the quote aligns with, if it is similar enough to the quote."""
    slack = max(3, len(quote) // 5)
    offset = max(0, start - 3)
    window = text[offset:start + len(quote) + slack]
    diffs = dmp.diff_main(quote, window, False)
    # Text of the window outside the quote shows as insertions at either end: trim them.
    while diffs and diffs[0][0] == dmp.DIFF_INSERT:
        offset += len(diffs.pop(0)[1])
    begin = offset
    while diffs and diffs[-1][0] == dmp.DIFF_INSERT:
        diffs.pop()
    end = begin + sum(len(t) for op, t in diffs if op != dmp.DIFF_DELETE)
    if end <= begin:
        return None
    distance = dmp.diff_levenshtein(diffs)
    if 1 - distance / max(len(quote), end - begin) < SIMILARITY:
        return None
    return begin, end


_OPEN, _CLOSE, _FIRST = "\ue000", "\ue001", 0xE100


def marked_html(text, spans, markers=None):
    """The clause's Markdown rendered with each anchored span wrapped in <mark>.

    spans: (start, end, comment_ids); markers: {comment_id: the clause's stable marker number}. Overlapping spans are joined. Markers are private-use
    characters placed in the text before rendering, so the Markdown is rendered (and
    sanitised) once, by render_markdown, and only the markers become tags.
    """
    clean = re.sub("[\ue000-\uf8ff]", "\ufffd", text)
    joined = []
    for start, end, ids in sorted((s, e, list(i)) for s, e, i in spans if 0 <= s < e <= len(text)):
        if joined and start < joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
            joined[-1][2].extend(ids)
        else:
            joined.append([start, end, ids])
    for index, (start, end, _ids) in reversed(list(enumerate(joined))):
        clean = clean[:start] + _OPEN + chr(_FIRST + index) + clean[start:end] + _CLOSE + chr(_FIRST + index) + clean[end:]
    html = str(render_markdown(clean))

    def opening(match):
        ids = joined[ord(match.group(1)) - _FIRST][2]
        return f'<mark class="anchor" title="Comment{"s" if len(ids) > 1 else ""} on these words">'

    def closing(match):
        ids = joined[ord(match.group(1)) - _FIRST][2]
        refs = "".join(f'<a href="#comment-{i}">{n}</a>' for n, i in _numbered(ids, markers or {}))
        return f'</mark><sup class="anchor-ref">{refs}</sup>'

    html = re.sub(_OPEN + "([\ue100-\uf8ff])", opening, html)
    html = re.sub(_CLOSE + "([\ue100-\uf8ff])", closing, html)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS | {"mark"},
                            attributes=dict(ALLOWED_ATTRIBUTES, mark={"class", "title"}, sup={"class"}),
                            url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow"))


def _numbered(ids, markers):
    return [(f"[{marker}]", i) for marker, i in sorted((markers.get(i, i), i) for i in set(ids))]
