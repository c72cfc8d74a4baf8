"""Word-level differences between texts: track changes, authorship, and version comparison."""
import bisect
import re
from dataclasses import dataclass, field
from enum import Enum

import fast_diff_match_patch

# Pathological pairs (two unrelated 20 KB texts) took 67 s unbounded; past this the diff is
# still correct, only less minimal.
DIFF_TIMEOUT = 0.5

# A word, a run of white space, or one other character: track changes never split a word.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
# Each distinct token becomes one code point from the supplementary planes, so the C++ diff
# compares words as it would compare characters.
_FIRST_CODE_POINT = 0x10000

_OP = {"=": 0, "+": 1, "-": -1}


class Op(str, Enum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


_NAMED = {0: Op.EQUAL, 1: Op.INSERT, -1: Op.DELETE}


@dataclass(frozen=True)
class Span:
    """A run of text that both texts share, that the second inserts, or that it deletes."""

    op: Op
    text: str


def _encode(before, after):
    """Both texts with each distinct token as one code point, and the table back to tokens."""
    code = {}

    def encode(text):
        chars = []
        for token in _TOKEN.findall(text):
            char = code.get(token)
            if char is None:
                char = code[token] = chr(_FIRST_CODE_POINT + len(code))
            chars.append(char)
        return "".join(chars)

    encoded_before, encoded_after = encode(before), encode(after)
    return encoded_before, encoded_after, {char: token for token, char in code.items()}


def raw_diff(before, after, semantic=True):
    """diff-match-patch tuples (-1/0/1, text), word by word, bounded in time.

    Semantically cleaned unless `semantic` is false: the cleaned diff reads better, the raw one
    keeps every shared word (authorship wants that). The cleanup runs on the encoded words, so
    it never splits a word (on characters it factors out shared letters: "annu|al").
    """
    if before == after:
        return [(0, before)] if before else []
    encoded_before, encoded_after, tokens = _encode(before, after)
    return [
        (_OP[op], "".join(map(tokens.__getitem__, chars)))
        for op, chars in fast_diff_match_patch.diff(
            encoded_before, encoded_after, timelimit=DIFF_TIMEOUT, checklines=False,
            cleanup="Semantic" if semantic else "No", counts_only=False)
        if chars
    ]


def track_changes(before, after):
    """The spans that turn `before` into `after`, as a word processor's track changes shows them."""
    return [Span(_NAMED[op], text) for op, text in raw_diff(before, after)]


def is_unchanged(spans):
    return all(span.op == Op.EQUAL for span in spans)


# --- authorship ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Authored:
    """A run of current text and the revision that introduced it."""

    text: str
    origin: object


def authorship(chain):
    """Attribute every character of the last text to the revision that wrote it.

    `chain` lists (text, origin) from the first revision to the last, each the parent of the next.
    Text that survives keeps its first origin; inserted text takes the origin of the revision
    that inserted it. A rewritten phrase belongs to its rewriter (the diff is semantically
    cleaned, so a lone shared word inside a rewrite does not keep its old origin), and white
    space alone never starts a span of its own.
    """
    spans = []
    previous = ""
    for text, origin in chain:
        spans = _carry(spans, raw_diff(previous, text), origin)
        previous = text
    return _joined(spans)


def _carry(spans, diffs, origin):
    """Walk the old spans along the diff: keep what is equal, drop what is deleted, add inserts."""
    result = []
    pending = list(reversed(spans))  # a stack of old spans, the next one on top

    def take(length):
        taken = []
        while length:
            span = pending.pop()
            if len(span.text) <= length:
                taken.append(span)
                length -= len(span.text)
            else:
                taken.append(Authored(span.text[:length], span.origin))
                pending.append(Authored(span.text[length:], span.origin))
                length = 0
        return taken

    for op, text in diffs:
        if op == 0:
            result.extend(take(len(text)))
        elif op == -1:
            take(len(text))
        else:
            result.append(Authored(text, origin))
    return result


def _joined(spans):
    joined = []
    for span in spans:
        if joined and (joined[-1].origin == span.origin or span.text.isspace()):
            joined[-1] = Authored(joined[-1].text + span.text, joined[-1].origin)
        elif span.text:
            joined.append(span)
    return joined


# --- comparing two versions of a document ------------------------------------------------


class Change(str, Enum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    RENUMBERED = "renumbered"
    CHANGED = "changed"


@dataclass(frozen=True)
class Entry:
    """A clause as it stands in one version: where it is, its number, status and text."""

    clause_id: int
    order: int
    section: str
    number: str
    status: str
    text: str
    revision_id: int | None = None


@dataclass
class Comparison:
    """One clause across two versions: the entries, what changed, and track changes of its text."""

    clause_id: int
    before: Entry | None
    after: Entry | None
    changes: list = field(default_factory=list)
    spans: list = field(default_factory=list)

    @property
    def unchanged(self):
        return not self.changes


def compare(before, after):
    """Align two versions' clauses by identity and say, for each, what happened to it.

    Rows follow the later version's order; a removed clause appears after the clause that
    preceded it in the earlier version.
    """
    old = {e.clause_id: e for e in before}
    new = {e.clause_id: e for e in after}
    kept = [e.clause_id for e in sorted(after, key=lambda e: e.order) if e.clause_id in old]
    in_place = _longest_increasing(kept, key=lambda cid: old[cid].order)
    rows = {}
    for entry in after:
        earlier = old.get(entry.clause_id)
        row = Comparison(entry.clause_id, earlier, entry)
        if earlier is None:
            row.changes.append(Change.ADDED)
            row.spans = [Span(Op.INSERT, entry.text)] if entry.text else []
        else:
            if entry.clause_id not in in_place or earlier.section != entry.section:
                row.changes.append(Change.MOVED)
            if earlier.number != entry.number:
                row.changes.append(Change.RENUMBERED)
            if earlier.text != entry.text:
                row.changes.append(Change.CHANGED)
                row.spans = track_changes(earlier.text, entry.text)
            else:
                row.spans = [Span(Op.EQUAL, entry.text)] if entry.text else []
        rows[entry.clause_id] = row
    ordered = [rows[e.clause_id] for e in sorted(after, key=lambda e: e.order)]
    for entry in sorted(before, key=lambda e: e.order, reverse=True):
        if entry.clause_id in new:
            continue
        removed = Comparison(entry.clause_id, entry, None, [Change.REMOVED],
                             [Span(Op.DELETE, entry.text)] if entry.text else [])
        ordered.insert(_removed_position(ordered, old, entry), removed)
    return ordered


def _removed_position(rows, old, entry):
    """Just after the last row whose clause came before the removed one in the earlier version."""
    position = 0
    for index, row in enumerate(rows):
        earlier = old.get(row.clause_id)
        if earlier is not None and earlier.order < entry.order:
            position = index + 1
    return position


def _longest_increasing(items, key):
    """The set of items forming a longest run whose keys increase: the clauses that stayed in place."""
    tails, tail_index, previous = [], [], [None] * len(items)
    for i, item in enumerate(items):
        k = key(item)
        at = bisect.bisect_left(tails, k)
        if at == len(tails):
            tails.append(k)
            tail_index.append(i)
        else:
            tails[at] = k
            tail_index[at] = i
        previous[i] = tail_index[at - 1] if at else None
    chosen = set()
    i = tail_index[-1] if tail_index else None
    while i is not None:
        chosen.add(items[i])
        i = previous[i]
    return chosen
