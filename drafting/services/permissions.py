"""Who may do what: roles per meeting, read access to documents."""
from sqlalchemy import bindparam, select
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from drafting.domain.errors import Forbidden, NotFound, NotSignedIn
from drafting.domain.vocabulary import ROLE_RANK, Phase, Role, Visibility
from drafting.extensions import db
from drafting.models import Membership


_ROLE = select(Membership.__table__.c.role).where(
    Membership.__table__.c.meeting_id == bindparam("meeting_id"),
    Membership.__table__.c.user_id == bindparam("user_id"))


def role_in(user, meeting):
    """The user's role in the meeting (a site admin acts as chair), or None.

    Remembered for the rest of the transaction: one request asks several times.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.is_admin:
        return Role.CHAIR
    known = db.session.info.setdefault("roles", {})
    key = (user.id, meeting.id)
    if key not in known:
        role = db.session.execute(_ROLE, {"meeting_id": meeting.id, "user_id": user.id}).scalar_one_or_none()
        known[key] = acting_role(user, role)
    return known[key]


def acting_role(user, membership_role):
    """The role a signed-in user acts in, given their membership's role (None if not a member)."""
    if user.is_admin:
        return Role.CHAIR  # a site admin acts as chair
    return Role(membership_role) if membership_role else None


def forget_roles():
    """Called when memberships change, so the next question reads them again."""
    db.session.info.pop("roles", None)


@sa_event.listens_for(Session, "after_commit")
@sa_event.listens_for(Session, "after_rollback")
def _forget_roles_with_the_transaction(session):
    session.info.pop("roles", None)


def require_signed_in(user):
    if user is None or not getattr(user, "is_authenticated", False):
        raise NotSignedIn("Please sign in first.")


def require_admin(user):
    require_signed_in(user)
    if not user.is_admin:
        raise Forbidden("Only a site administrator may do this.")


def require_role(user, meeting, minimum):
    """The user's role if it is at least `minimum` in this meeting; Forbidden otherwise."""
    require_signed_in(user)
    role = role_in(user, meeting)
    if role is None:
        raise Forbidden("You are not a member of this meeting.")
    if ROLE_RANK[role] < ROLE_RANK[Role(minimum)]:
        raise Forbidden(f"This needs the role of {Role(minimum).value} or above; you are {role.value}.")
    return role


def is_public(document):
    return document.visibility == Visibility.PUBLIC and document.phase == Phase.PUBLISHED


def may_read_document(user, document):
    """The drafts and the deliberation (comments, votes, history, events) are for members.

    Observers read them when the meeting lets them follow the drafts, and once the document is published.
    """
    role = role_in(user, document.meeting)
    if role is None:
        return False
    if role == Role.OBSERVER:
        published = document.phase == Phase.PUBLISHED
        return published or document.meeting.observers_follow_drafts
    return True


def require_read_document(user, document):
    if not may_read_document(user, document):
        require_signed_in(user)
        raise Forbidden("You may not read this document.")


def may_read_outcome(user, document):
    """The outcome document: whoever reads the drafts, and anyone once it is published publicly."""
    return is_public(document) or may_read_document(user, document)


def require_read_outcome(user, document):
    if not may_read_outcome(user, document):
        require_signed_in(user)
        raise Forbidden("You may not read this document.")


def may_read_meeting(user, meeting):
    return role_in(user, meeting) is not None


def require_read_meeting(user, meeting):
    require_signed_in(user)
    if not may_read_meeting(user, meeting):
        raise Forbidden("You are not a member of this meeting.")


def get_or_404(model, object_id, what=None):
    obj = db.session.get(model, object_id) if isinstance(object_id, int) else None
    if obj is None:
        raise NotFound(f"No {what or model.__name__.lower()} with id {object_id}.")
    return obj
