"""The procedure: phases, adoption readiness, the silence procedure, adoption, publication, reservations.

Time comes from the module-level `clock`, which tests replace so that no test sleeps. A read never
changes state: a silence procedure past its deadline is *shown* as adopted (present), and written
as adopted by `tick`, which the server's background task and `flask procedure tick` run, or by the
next write that touches the document.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from drafting.domain import clause_state, limits, procedure
from drafting.domain import readiness as readiness_rules
from drafting.domain.errors import ValidationError, WrongPhase
from drafting.domain.vocabulary import ClauseStatus, DeclarationKind, Phase, Role, Visibility
from drafting.extensions import db
from drafting.models import Clause, Document, Membership, Notification, Objection, Reservation, utcnow
from drafting.services import events
from drafting.services.permissions import require_role, role_in

clock = utcnow
# The wire words (the column holds 20 characters) and what a reader sees.
RESERVATION_KINDS = {"reservation": "Reservation", "interpretive": "Interpretive statement"}


def now():
    return clock()


# --- the effective phase: computed on read, written by a task --------------------------------------


def present(document):
    """Show a document in its effective phase without writing anything (domain.procedure.effective_phase).

    The loaded object reads as adopted at its deadline; the row is untouched, so nothing is flushed.
    """
    effective = procedure.effective_phase(document.phase, document.silence_deadline, now())
    if effective != document.phase:
        set_committed_value(document, "phase", effective.value)
        set_committed_value(document, "adopted_at", document.silence_deadline)
    return document


def settle(document):
    """Write the adoption of a document whose silence procedure reached its deadline; True when it did.

    Only writers call it (tick, and the services that change the document's procedure).
    """
    stored_phase, deadline = db.session.execute(
        select(Document.phase, Document.silence_deadline).where(Document.id == document.id)).one()
    if not procedure.silence_over(stored_phase, deadline, now()):
        return False
    set_committed_value(document, "phase", stored_phase)
    set_committed_value(document, "adopted_at", None)
    _adopt(None, document, "silence", at=deadline)
    return True


def tick():
    """Adopt every document whose silence procedure has passed its deadline; returns them."""
    due = db.session.execute(
        db.select(Document).where(Document.phase == Phase.FINAL_READING.value,
                                  Document.silence_deadline <= now())
    ).scalars().all()
    return [d for d in due if settle(d)]


# --- adoption readiness ----------------------------------------------------------------------------


def readiness(document):
    """What stands in the way of adopting the document (domain.readiness), paragraph by paragraph."""
    from drafting.services import amendments, documents, votes

    names = documents.paragraph_names(document)
    open_amendments = amendments.open_by_clause(document)
    tallies = votes.tallies(document)
    paragraphs = []
    for section in documents.outline(document):
        for row in section.clauses:
            clause = row.clause
            if clause_state.is_gone(clause.status):
                continue
            tally = tallies.get(clause.id)
            paragraphs.append(readiness_rules.Paragraph(
                clause_id=clause.id, name=names.get(clause.id, "a clause"), status=clause.status,
                text=row.revision.text if row.revision else "", number=row.number or "",
                in_alternatives=bool(row.extra.get("alt")), open_amendments=open_amendments.get(clause.id, 0),
                consensus=tally.state.value if tally else "no_votes",
                current_votes=(tally.agree + tally.abstain + tally.disagree + tally.block) if tally else 0,
                stale_votes=tally.stale if tally else 0, blocks=tally.block if tally else 0))
    return readiness_rules.adoption_blockers(paragraphs)


@dataclass(frozen=True)
class ChairChecklist:
    """The chair's adoption checklist: what stands in the way (domain.readiness obstacles) and the
    drafting checks' warnings, which never do (services.editorial.ClauseAdvice)."""

    readiness: list
    advice: list


def chair_checklist(actor, document):
    """The actor's adoption checklist for the document, or None when they may not see one
    (domain.procedure.may_see_chair_checklist: the chair, in consolidation)."""
    from drafting.services import editorial

    if not procedure.may_see_chair_checklist(document.phase, role_in(actor, document.meeting)):
        return None
    return ChairChecklist(readiness=readiness(document), advice=editorial.document_advice(document))


def require_ready(document):
    """Refuse (409, with the list) to start silence or adopt while anything blocks adoption."""
    obstacles = readiness(document)
    refusal = readiness_rules.adoption_refusal(obstacles)
    if refusal:
        raise WrongPhase(refusal, field="phase", details={"blockers": [o.as_dict() for o in obstacles]})


# --- phases ----------------------------------------------------------------------------------------


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
    if document.phase == Phase.FINAL_READING and target == Phase.CONSOLIDATION:
        return cancel_silence(actor, document, "")
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


# --- the silence procedure ---------------------------------------------------------------------------


def start_silence(actor, document, hours=None):
    """Put the text under the silence procedure until a deadline (default 72 hours from now).

    Refused, with the list, while anything stands in the way of adoption.
    """
    require_role(actor, document.meeting, Role.CHAIR)
    hours = procedure.silence_hours(hours)
    settle(document)
    _refuse_transition(document, Phase.FINAL_READING)
    if document.phase != Phase.CONSOLIDATION:
        raise WrongPhase("The silence procedure starts from consolidation.", field="phase")
    require_ready(document)
    started = now()
    document.silence_started_at = started
    document.silence_deadline = started + timedelta(hours=hours)
    _move(actor, document, Phase.FINAL_READING, deadline=_iso(document.silence_deadline), hours=hours)
    events.append(document, "silence.started", actor,
                  {"started_at": _iso(started), "deadline": _iso(document.silence_deadline), "hours": hours})
    _notify_members(document, actor, "silence.started",
                    f"The silence procedure on “{document.title}” runs until "
                    f"{deadline_words(document)}: object in writing by then, or the text is adopted.")
    return document


def _require_running(actor, document):
    require_role(actor, document.meeting, Role.CHAIR)
    if settle(document):
        raise WrongPhase("The silence procedure reached its deadline without objection: the document "
                         "is adopted.", field="phase")
    if document.phase != Phase.FINAL_READING:
        raise WrongPhase("There is no silence procedure running.", field="phase")


def extend_silence(actor, document, hours, reason=""):
    """The chair moves the deadline later by `hours`; recorded, and every member is told."""
    _require_running(actor, document)
    hours = procedure.extension_hours(hours)
    reason = limits.text(reason, "Reason", limits.RATIONALE, required=False)
    before = document.silence_deadline
    document.silence_deadline = before + timedelta(hours=hours)
    if document.silence_deadline - document.silence_started_at > timedelta(hours=procedure.SILENCE_MAX_HOURS):
        raise ValidationError(f"A silence procedure runs at most {procedure.SILENCE_MAX_HOURS} hours "
                              "from its start.", field="hours")
    db.session.flush()
    events.append(document, "silence.extended", actor, {
        "from": _iso(before), "deadline": _iso(document.silence_deadline), "hours": hours, "reason": reason,
        "deadline_words": deadline_words(document)})
    _notify_members(document, actor, "silence.extended",
                    f"{actor.name} extended the silence procedure on “{document.title}” to "
                    f"{deadline_words(document)}" + (f": {reason}" if reason else "."))
    return document


def cancel_silence(actor, document, reason=""):
    """The chair stops the silence procedure: the text returns to consolidation; every member is told."""
    _require_running(actor, document)
    reason = limits.text(reason, "Reason", limits.RATIONALE, required=False)
    events.append(document, "silence.cancelled", actor, {"reason": reason})
    _move(actor, document, Phase.CONSOLIDATION, cancelled=True)
    document.silence_started_at = None
    db.session.flush()
    _notify_members(document, actor, "silence.cancelled",
                    f"{actor.name} cancelled the silence procedure on “{document.title}”"
                    + (f": {reason}" if reason else "; the text is back in consolidation."))
    return document


def object_to(actor, document, text):
    """Break silence with a written objection: the document returns to consolidation."""
    role = require_role(actor, document.meeting, Role.EXPERT)
    if settle(document) or (document.phase in procedure.DONE and document.silence_deadline is not None):
        raise WrongPhase(f"The silence procedure ended at {deadline_words(document)} and the "
                         "document was adopted; objections can no longer be made.")
    if document.phase != Phase.FINAL_READING:
        raise WrongPhase("There is no silence procedure running to object to.")
    if not procedure.may_object(document.phase, role):
        raise WrongPhase(procedure.deliberation_refusal(document.phase))
    text = limits.text(text, "Objection", limits.COMMENT)
    objection = Objection(document_id=document.id, user_id=actor.id, text=text, created_at=now())
    db.session.add(objection)
    db.session.flush()
    # The objection is its own event, with its text; the phase change that follows names it.
    events.append(document, "silence.broken", actor,
                  {"objection_id": objection.id, "text": text, "by": actor.name})
    _move(actor, document, Phase.CONSOLIDATION, objection_id=objection.id)
    _notify_members(document, actor, "silence.broken",
                    f"{actor.name} objected to “{document.title}” and broke silence: {text}")
    return objection


# --- adoption and after ------------------------------------------------------------------------------


def adopt(actor, document):
    """Adopt in session (consensus declared) from consolidation, once nothing stands in the way."""
    require_role(actor, document.meeting, Role.CHAIR)
    if settle(document):
        return document
    _refuse_transition(document, Phase.ADOPTED)
    if document.phase != Phase.CONSOLIDATION:
        raise WrongPhase("The chair adopts from consolidation, or the silence procedure does.",
                         field="phase")
    require_ready(document)
    _adopt(actor, document, "in_session")
    return document


def _adopt(actor, document, way, at=None):
    """Adoption confirms what was agreed ad referendum: every paragraph ends agreed, its vote closed."""
    from drafting.services import declarations

    ad_ref = db.session.execute(
        db.select(Clause).where(Clause.document_id == document.id,
                                Clause.status == ClauseStatus.AGREED_AD_REF.value)).scalars().all()
    for clause in ad_ref:
        declarations.record(actor, clause, DeclarationKind.AGREED, "Confirmed by the adoption of the document.")
    document.adopted_at = at or now()
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
    settle(document)
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


def deadline_words(document):
    """The silence deadline in the meeting's time zone and in UTC."""
    return procedure.deadline_words(document.silence_deadline, document.meeting.time_zone)


def _notify_members(document, actor, kind, message):
    """Tell every member of the meeting but the one who acted."""
    members = db.session.execute(
        db.select(Membership.user_id).filter_by(meeting_id=document.meeting_id)).scalars().all()
    for user_id in members:
        if actor is None or user_id != actor.id:
            db.session.add(Notification(user_id=user_id, kind=kind[:30], message=message[:500],
                                        url=f"/documents/{document.id}/procedure", document_id=document.id))
    db.session.flush()


def _iso(value):
    return value.isoformat() + "Z" if value else None
