"""Amendments: proposed new text for a clause, decided by a rapporteur, merged like any edit.

Each gets a number when proposed (1, 2, … per document) that never changes: pages, exports,
events and notifications all call it by that number.
"""
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from drafting.domain import limits, procedure
from drafting.domain.errors import Conflict, Forbidden, NotFound, ValidationError, WrongPhase
from drafting.domain.vocabulary import ROLE_RANK, AmendmentStatus, Phase, Role
from drafting.extensions import db
from drafting.models import Amendment, AmendmentVote, Clause, ClauseRevision, Document, utcnow
from drafting.services import events, notifications
from drafting.services.documents import paragraph_name, require_read_document
from drafting.services.permissions import require_role, role_in
from drafting.services.votes import parse_vote

# A suggestion made while drafting is decided while drafting too.
DECIDING_PHASES = (Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION)


def get_amendment(actor, amendment_id):
    amendment = db.session.get(Amendment, amendment_id) if isinstance(amendment_id, int) else None
    if amendment is None:
        raise NotFound(f"No amendment with id {amendment_id}.")
    require_read_document(actor, amendment.clause.document)
    return amendment


def of_clause(clause):
    return db.session.execute(
        db.select(Amendment).where(Amendment.clause_id == clause.id).order_by(Amendment.id)
    ).scalars().all()


def open_by_clause(document):
    """{clause_id: number of open amendments} for the document."""
    return dict(db.session.execute(
        db.select(Amendment.clause_id, db.func.count(Amendment.id)).join(Clause)
        .where(Clause.document_id == document.id, Amendment.status == AmendmentStatus.OPEN.value)
        .group_by(Amendment.clause_id)
    ).all())


def _payload(amendment):
    return {"amendment_id": amendment.id, "number": amendment.number, "clause_id": amendment.clause_id,
            "status": amendment.status, "paragraph": paragraph_name(amendment.clause),
            "base_revision_id": amendment.base_revision_id, "text": amendment.text,
            "rationale": amendment.rationale, "author_id": amendment.author_id}


def propose(actor, clause, base_revision_id, text, rationale):
    """An expert proposes amended text for the clause, against the revision they read."""
    role = require_role(actor, clause.document.meeting, Role.OBSERVER)
    if role == Role.OBSERVER:
        raise Forbidden("Observers follow the drafting but do not propose amendments.")
    if not procedure.may_propose_amendment(clause.document.phase, role):
        raise WrongPhase(procedure.amendment_refusal(clause.document.phase))
    from drafting.services import clauses

    clauses.require_text_may_change(clause)
    base_revision_id = limits.identifier(base_revision_id, "base_revision_id")
    base = db.session.get(ClauseRevision, base_revision_id)
    if base is None or base.clause_id != clause.id:
        raise ValidationError(f"Revision {base_revision_id} is not a revision of this clause.",
                              field="base_revision_id")
    if base.id != clause.head_revision_id:
        # A suggestion is read against the text it changes: one written on an older text would
        # show others' later changes as undone. The client rebases it (the merge proposal) first.
        head = clause.head
        raise Conflict(
            f"The clause changed while you wrote your suggestion (it is now at revision {head.number}"
            f"{' by ' + head.author.name if head.author else ''}). Your text is kept: check it against "
            "the current text and propose it again.",
            details={"head_revision_id": head.id, "head_number": head.number, "head_text": head.text})
    text = limits.clause_text(text, "Amended text")
    rationale = limits.text(rationale, "Rationale", limits.RATIONALE)
    if text == base.text:
        raise ValidationError("The amended text is the same as the clause: change something.", field="text")
    amendment = Amendment(clause_id=clause.id, base_revision_id=base.id, text=text, rationale=rationale,
                          author_id=actor.id, number=_next_number(clause.document))
    db.session.add(amendment)
    db.session.flush()
    events.append(clause.document, "amendment.proposed", actor, _payload(amendment))
    return amendment


def _next_number(document):
    """The document's next amendment number: the counter row's update lock keeps numbers unique."""
    number = db.session.execute(
        update(Document).where(Document.id == document.id)
        .values(last_amendment_number=Document.last_amendment_number + 1)
        .returning(Document.last_amendment_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(document, "last_amendment_number", number)
    return number


def name(amendment):
    """What the amendment is called everywhere: "Amendment 3", its number given when proposed."""
    return f"Amendment {amendment.number}" if amendment.number else f"Amendment (id {amendment.id})"


def _require_open(amendment):
    if amendment.status != AmendmentStatus.OPEN:
        raise Conflict(f"This amendment was {amendment.status} already.")


def _require_deliberation(amendment):
    """Amendments are voted on and withdrawn until the silence procedure starts, never after adoption."""
    phase = amendment.clause.document.phase
    if not procedure.may_deliberate(phase, Role.EXPERT):
        raise WrongPhase(procedure.deliberation_refusal(phase))


def withdraw(actor, amendment):
    if actor is None or amendment.author_id != getattr(actor, "id", None):
        raise Forbidden("Only the author may withdraw an amendment.")
    _require_deliberation(amendment)
    _require_open(amendment)
    amendment.status = AmendmentStatus.WITHDRAWN.value
    amendment.decided_at = utcnow()
    db.session.flush()
    events.append(amendment.clause.document, "amendment.withdrawn", actor, _payload(amendment))
    return amendment


def _require_decider(actor, amendment):
    document = amendment.clause.document
    require_role(actor, document.meeting, Role.RAPPORTEUR)
    if document.phase not in DECIDING_PHASES:
        raise WrongPhase("Amendments are decided while drafting and in the amendments and consolidation phases.")
    _require_open(amendment)


def accept(actor, amendment, rationale=""):
    """Apply the amendment to the clause through the same merge as an edit; credit its author."""
    from drafting.services import clauses

    _require_decider(actor, amendment)
    clause = amendment.clause
    clauses.require_text_may_change(clause)
    rationale = limits.text(rationale, "Rationale", limits.RATIONALE, required=False) or amendment.rationale
    try:
        revision = clauses.merge_and_append(
            actor, clause, amendment.base_revision, amendment.text, rationale,
            author_id=amendment.author_id, amendment_id=amendment.id, accepted_by_id=actor.id)
    except Conflict as conflict:
        raise Conflict(
            "The clause changed since this amendment was proposed and the two cannot be merged "
            "automatically. Reject it with a reason, or write a compromise text on the clause.",
            details=dict(conflict.details, amendment_id=amendment.id)) from conflict
    amendment.status = AmendmentStatus.ACCEPTED.value
    _decided(actor, amendment, "")
    amendment.result_revision_id = revision.id
    db.session.flush()
    if amendment.author_id != actor.id:
        notifications.notify(amendment.author_id, notifications.AMENDMENT_DECISION,
                             f"{actor.name} accepted your {name(amendment).lower()} to {paragraph_name(clause)}; "
                             f"the clause is now at revision "
                             f"{revision.number}.", url=f"/clauses/{clause.id}#amendment-{amendment.id}",
                             document_id=clause.document_id, clause=clause)
    events.append(clause.document, "amendment.accepted", actor,
                  dict(_payload(amendment), revision_id=revision.id))
    return amendment


def reject(actor, amendment, reason):
    _require_decider(actor, amendment)
    reason = limits.text(reason, "Reason", limits.RATIONALE)
    amendment.status = AmendmentStatus.REJECTED.value
    _decided(actor, amendment, reason)
    db.session.flush()
    if amendment.author_id != actor.id:
        notifications.notify(amendment.author_id, notifications.AMENDMENT_DECISION,
                             f"{actor.name} rejected your {name(amendment).lower()} to "
                             f"{paragraph_name(amendment.clause)}: {reason}",
                             url=f"/clauses/{amendment.clause_id}#amendment-{amendment.id}",
                             document_id=amendment.clause.document_id, clause=amendment.clause)
    events.append(amendment.clause.document, "amendment.rejected", actor,
                  dict(_payload(amendment), reason=reason))
    return amendment


def _decided(actor, amendment, reason):
    amendment.decided_by_id = actor.id
    amendment.decided_at = utcnow()
    amendment.decision_reason = reason


def vote(actor, amendment, position, reason=""):
    """A member's view on an open amendment: the same four positions as on clauses."""
    role = require_role(actor, amendment.clause.document.meeting, Role.OBSERVER)
    if role == Role.OBSERVER:
        raise Forbidden("Observers follow the drafting but do not vote.")
    _require_deliberation(amendment)
    _require_open(amendment)
    position, reason = parse_vote(position, reason)
    ballot = db.session.execute(
        db.select(AmendmentVote).filter_by(amendment_id=amendment.id, user_id=actor.id)).scalar_one_or_none()
    if ballot is None:
        ballot = AmendmentVote(amendment_id=amendment.id, user_id=actor.id)
        db.session.add(ballot)
    ballot.position, ballot.reason = position.value, reason
    db.session.flush()
    events.append(amendment.clause.document, "amendment.voted", actor,
                  {"amendment_id": amendment.id, "clause_id": amendment.clause_id, "counts": counts(amendment)})
    return ballot


def counts(amendment):
    rows = db.session.execute(
        db.select(AmendmentVote.position, db.func.count()).where(AmendmentVote.amendment_id == amendment.id)
        .group_by(AmendmentVote.position)).all()
    result = {"agree": 0, "abstain": 0, "disagree": 0, "block": 0}
    result.update({position: n for position, n in rows})
    return result


def may_decide(actor, amendment):
    role = role_in(actor, amendment.clause.document.meeting)
    return (role is not None and ROLE_RANK[role] >= ROLE_RANK[Role.RAPPORTEUR]
            and amendment.status == AmendmentStatus.OPEN
            and amendment.clause.document.phase in DECIDING_PHASES)
