"""The chair declares a clause's status; the revision and the tally at that moment are recorded with it."""
from drafting.domain import clause_state, limits, procedure
from drafting.domain.errors import Conflict, ValidationError, WrongPhase
from drafting.domain.vocabulary import DeclarationKind, Role
from drafting.extensions import db
from drafting.models import Declaration
from drafting.services import events
from drafting.services.documents import paragraph_name
from drafting.services.permissions import require_role
from drafting.services.votes import tally_of

REOPENED = DeclarationKind.REOPENED.value
DECLARABLE = tuple(DeclarationKind.values())
LABELS = {kind.value: kind.label for kind in DeclarationKind}


def declare(actor, clause, status, reason=""):
    """Declare the clause bracketed, agreed ad ref or agreed, or reopen it (with a reason).

    The declaration records the revision it was made on and the tally; agreed text is frozen from
    then on until the chair reopens it.
    """
    from drafting.services.clauses import agreed_revision, lock

    require_role(actor, clause.document.meeting, Role.CHAIR)
    lock(clause)
    if not procedure.may_deliberate(clause.document.phase, Role.CHAIR):
        # Under the silence procedure and after adoption the text, brackets included, is settled.
        raise WrongPhase(procedure.deliberation_refusal(clause.document.phase))
    kind = DeclarationKind.parse(status, "status")
    reason = limits.text(reason, "Reason", limits.RATIONALE, required=False)
    if kind == DeclarationKind.REOPENED and not reason:
        raise ValidationError("Reopening an agreed clause needs a reason: say why, for the record.",
                              field="reason")
    agreed = agreed_revision(clause) if clause_state.is_frozen(clause.status) else None
    refusal = clause_state.declaration_refusal(clause.status, kind, agreed.number if agreed else None)
    if refusal:
        raise Conflict(refusal, field="status")
    return record(actor, clause, kind, reason)


def record(actor, clause, kind, reason=""):
    """Write the declaration, its event and the clause's new status (callers have checked the rules,
    with the clause locked: clauses.lock)."""
    kind = DeclarationKind(kind)
    tally = tally_of(clause)
    before = clause.status
    clause.status = clause_state.status_after(kind).value
    declaration = Declaration(clause_id=clause.id, status=kind.value, revision_id=clause.head_revision_id,
                              tally=tally.as_dict(reveal=True), reason=reason, declared_by_id=actor.id if actor else None)
    db.session.add(declaration)
    db.session.flush()
    revision = clause.head
    events.append(clause.document, "clause.declared", actor, {
                      "clause_id": clause.id, "declared": kind.value, "from": before, "status": clause.status,
                      "revision_id": clause.head_revision_id, "revision_number": revision.number if revision else None,
                      "reason": reason, "tally": tally.as_dict(), "paragraph": paragraph_name(clause)})
    return declaration


def of_clause(clause):
    return db.session.execute(
        db.select(Declaration).where(Declaration.clause_id == clause.id).order_by(Declaration.id.desc())
    ).scalars().all()


def label(kind):
    """What a person reads for a declaration kind (reopened included, which is no clause status)."""
    try:
        return DeclarationKind(kind).label
    except ValueError:
        raise ValidationError(f"Unknown declaration {kind!r}.")
