"""Meetings, members, roles and invitations."""
from collections import Counter
from datetime import date

from drafting.domain import limits, procedure
from drafting.domain.errors import Conflict, NotFound, ValidationError
from drafting.domain.vocabulary import ROLE_RANK, Role, StakeholderGroup
from drafting.extensions import db
from drafting.models import Invitation, Meeting, Membership, User, utcnow
from drafting.services import accounts, invitations, sessions
from drafting.services.permissions import (
    forget_roles, require_admin, require_read_meeting, require_role, role_in,
)

INVITATION_DAYS = invitations.INVITATION_DAYS


def _iso_date(value):
    value = limits.text(value, "Date", 10, required=False)
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValidationError("Date must be written YYYY-MM-DD.", field="starts_on")
    return value


def create_meeting(actor, title, subtitle="", venue="", starts_on="", description="", time_zone="UTC"):
    require_admin(actor)
    meeting = Meeting(
        title=limits.text(title, "Title", limits.TITLE),
        subtitle=limits.text(subtitle, "Subtitle", limits.TITLE, required=False),
        venue=limits.text(venue, "Venue", limits.NAME, required=False),
        starts_on=_iso_date(starts_on),
        description=limits.text(description, "Description", limits.COMMENT, required=False),
        time_zone=procedure.valid_time_zone(time_zone),
        created_by_id=actor.id,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def set_settings(actor, meeting, observers_follow_drafts=None, time_zone=None):
    """The chair's meeting settings: whether observers follow the drafts, and the meeting's time zone."""
    require_role(actor, meeting, Role.CHAIR)
    if observers_follow_drafts is not None:
        meeting.observers_follow_drafts = limits.flag(observers_follow_drafts, "observers_follow_drafts")
    if time_zone is not None:
        meeting.time_zone = procedure.valid_time_zone(time_zone)
    db.session.flush()
    forget_roles()
    return meeting


def visible_meetings(actor):
    if actor is None or not actor.is_authenticated:
        return []
    query = db.select(Meeting).order_by(Meeting.starts_on.desc(), Meeting.id.desc())
    if not actor.is_admin:
        query = query.join(Membership).where(Membership.user_id == actor.id)
    return db.session.execute(query).scalars().all()


def get_meeting(actor, meeting_id):
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"No meeting with id {meeting_id}.")
    require_read_meeting(actor, meeting)
    return meeting


def members(meeting):
    """Members from the chair down to observers, by name within a role."""
    rows = db.session.execute(
        db.select(Membership).join(User).where(Membership.meeting_id == meeting.id).order_by(User.name)
    ).scalars().all()
    return sorted(rows, key=lambda m: -ROLE_RANK[Role(m.role)])


def participation(meeting):
    """Members counted by stakeholder group, in the vocabulary's order, unknown last."""
    counts = Counter(m.user.stakeholder_group for m in members(meeting) if m.role != Role.OBSERVER)
    rows = [(g.label, counts.get(g.value, 0)) for g in StakeholderGroup]
    if counts.get(None):
        rows.append(("Not stated", counts[None]))
    return rows


def invite(actor, meeting, email, role):
    """Add a member: an existing account joins at once, an unknown email gets an invitation by mail.

    Returns (membership, None) or (invitation, secret); the secret is shown once, to pass on.
    """
    return invitations.invite(actor, meeting, email, role)


def pending_invitations(meeting):
    return invitations.pending_invitations(meeting)


def invitation_for(secret):
    """The open invitation behind a link, or NotFound saying why it cannot be used."""
    if not isinstance(secret, str) or len(secret) > 100:
        raise NotFound("This invitation link is not valid.")
    invitation = db.session.execute(
        db.select(Invitation).filter_by(token_hash=accounts.hash_secret(secret))
    ).scalar_one_or_none()
    if invitation is None or invitation.revoked_at is not None:
        raise NotFound("This invitation link is not valid.")
    if invitation.accepted_at is not None:
        raise NotFound("This invitation has been used already. Sign in instead.")
    if invitation.expires_at <= utcnow():
        raise NotFound("This invitation has expired. Ask the chair for a new one.")
    return invitation


def accept_invitation(secret, name, password, organisation="", stakeholder_group=None):
    """Create the account behind an invitation and add it to the meeting; the link is then spent."""
    invitation = invitation_for(secret)
    accounts.require_unique_name(None, accounts.display_name(name), [invitation.meeting_id])
    user = accounts.create_user(invitation.email, name, password, organisation, stakeholder_group)
    db.session.add(Membership(meeting_id=invitation.meeting_id, user_id=user.id, role=invitation.role))
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    forget_roles()
    return user, invitation.meeting


def revoke_invitation(actor, meeting, invitation_id):
    invitations.revoke(actor, meeting, invitation_id)


def _membership(meeting, membership_id):
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.meeting_id != meeting.id:
        raise NotFound("No such member in this meeting.")
    return membership


def _chairs(meeting):
    return [m for m in members(meeting) if m.role == Role.CHAIR]


def change_role(actor, meeting, membership_id, role):
    require_role(actor, meeting, Role.CHAIR)
    membership = _membership(meeting, membership_id)
    role = Role.parse(role, "Role")
    if membership.role == Role.CHAIR and role != Role.CHAIR and len(_chairs(meeting)) == 1:
        raise Conflict("A meeting needs a chair: make someone else chair first.")
    membership.role = role.value
    if role == Role.OBSERVER and not meeting.observers_follow_drafts:
        sessions.withdraw(membership.user_id, meeting_id=meeting.id)
    db.session.flush()
    forget_roles()
    return membership


def remove_member(actor, meeting, membership_id):
    require_role(actor, meeting, Role.CHAIR)
    membership = _membership(meeting, membership_id)
    if membership.role == Role.CHAIR and len(_chairs(meeting)) == 1:
        raise Conflict("A meeting needs a chair: make someone else chair first.")
    sessions.withdraw(membership.user_id, meeting_id=meeting.id)  # their live feed of it ends too
    db.session.delete(membership)
    db.session.flush()
    forget_roles()


def my_role(actor, meeting):
    return role_in(actor, meeting)
