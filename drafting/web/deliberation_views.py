"""What the clause and document pages show of the deliberation: panels' context, track changes."""
import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from drafting.domain import anchors, clause_state, procedure
from drafting.domain.vocabulary import ROLE_RANK, AmendmentStatus, Role
from drafting.services import amendments, clauses, comments, declarations, suggestions, votes
from drafting.services.permissions import role_in

WORD = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def track_changes(old, new):
    """A word-level diff as [(op, text)] with op -1 deleted, 0 kept, 1 inserted."""
    dmp = diff_match_patch()
    vocabulary = {}

    def encode(text):
        return "".join(vocabulary.setdefault(word, chr(0x100 + len(vocabulary))) for word in WORD.findall(text))

    a, b = encode(old), encode(new)
    words = {code: word for word, code in vocabulary.items()}
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return [(op, "".join(words[c] for c in codes)) for op, codes in diffs]


@dataclass
class AmendmentView:
    amendment: object
    changes: list
    threads: list
    counts: dict
    may_decide: bool
    is_author: bool
    outdated: bool     # proposed against a revision that is no longer the clause's head


def clause_context(actor, clause, errors=None, form=None):
    """Everything the deliberation panels of a clause page need."""
    document = clause.document
    role = role_in(actor, document.meeting)
    all_threads = comments.threads(clause, all_of_clause=True)
    clause_threads = [t for t in all_threads if t.comment.amendment_id is None]
    spans = [(t.location.start, t.location.end, [t.comment.id]) for t in clause_threads
             if t.location is not None and t.location.anchored and t.comment.deleted_at is None
             and t.comment.resolved_at is None]
    head = clause.head
    mine = votes.my_vote(actor, clause)
    clause_votes = votes.votes_on(clause)
    counted = votes.tally_of(clause, clause_votes)
    views = []
    for amendment in amendments.of_clause(clause):
        views.append(AmendmentView(
            amendment=amendment,
            changes=track_changes(amendment.base_revision.text, amendment.text),
            threads=[t for t in all_threads if t.comment.amendment_id == amendment.id],
            counts=amendments.counts(amendment),
            may_decide=amendments.may_decide(actor, amendment),
            is_author=actor is not None and amendment.author_id == getattr(actor, "id", None),
            outdated=amendment.base_revision_id != clause.head_revision_id,
        ))
    member = role is not None and role != Role.OBSERVER
    vote_refusal = clause_state.vote_refusal(clause.status, document.phase, role) if member else None
    return {
        "marked_html": anchors.marked_html(head.text, spans, {t.comment.id: t.comment.marker for t in clause_threads})
        if spans else head.html,
        "threads": clause_threads,
        "tally": counted.as_dict(reveal=votes.reveal(actor, document)),
        "ballots": votes.ballots_shown(actor, clause, clause_votes),
        "my_vote": mine,
        "my_vote_stale": mine is not None and mine.revision_id != clause.head_revision_id,
        "vote_refusal": vote_refusal.message if vote_refusal else None,
        "may_vote": member and vote_refusal is None,
        "may_comment": member and procedure.may_deliberate(document.phase, role),
        "may_propose": member and procedure.may_propose_amendment(document.phase, role)
        and clause_state.text_change_refusal(clause.status) is None,
        "text_refusal": clauses.text_change_refusal(clause),
        "may_moderate": role is not None and ROLE_RANK[role] >= ROLE_RANK[Role.RAPPORTEUR],
        "may_declare": role == Role.CHAIR and procedure.may_deliberate(document.phase, role),
        "amendments": views,
        "open_amendments": [v for v in views if v.amendment.status == AmendmentStatus.OPEN],
        "closed_amendments": [v for v in views if v.amendment.status != AmendmentStatus.OPEN],
        "declarations": declarations.of_clause(clause),
        "declarable": [k for k in declarations.DECLARABLE
                       if clause_state.declaration_refusal(clause.status, k) is None],
        "declaration_labels": declarations.LABELS,
        "errors": errors or {},
        "form": form or {},
    }


def document_context(actor, document):
    """Tallies and open-thread counts for the clause rows of the document page."""
    shown = votes.reveal(actor, document)
    offered = suggestions.offers(actor, document)
    return {
        "tallies": {cid: t.as_dict(reveal=shown) for cid, t in votes.tallies(document).items()},
        "open_threads": comments.open_threads_by_clause(document),
        # the panel under each paragraph: open suggestions, and what the reader may do there
        "suggestions": suggestions.open_by_clause(actor, document),
        "offers": offered,
        "my_votes": suggestions.my_clause_votes(actor, document),
        "may_suggest_on": lambda clause: suggestions.may_suggest_on(clause, offered),
        "may_vote_on": lambda clause: suggestions.may_vote_on(clause, offered),
    }
