"""Accounts: creating users, signing in, passwords and personal API tokens."""
import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from drafting.domain import characters, limits
from drafting.domain.errors import Conflict, NotFound, ValidationError
from drafting.domain.vocabulary import StakeholderGroup
from drafting.extensions import db
from drafting.models import ApiToken, Membership, User, utcnow
from drafting.services import sessions
from drafting.services.permissions import get_or_404, require_admin

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A hash to compare against when the account does not exist, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a real password")


def normalise_email(value):
    email = limits.text(value, "Email", limits.EMAIL).lower()
    if not EMAIL.match(email):
        raise ValidationError("Email must look like name@example.org.", field="email")
    return email


def check_password(value, email=""):
    if not isinstance(value, str):
        raise ValidationError("Password must be text.", field="password")
    problem = characters.password_problem(value, email)
    if problem:
        raise ValidationError(problem, field="password")
    if len(value) > limits.PASSWORD_MAX:
        raise ValidationError(f"Password must have at most {limits.PASSWORD_MAX} characters.",
                              field="password")
    return value


def display_name(value):
    """A person's name as shown to others: no invisible or direction-changing characters."""
    name = characters.display_name(limits.text(value, "Name", limits.NAME))
    problem = characters.display_name_problem(name)
    if problem:
        raise ValidationError(problem, field="name")
    return name


def name_clash(user_id, name, meeting_ids):
    """The member of one of these meetings (not user_id) whose name reads as `name`, or None."""
    if not meeting_ids:
        return None
    key = characters.name_key(name)
    others = db.session.execute(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.meeting_id.in_(meeting_ids), User.id != (user_id or 0))
    ).scalars().unique()
    return next((other for other in others if characters.name_key(other.name) == key), None)


def require_unique_name(user_id, name, meeting_ids):
    """Names are unique within a meeting, so that a mention or a vote names one person."""
    if name_clash(user_id, name, meeting_ids) is not None:
        raise Conflict(f"Someone in your meeting is already called “{name}”: add an initial or your "
                       "organisation to tell you apart.", field="name")


def parse_profile(name, organisation, stakeholder_group):
    name = display_name(name)
    organisation = limits.text(organisation, "Organisation", limits.NAME, required=False)
    group = None
    if stakeholder_group:
        group = StakeholderGroup.parse(stakeholder_group, "Stakeholder group").value
    return name, organisation, group


def find_by_email(email):
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()


def create_user(email, name, password, organisation="", stakeholder_group=None, is_admin=False):
    """A new account. Raises Conflict when the email is taken."""
    email = normalise_email(email)
    name, organisation, group = parse_profile(name, organisation, stakeholder_group)
    check_password(password, email)
    if find_by_email(email) is not None:
        raise Conflict(f"An account for {email} exists already.", field="email")
    user = User(email=email, name=name, organisation=organisation, stakeholder_group=group,
                password_hash=generate_password_hash(password), is_admin=is_admin)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email, password):
    """The user for these credentials, or None."""
    if not isinstance(email, str) or not isinstance(password, str):
        return None
    user = find_by_email(email.strip().lower())
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def change_password(user, current, new):
    """A new password; every session of the account ends (the caller signs this browser in again)."""
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationError("The current password is not right.", field="current_password")
    check_password(new, user.email)
    user.password_hash = generate_password_hash(new)
    sessions.end_all_sessions(user)
    db.session.flush()


def update_profile(user, name, organisation, stakeholder_group):
    name, organisation, group = parse_profile(name, organisation, stakeholder_group)
    meeting_ids = [m.meeting_id for m in db.session.execute(
        db.select(Membership).filter_by(user_id=user.id)).scalars()]
    require_unique_name(user.id, name, meeting_ids)
    user.name, user.organisation, user.stakeholder_group = name, organisation, group
    db.session.flush()


def _hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_LIFETIMES = (None, 30, 90, 365)  # days; None: until revoked


def issue_token(user, label="", expires_in_days=None):
    """A new personal API token for /api/v1; only its hash is kept, so this is the one time it is seen."""
    if expires_in_days not in (None, ""):
        expires_in_days = limits.whole_number(expires_in_days, "expires_in_days", minimum=1, maximum=3650)
    token = "drt_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash_token(token),
                            label=limits.text(label, "Label", limits.NAME, required=False),
                            expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None))
    db.session.flush()
    return token


def token_for(token):
    """The (ApiToken, User) this token opens, or None: unknown, expired, or its account disabled."""
    if not isinstance(token, str) or not token.startswith("drt_") or len(token) > 100:
        return None
    row = db.session.execute(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _hash_token(token))
    ).first()
    if row is None:
        return None
    api_token, user = row
    if (api_token.expires_at is not None and api_token.expires_at <= utcnow()) or not user.is_active:
        return None
    return api_token, user


def user_for_token(token):
    """The User whose token this is, or None."""
    found = token_for(token)
    return None if found is None else found[1]


def tokens_of(user):
    return db.session.execute(
        db.select(ApiToken).filter_by(user_id=user.id).order_by(ApiToken.created_at)
    ).scalars().all()


def revoke_token(user, token_id):
    api_token = db.session.get(ApiToken, token_id)
    if api_token is None or api_token.user_id != user.id:
        raise NotFound("No such token.")
    sessions.withdraw(user.id, token_id=api_token.id)
    db.session.delete(api_token)
    db.session.flush()


def new_secret():
    return secrets.token_urlsafe(24)


def hash_secret(secret):
    return _hash_token(secret)


def all_users():
    return db.session.execute(db.select(User).order_by(User.name)).scalars().all()


def set_admin(actor, user_id, is_admin):
    """Grant or withdraw site administration; the last administrator cannot withdraw it."""
    require_admin(actor)
    user = get_or_404(User, user_id, "account")
    if not is_admin and user.is_admin:
        admins = db.session.execute(db.select(db.func.count(User.id)).filter_by(is_admin=True)).scalar()
        if admins <= 1:
            raise Conflict("The site needs an administrator: make someone else administrator first.")
    user.is_admin = is_admin
    db.session.flush()
    return user
