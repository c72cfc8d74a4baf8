"""The activity log read back: which paragraph each event named as it was numbered then, and kinds of change."""
from drafting.domain.numbering import latin_suffix

# The kinds of change the activity page filters by, each a set of event types (or "type.*" prefixes).
KINDS = {
    "text": ("Text", ("clause.created", "clause.revised", "clause.tagged")),
    "votes": ("Votes", ("vote.*", "votes.*")),
    "comments": ("Comments", ("comment.*",)),
    "amendments": ("Amendments and suggestions", ("amendment.*",)),
    "structure": ("Consolidation", ("clause.moved", "clause.split", "clause.merged", "clause.alternative_added",
                                    "clause.alternative_chosen", "clause.bracketed", "clause.compromise",
                                    "document.renumbered", "section.created")),
    "procedure": ("Procedure", ("document.*", "clause.declared", "clause.reopened", "silence.*", "reservation.*",
                                "version.*")),
}


def kind_of(event_type):
    """The kind of change an event type is, or None."""
    for kind, (_, types) in KINDS.items():
        for pattern in types:
            if pattern == event_type or (pattern.endswith(".*") and event_type.startswith(pattern[:-1])):
                return kind  # structure comes before procedure: document.renumbered is consolidation
    return None


def paragraph_name(number, kind, preambular_ordinal=None):
    if kind == "OP" and number:
        return f"paragraph {number}"
    if kind == "PP" and preambular_ordinal:
        return f"preambular paragraph {preambular_ordinal}"
    return "a preambular paragraph" if kind == "PP" else "a paragraph"


def _next_label(labels, late):
    """The number of an operative paragraph added after every other one (labels in document order)."""
    if not labels:
        return f"0 {latin_suffix(1)}" if late else "1"
    base = int(labels[-1].split()[0])
    if not late:
        return str(base + 1)
    run = sum(1 for label in labels if " " in label and label.split()[0] == str(base))
    return f"{base} {latin_suffix(run + 1)}"


class NumberingReplay:
    """Walks the log in seq order and names the paragraph each event concerns as it was then.

    Events that change other paragraphs' numbers carry the whole numbering; a clause created
    without one was added after every other paragraph (services.documents.add_clause), so its
    number follows the last one. `kinds` and `late` are the clauses' kind and bis/ter flag.
    """

    def __init__(self, kinds, late=None):
        self.kinds = kinds
        self.late = late or {}
        self.order = {}      # section id -> clause ids, in document order
        self.numbers = {}    # clause id -> number label

    def _labels(self):
        ids = [cid for ids in self.order.values() for cid in ids]
        return [self.numbers[cid] for cid in ids if cid in self.numbers]

    def see(self, event_type, payload):
        """Take one event; returns the name of the paragraph it concerns then, or None.

        A change of order names the paragraph as it was numbered before it ("moved paragraph 2"),
        a new paragraph by the number it was given.
        """
        cid = payload.get("clause_id")
        before = self.name(cid) if cid is not None and event_type != "clause.created" else None
        numbering = payload.get("numbering")
        if isinstance(numbering, dict) and "order" in numbering:
            self.order = {int(section): [int(c) for c in ids] for section, ids in numbering["order"]}
            self.numbers = {int(c): label for c, label in numbering.get("numbers", {}).items()}
        elif event_type == "clause.created" and cid is not None:
            if not any(cid in ids for ids in self.order.values()):
                if self.kinds.get(cid) == "OP":
                    self.numbers[cid] = _next_label(self._labels(), self.late.get(cid, False))
                self.order.setdefault(payload.get("section_id"), []).append(cid)
        if cid is None:
            return None
        return before or self.name(cid)

    def name(self, cid):
        kind = self.kinds.get(cid)
        ordinal = None
        if kind == "PP":
            preambular = [c for ids in self.order.values() for c in ids if self.kinds.get(c) == "PP"]
            ordinal = preambular.index(cid) + 1 if cid in preambular else None
        return paragraph_name(self.numbers.get(cid), kind, ordinal)
