"""Three-way merge of concurrent edits to one clause: disjoint changes merge, overlapping ones conflict.

diff-match-patch's patch_apply is a fuzzy patcher that reports success while silently dropping
one side of a same-word conflict, so it is not used here. Both edits are expressed as
replacements in the base text's coordinates, overlaps are found there, and only then is
anything applied.
"""
from dataclasses import dataclass, field

from drafting.domain.diffing import raw_diff

# How a conflict is marked in the proposed text: readable to a person, unlikely in real text.
CONFLICT_OPEN = "[[theirs: "
CONFLICT_SEPARATOR = " || mine: "
CONFLICT_CLOSE = "]]"


@dataclass(frozen=True)
class Edit:
    """Replace base[start:end] with text (an insertion when start == end)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ConflictRegion:
    """A stretch of the base that both sides changed differently."""

    start: int
    end: int
    base: str
    theirs: str
    mine: str


@dataclass
class Merge:
    """The merged text, or, when there are conflicts, a proposed text with each conflict marked."""

    text: str
    conflicts: list = field(default_factory=list)

    @property
    def clean(self):
        return not self.conflicts


def edits(base, text):
    """The replacements that turn base into text, in base coordinates, in order, never touching."""
    found = []
    position = 0
    for op, chunk in raw_diff(base, text):
        if op == 0:
            position += len(chunk)
            continue
        end = position + len(chunk) if op == -1 else position
        inserted = chunk if op == 1 else ""
        if found and found[-1].end == position:
            last = found.pop()
            found.append(Edit(last.start, end, last.text + inserted))
        else:
            found.append(Edit(position, end, inserted))
        position = end
    return found


def _touch(start, end, other_start, other_end):
    """Two stretches overlap or meet: no unchanged base character lies between them."""
    return start <= other_end and other_start <= end


def _apply(base, start, end, changes):
    """base[start:end] with the given edits (all inside it) applied."""
    pieces, position = [], start
    for edit in changes:
        pieces.append(base[position:edit.start])
        pieces.append(edit.text)
        position = edit.end
    pieces.append(base[position:end])
    return "".join(pieces)


def _clusters(theirs, mine):
    """Group both sides' edits into runs that touch one another, in base order."""
    tagged = sorted([(e, "theirs") for e in theirs] + [(e, "mine") for e in mine],
                    key=lambda pair: (pair[0].start, pair[0].end))
    clusters = []
    for edit, side in tagged:
        if clusters and _touch(clusters[-1]["start"], clusters[-1]["end"], edit.start, edit.end):
            cluster = clusters[-1]
            cluster["end"] = max(cluster["end"], edit.end)
        else:
            cluster = {"start": edit.start, "end": edit.end, "theirs": [], "mine": []}
            clusters.append(cluster)
        cluster[side].append(edit)
    return clusters


def merge(base, theirs, mine):
    """Merge `mine` (written against base) into `theirs` (what base became meanwhile)."""
    if theirs == mine or base == mine:
        return Merge(theirs)
    if base == theirs:
        return Merge(mine)
    pieces, conflicts, position = [], [], 0
    for cluster in _clusters(edits(base, theirs), edits(base, mine)):
        start, end = cluster["start"], cluster["end"]
        pieces.append(base[position:start])
        their_text = _apply(base, start, end, cluster["theirs"])
        my_text = _apply(base, start, end, cluster["mine"])
        if not cluster["mine"] or their_text == my_text:
            pieces.append(their_text)
        elif not cluster["theirs"]:
            pieces.append(my_text)
        else:
            conflicts.append(ConflictRegion(start, end, base[start:end], their_text, my_text))
            pieces.append(f"{CONFLICT_OPEN}{their_text}{CONFLICT_SEPARATOR}{my_text}{CONFLICT_CLOSE}")
        position = end
    pieces.append(base[position:])
    return Merge("".join(pieces), conflicts)


def has_conflict_marks(text):
    """Whether a text still carries a conflict marked by merge()."""
    opening = text.find(CONFLICT_OPEN)
    return opening >= 0 and text.find(CONFLICT_SEPARATOR, opening) >= 0
