"""The procedure: phases, the silence procedure, adoption, publication, reservations.

Time comes from the module-level `clock`, which tests replace so that no test sleeps.
"""
from datetime import timedelta

from drafting.domain import limits, procedure
from drafting.domain.errors import ValidationError, WrongPhase
from drafting.domain.vocabulary import Phase, Role, Visibility
from drafting.extensions import db
from drafting.models import Clause, Document, Membership, Notification, Objection, Reservation, utcnow
from drafting.services import events
from drafting.services.permissions import require_role

clock = utcnow
# The wire words (the column holds 20 characters) and what a reader sees.
RESERVATION_KINDS = {"reservation": "Reservation", "interpretive": "Interpretive statement"}


def now():
    return clock()


def set_phase(actor, document, phase):
    """Move the document to a phase; the chair only, in order (see domain.procedure)."""
    require_role(actor, document.meeting, Role.CHAIR)
    target = Phase.parse(phase, "Phase")
    settle(document)
    if target == document.phase:
        return document
    if target == Phase.FINAL_READING and document.phase == Phase.CONSOLIDATION:
        return start_silence(actor, document)
    if target == Phase.ADOPTED and document.phase != Phase.PUBLISHED:
        return adopt(actor, document)
    if target == Phase.PUBLISHED:
        return publish(actor, document, document.visibility)
    _refuse_transition(document, target)
    _move(actor, document, target)
    return document


def _refuse_transition(document, target):
    over = procedure.silence_over(document.phase, document.silence_deadline, now())
    refusal = procedure.transition_refusal(document.phase, target, silence_over=over)
    if refusal:
        raise WrongPhase(refusal, field="phase")


def _move(actor, document, target, **payload):
    before = document.phase
    document.phase = Phase(target).value
    if before == Phase.FINAL_READING and target != Phase.ADOPTED:
        document.silence_deadline = None
    db.session.flush()
    events.append(document, "document.phase", actor, {"from": before, "to": document.phase, **payload})


def start_silence(actor, document, hours=None):
    """Put the text under the silence procedure until a deadline (default 72 hours from now)."""
    require_role(actor, document.meeting, Role.CHAIR)
    hours = procedure.silence_hours(hours)
    _refuse_transition(document, Phase.FINAL_READING)
    if document.phase != Phase.CONSOLIDATION:
        raise WrongPhase("The silence procedure starts from consolidation.", field="phase")
    started = now()
    document.silence_started_at = started
    document.silence_deadline = started + timedelta(hours=hours)
    _move(actor, document, Phase.FINAL_READING, deadline=_iso(document.silence_deadline), hours=hours)
    events.append(document, "silence.started", actor,
                  {"started_at": _iso(started), "deadline": _iso(document.silence_deadline)})
    return document


def object_to(actor, document, text):
    """Break silence with a written objection: the document returns to consolidation."""
    role = require_role(actor, document.meeting, Role.EXPERT)
    settle(document)
    if document.phase in procedure.DONE and document.silence_deadline is not None:
        raise WrongPhase(f"The silence procedure ended at {_human(document.silence_deadline)} and the "
                         "document was adopted; objections can no longer be made.")
    if document.phase != Phase.FINAL_READING:
        raise WrongPhase("There is no silence procedure running to object to.")
    if not procedure.may_object(document.phase, role):
        raise WrongPhase(procedure.deliberation_refusal(document.phase))
    text = limits.text(text, "Objection", limits.COMMENT)
    objection = Objection(document_id=document.id, user_id=actor.id, text=text, created_at=now())
    db.session.add(objection)
    db.session.flush()
    _move(actor, document, Phase.CONSOLIDATION, objection_id=objection.id)
    events.append(document, "silence.broken", actor,
                  {"objection_id": objection.id, "text": text, "by": actor.name})
    _notify_chairs(document, actor, f"{actor.name} broke silence on “{document.title}”.")
    return objection


def settle(document):
    """Adopt a document whose silence procedure reached its deadline; True when it did.

    Called whenever a document is read, and by `flask procedure tick`.
    """
    if not procedure.silence_over(document.phase, document.silence_deadline, now()):
        return False
    _adopt(None, document, "silence")
    db.session.info["settled"] = True
    return True


def tick():
    """Settle every silence procedure whose deadline has passed; returns the adopted documents."""
    due = db.session.execute(
        db.select(Document).where(Document.phase == Phase.FINAL_READING.value,
                                  Document.silence_deadline <= now())
    ).scalars().all()
    return [d for d in due if settle(d)]


def adopt(actor, document):
    """Adopt in session (consensus declared) from consolidation, or at the end of silence."""
    require_role(actor, document.meeting, Role.CHAIR)
    if settle(document):
        return document
    _refuse_transition(document, Phase.ADOPTED)
    if document.phase != Phase.CONSOLIDATION:
        raise WrongPhase("The chair adopts from consolidation, or the silence procedure does.",
                         field="phase")
    _adopt(actor, document, "in_session")
    return document


def _adopt(actor, document, way):
    document.adopted_at = now()
    _move(actor, document, Phase.ADOPTED, way=way)
    events.append(document, "document.adopted", actor, {"way": way, "at": _iso(document.adopted_at)})


def publish(actor, document, visibility):
    """Publish the adopted document, publicly or to members only."""
    require_role(actor, document.meeting, Role.CHAIR)
    visibility = Visibility.parse(visibility, "Visibility")
    settle(document)
    if document.phase not in (Phase.ADOPTED, Phase.PUBLISHED):
        raise WrongPhase("Only an adopted document can be published.", field="phase")
    document.visibility = visibility.value
    document.published_at = now()
    if document.phase == Phase.ADOPTED:
        _move(actor, document, Phase.PUBLISHED)
    events.append(document, "document.published", actor, {"visibility": visibility.value})
    return document


def lodge_reservation(actor, clause, text, kind="reservation"):
    """A reservation or interpretive statement on an adopted paragraph; it goes to the annex."""
    document = clause.document
    role = require_role(actor, document.meeting, Role.EXPERT)
    if not procedure.may_reserve(document.phase, role):
        raise WrongPhase("Reservations are lodged once the document has been adopted.")
    if kind not in RESERVATION_KINDS:
        raise ValidationError("Kind must be reservation or interpretive.", field="kind")
    text = limits.text(text, "Reservation", limits.COMMENT)
    reservation = Reservation(clause_id=clause.id, user_id=actor.id, kind=kind, text=text)
    db.session.add(reservation)
    db.session.flush()
    events.append(document, "reservation.lodged", actor,
                  {"reservation_id": reservation.id, "clause_id": clause.id, "kind": kind, "text": text})
    return reservation


def objections(document):
    return db.session.execute(
        db.select(Objection).filter_by(document_id=document.id).order_by(Objection.id)
    ).scalars().all()


def reservations(document):
    return db.session.execute(
        db.select(Reservation).join(Clause).where(Clause.document_id == document.id)
        .order_by(Reservation.id)
    ).scalars().all()


def _notify_chairs(document, actor, message):
    chairs = db.session.execute(
        db.select(Membership.user_id).filter_by(meeting_id=document.meeting_id, role=Role.CHAIR.value)
    ).scalars().all()
    for user_id in chairs:
        if user_id != actor.id:
            db.session.add(Notification(user_id=user_id, kind="silence.broken", message=message[:500],
                                        url=f"/documents/{document.id}/procedure", document_id=document.id))
    db.session.flush()


def _iso(value):
    return value.isoformat() + "Z" if value else None


def _human(value):
    return value.strftime("%d %B %Y, %H:%M UTC")
