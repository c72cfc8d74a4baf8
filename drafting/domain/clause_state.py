"""What a clause's status allows: the one place that says when its text is frozen, what the chair
may declare of it, and who may withdraw and restore it.

Each function returns a refusal (a sentence saying what to do) or None. Services raise it; pages
ask the same function to decide what to offer. A vote's refusals differ in kind (403 or 409), so
vote_refusal returns the error itself: services raise it, pages show its message.
"""
from drafting.domain.errors import Conflict, Forbidden, WrongPhase
from drafting.domain.vocabulary import ROLE_RANK, ClauseStatus, DeclarationKind, Phase, Role

FROZEN = (ClauseStatus.AGREED, ClauseStatus.AGREED_AD_REF)
GONE = (ClauseStatus.WITHDRAWN, ClauseStatus.MERGED)
# Declared in some way: a clause's author may withdraw it only before any of these.
DECLARED = (ClauseStatus.BRACKETED, ClauseStatus.AGREED_AD_REF, ClauseStatus.AGREED)


VOTE_OPEN = (ClauseStatus.PROPOSED, ClauseStatus.BRACKETED)
DELIBERATING = (Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION)


def vote_closed(status, phase):
    """A clause's vote is closed once it is declared agreed, gone, or the silence procedure starts."""
    return ClauseStatus(status) not in VOTE_OPEN or Phase(phase) not in DELIBERATING


def vote_refusal(status, phase, role):
    """Why a member in this role may not vote on a clause in this status and phase, as the error to
    raise (Forbidden, WrongPhase or Conflict), or None. Membership itself is the caller's to check."""
    status, phase = ClauseStatus(status), Phase(phase)
    if Role(role) == Role.OBSERVER:
        return Forbidden("Observers follow the drafting but do not vote.")
    if phase not in DELIBERATING:
        return WrongPhase(f"Votes are closed in the {phase.label.lower()} phase.")
    if status in GONE:
        return Conflict(f"This clause was {status}: there is nothing to vote on.")
    if status not in VOTE_OPEN:
        return Conflict(f"The chair declared this clause {status.label.lower()}: "
                        "its vote is closed until it is reopened.")
    return None


def is_frozen(status):
    return ClauseStatus(status) in FROZEN


def is_gone(status):
    return ClauseStatus(status) in GONE


def frozen_message(status, agreed_revision_number):
    on = f" on revision {agreed_revision_number}" if agreed_revision_number else ""
    return (f"This clause was declared {ClauseStatus(status).label.lower()}{on}: its text is frozen. "
            "The chair must reopen it, with a reason, before its text can change.")


def text_change_refusal(status, agreed_revision_number=None):
    """Why the clause's text may not change by any path (edit, amendment, compromise, split, merge,
    brackets, alternatives, import), or None."""
    status = ClauseStatus(status)
    if status in FROZEN:
        return frozen_message(status, agreed_revision_number)
    if status == ClauseStatus.WITHDRAWN:
        return "This clause was withdrawn: the chair restores it before its text can change."
    if status == ClauseStatus.MERGED:
        return "This clause was merged into another one: work on the clause that replaced it."
    return None


def status_after(kind):
    """The clause status a declaration leaves: reopening puts the clause back to proposed."""
    kind = DeclarationKind(kind)
    return ClauseStatus.PROPOSED if kind == DeclarationKind.REOPENED else ClauseStatus(kind.value)


def declaration_refusal(status, kind, agreed_revision_number=None):
    """Why the chair may not make this declaration on a clause in this status, or None.

    A frozen clause is only reopened, or confirmed (agreed ad ref → agreed) on the same text.
    """
    status, kind = ClauseStatus(status), DeclarationKind(kind)
    if status in GONE:
        return f"This clause was {status.label.lower()}: there is nothing to declare."
    if kind == DeclarationKind.REOPENED:
        if status == ClauseStatus.PROPOSED:
            return "This clause is open already: there is nothing to reopen."
        return None
    if status_after(kind) == status:
        return f"This clause is {status.label.lower()} already."
    if status in FROZEN and not (status == ClauseStatus.AGREED_AD_REF and kind == DeclarationKind.AGREED):
        return frozen_message(status, agreed_revision_number).replace(
            "before its text can change", "before declaring it otherwise")
    return None


def _rank(role):
    return ROLE_RANK[Role(role)] if role is not None else -1


def withdrawal_refusal(status, phase, role, is_author):
    """Why this person may not withdraw the clause, or None.

    Its author may before any declaration; a rapporteur or the chair at any time before the silence
    procedure; agreed text only the chair (it would otherwise leave the outcome unseen).
    """
    status, phase = ClauseStatus(status), Phase(phase)
    if status in GONE:
        return f"This clause was {status.label.lower()} already."
    if phase not in (Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION):
        return ("The text is settled once the silence procedure starts: "
                "clauses are withdrawn while drafting, in amendments or in consolidation.")
    rank = _rank(role)
    if rank >= ROLE_RANK[Role.CHAIR]:
        return None
    if status in FROZEN:
        return frozen_message(status, None).replace("before its text can change", "or withdraw it")
    if rank >= ROLE_RANK[Role.RAPPORTEUR]:
        return None
    if is_author and rank >= ROLE_RANK[Role.EXPERT]:
        if status in DECLARED:
            return ("The chair has declared this clause: only a rapporteur or the chair may "
                    "withdraw it now.")
        return None
    return "Only the clause's author (before any declaration), a rapporteur or the chair may withdraw it."


def restore_refusal(status, phase, role):
    """Why the clause may not be restored, or None: the chair restores a withdrawn clause until adoption."""
    status, phase = ClauseStatus(status), Phase(phase)
    if _rank(role) < ROLE_RANK[Role.CHAIR]:
        return "Only the chair restores a withdrawn clause."
    if status != ClauseStatus.WITHDRAWN:
        return "Only a withdrawn clause can be restored."
    if phase not in (Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION):
        return "A withdrawn clause is restored before the silence procedure starts and before adoption."
    return None
