"""The chair declares a clause's status; the tally at that moment is recorded with it."""
from drafting.domain import procedure
from drafting.domain.errors import Conflict, ValidationError, WrongPhase
from drafting.domain.vocabulary import ClauseStatus, Role
from drafting.extensions import db
from drafting.models import Declaration
from drafting.services import events
from drafting.services.permissions import require_role
from drafting.services.votes import tally_of

REOPENED = "reopened"
DECLARABLE = (ClauseStatus.BRACKETED.value, ClauseStatus.AGREED_AD_REF.value, ClauseStatus.AGREED.value, REOPENED)
LABELS = {"bracketed": "Bracketed", "agreed_ad_ref": "Agreed ad ref", "agreed": "Agreed", REOPENED: "Reopened"}


def declare(actor, clause, status):
    """Set the clause's status (reopened puts it back to proposed) and record the tally."""
    require_role(actor, clause.document.meeting, Role.CHAIR)
    if not procedure.may_deliberate(clause.document.phase, Role.CHAIR):
        # Under the silence procedure and after adoption the text, brackets included, is settled.
        raise WrongPhase(procedure.deliberation_refusal(clause.document.phase))
    if status not in DECLARABLE:
        raise ValidationError(f"status must be one of: {', '.join(DECLARABLE)}.", field="status")
    if clause.status in (ClauseStatus.WITHDRAWN, ClauseStatus.MERGED):
        raise Conflict(f"This clause was {clause.status}: there is nothing to declare.")
    if status == REOPENED and clause.status == ClauseStatus.PROPOSED:
        raise Conflict("This clause is open already.")
    counted = tally_of(clause).as_dict(reveal=True)
    before = clause.status
    clause.status = ClauseStatus.PROPOSED.value if status == REOPENED else status
    declaration = Declaration(clause_id=clause.id, status=status, revision_id=clause.head_revision_id,
                              tally=counted, declared_by_id=actor.id)
    db.session.add(declaration)
    db.session.flush()
    events.append(clause.document, "clause.declared", actor, {
        "clause_id": clause.id, "declared": status, "from": before, "status": clause.status,
        "revision_id": clause.head_revision_id, "tally": tally_of(clause).as_dict()})
    return declaration


def of_clause(clause):
    return db.session.execute(
        db.select(Declaration).where(Declaration.clause_id == clause.id).order_by(Declaration.id.desc())
    ).scalars().all()
