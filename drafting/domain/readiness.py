"""What stands in the way of adopting a document: one pure function over plain facts.

The server refuses to start the silence procedure or to adopt while anything blocks, and the chair's
checklist shows the same list with a link to each paragraph.
"""
import re
from dataclasses import dataclass

from drafting.domain.clause_state import FROZEN
from drafting.domain.vocabulary import ClauseStatus, ConsensusState, Word

# A bracketed span left in the text; footnote references ([^1]) and links ([words](url)) are not.
BRACKETED_SPAN = re.compile(r"\[(?!\^)[^\]]*\](?!\()")
LATE_NUMBER = re.compile(r"\b(bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)\b")


class Blocker(Word):
    BRACKETED = "bracketed"
    BRACKETS_IN_TEXT = "brackets_in_text"
    ALTERNATIVES = "alternatives"
    OPEN_AMENDMENTS = "open_amendments"
    UNDECLARED = "undeclared"
    BLOCKED = "blocked"
    LATE_NUMBERING = "late_numbering"
    ONLY_STALE_VOTES = "only_stale_votes"


BLOCKER_LABELS = {
    Blocker.BRACKETED: "Declared bracketed",
    Blocker.BRACKETS_IN_TEXT: "Square brackets left in the text",
    Blocker.ALTERNATIVES: "Alternatives not chosen",
    Blocker.OPEN_AMENDMENTS: "Open amendments",
    Blocker.UNDECLARED: "Never declared",
    Blocker.BLOCKED: "A block stands",
    Blocker.LATE_NUMBERING: "Numbered bis / ter",
    Blocker.ONLY_STALE_VOTES: "Only stale votes",
}


@dataclass(frozen=True)
class Paragraph:
    """What readiness needs to know of one live (not withdrawn, not merged) paragraph."""

    clause_id: int
    name: str  # "paragraph 3 bis", "preambular paragraph 2, Alt 1"
    status: str
    text: str
    number: str = ""
    in_alternatives: bool = False  # an Alt 1 / Alt 2 group not yet resolved
    open_amendments: int = 0
    consensus: str = ConsensusState.NO_VOTES.value
    current_votes: int = 0
    stale_votes: int = 0
    blocks: int = 0  # current block votes: a formal objection stands, whatever the quorum


@dataclass(frozen=True)
class Obstacle:
    kind: Blocker
    clause_id: int | None
    paragraph: str
    message: str

    def as_dict(self):
        return {"kind": self.kind.value, "clause_id": self.clause_id, "paragraph": self.paragraph,
                "message": self.message}


def adoption_blockers(paragraphs):
    """Every obstacle to adoption, paragraph by paragraph in document order; [] when ready."""
    found = []
    for p in paragraphs:
        status = ClauseStatus(p.status)

        def add(kind, message):
            found.append(Obstacle(kind, p.clause_id, p.name, f"{p.name[0].upper()}{p.name[1:]}: {message}"))

        if status == ClauseStatus.BRACKETED:
            add(Blocker.BRACKETED, "declared bracketed; the chair declares it agreed once the room agrees.")
        elif status == ClauseStatus.PROPOSED:
            add(Blocker.UNDECLARED, "never declared; the chair declares it agreed (or withdraws it).")
        if BRACKETED_SPAN.search(p.text or ""):
            add(Blocker.BRACKETS_IN_TEXT, "square brackets are left in the text; settle the bracketed words.")
        if p.in_alternatives:
            add(Blocker.ALTERNATIVES, "alternatives are not chosen; keep one of them.")
        if p.open_amendments:
            add(Blocker.OPEN_AMENDMENTS, f"{p.open_amendments} open amendment"
                f"{'s' if p.open_amendments != 1 else ''}; accept, reject or incorporate "
                f"{'them' if p.open_amendments != 1 else 'it'}.")
        if p.blocks or ConsensusState(p.consensus) == ConsensusState.BLOCKED:
            add(Blocker.BLOCKED, "a member blocks it; resolve the objection or reopen the text.")
        if LATE_NUMBER.search(p.number or ""):
            add(Blocker.LATE_NUMBERING, f"numbered {p.number}; the chair renumbers the document first.")
        if p.stale_votes and not p.current_votes and status not in FROZEN:
            add(Blocker.ONLY_STALE_VOTES, "its only votes were cast on an earlier text; ask voters to confirm.")
    return found


def adoption_refusal(obstacles):
    """The sentence a refusal opens with, or None when nothing blocks."""
    if not obstacles:
        return None
    count = len(obstacles)
    return (f"The document is not ready for adoption: {count} thing{'s' if count != 1 else ''} "
            "still stand in the way. " + " ".join(o.message for o in obstacles[:5])
            + (f" … and {count - 5} more (see the chair's checklist)." if count > 5 else ""))
