"""Where a document stands: consensus and status counts, a bar per clause, what needs attention."""
from collections import Counter
from dataclasses import dataclass, field

from drafting.domain.vocabulary import ClauseStatus, ConsensusState
from drafting.models import Clause
from drafting.services import amendments, comments, documents, editorial, votes


@dataclass
class ClauseBar:
    clause: Clause
    number: str
    label: str
    tally: dict          # as the reader may see it (hidden counts are None)


@dataclass
class Summary:
    by_state: list = field(default_factory=list)      # (state, label, count)
    by_status: list = field(default_factory=list)     # (status, label, count)
    bars: list = field(default_factory=list)
    blocked: list = field(default_factory=list)       # ClauseBar
    stale: list = field(default_factory=list)         # ClauseBar with stale votes
    open_amendments: list = field(default_factory=list)   # (ClauseBar, count)
    unresolved: list = field(default_factory=list)        # (ClauseBar, count)
    advice: list = field(default_factory=list)            # (ClauseBar, findings): drafting checks, never blocking
    hidden: bool = False

    @property
    def attention_count(self):
        return len(self.blocked) + len(self.stale) + len(self.open_amendments) + len(self.unresolved)

    @property
    def advice_count(self):
        return sum(len(findings) for _, findings in self.advice)


def summary(actor, document):
    """The dashboard of a document as this reader may see it (hidden tallies stay hidden)."""
    counted = votes.tallies(document)
    shown = votes.reveal(actor, document)
    result = Summary()
    rows = [row for section in documents.outline(document) for row in section.clauses]
    preambular = 0
    for row in rows:
        if row.clause.kind == "PP":
            preambular += 1
            label = f"PP {preambular}"
        else:
            label = f"OP {row.number}" if row.number else "OP (unnumbered)"
        result.bars.append(ClauseBar(row.clause, row.number, label, counted[row.clause.id].as_dict(reveal=shown)))
    live = [b for b in result.bars if b.clause.status not in (ClauseStatus.WITHDRAWN, ClauseStatus.MERGED)]
    result.bars = live
    result.hidden = any(b.tally["hidden"] for b in live)
    states = Counter(b.tally["state"] for b in live)
    result.by_state = [(s.value, s.label, states.get(s.value, 0)) for s in ConsensusState]
    if states.get(None):
        result.by_state.append(("hidden", "Tally hidden", states[None]))
    statuses = Counter(row.clause.status for row in rows)
    result.by_status = [(s.value, s.label, statuses.get(s.value, 0)) for s in ClauseStatus]
    result.blocked = [b for b in live if b.tally["state"] == ConsensusState.BLOCKED.value]
    result.stale = [b for b in live if b.tally["stale"]]
    by_id = {b.clause.id: b for b in live}
    for clause_id, n in amendments.open_by_clause(document).items():
        if clause_id in by_id:
            result.open_amendments.append((by_id[clause_id], n))
    for clause_id, n in comments.open_threads_by_clause(document).items():
        if clause_id in by_id:
            result.unresolved.append((by_id[clause_id], n))
    for item in editorial.document_advice(document):
        if item.row.clause.id in by_id:
            result.advice.append((by_id[item.row.clause.id], item.findings))
    order = {b.clause.id: i for i, b in enumerate(live)}
    result.open_amendments.sort(key=lambda item: order[item[0].clause.id])
    result.unresolved.sort(key=lambda item: order[item[0].clause.id])
    return result

