"""Suggestions side by side: where in its base text each one changes words, and which overlap."""
from drafting.domain.diffing import raw_diff


def changed_ranges(base, text):
    """The (start, end) spans of `base` that `text` replaces; an insertion is an empty span where it goes."""
    ranges, at = [], 0
    for op, part in raw_diff(base, text):
        if op == 0:
            at += len(part)
        elif op == -1:
            ranges.append((at, at + len(part)))
            at += len(part)
        else:
            ranges.append((at, at))
    merged = []
    for start, end in ranges:  # a replacement is a deletion and an insertion at one place
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _touch(a, b):
    (s1, e1), (s2, e2) = a, b
    if s1 == e1:  # an insertion: at the same place as the other's, or inside what the other replaces
        return s2 <= s1 <= e2
    if s2 == e2:
        return s1 <= s2 <= e1
    return s1 < e2 and s2 < e1


def overlapping(suggestions):
    """{key: [keys of the others it overlaps]} for (key, base_key, base_text, text) on one clause.

    Two suggestions overlap when they change the same words of the same base text (or insert at the
    same place); suggestions on different revisions are compared only when they share the base.
    """
    spans = {key: (base_key, changed_ranges(base, text)) for key, base_key, base, text in suggestions}
    result = {key: [] for key in spans}
    keys = list(spans)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if spans[a][0] != spans[b][0]:
                continue
            if any(_touch(x, y) for x in spans[a][1] for y in spans[b][1]):
                result[a].append(b)
                result[b].append(a)
    return result
