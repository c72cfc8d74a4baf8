"""Accounts: creating users, signing in, passwords and personal API tokens."""
import hashlib
import re
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from drafting.domain import limits
from drafting.domain.errors import Conflict, NotFound, ValidationError
from drafting.domain.vocabulary import StakeholderGroup
from drafting.extensions import db
from drafting.models import ApiToken, User
from drafting.services.permissions import get_or_404, require_admin

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A hash to compare against when the account does not exist, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a real password")


def normalise_email(value):
    email = limits.text(value, "Email", limits.EMAIL).lower()
    if not EMAIL.match(email):
        raise ValidationError("Email must look like name@example.org.", field="email")
    return email


def check_password(value):
    if not isinstance(value, str):
        raise ValidationError("Password must be text.", field="password")
    if len(value) < limits.PASSWORD_MIN:
        raise ValidationError(f"Password must have at least {limits.PASSWORD_MIN} characters.",
                              field="password")
    if len(value) > limits.PASSWORD_MAX:
        raise ValidationError(f"Password must have at most {limits.PASSWORD_MAX} characters.",
                              field="password")
    return value


def parse_profile(name, organisation, stakeholder_group):
    name = limits.text(name, "Name", limits.NAME)
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
    check_password(password)
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
    return user if check_password_hash(user.password_hash, password) else None


def change_password(user, current, new):
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationError("The current password is not right.", field="current_password")
    check_password(new)
    user.password_hash = generate_password_hash(new)
    db.session.flush()


def update_profile(user, name, organisation, stakeholder_group):
    user.name, user.organisation, user.stakeholder_group = parse_profile(name, organisation, stakeholder_group)
    db.session.flush()


def _hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user, label=""):
    """A new personal API token; only its hash is kept, so this is the one time it is seen."""
    token = "drt_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash_token(token),
                            label=limits.text(label, "Label", limits.NAME, required=False)))
    db.session.flush()
    return token


def user_for_token(token):
    """The User whose token this is, or None."""
    if not isinstance(token, str) or not token.startswith("drt_") or len(token) > 100:
        return None
    return db.session.execute(
        db.select(User).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _hash_token(token))).scalar_one_or_none()


def tokens_of(user):
    return db.session.execute(
        db.select(ApiToken).filter_by(user_id=user.id).order_by(ApiToken.created_at)
    ).scalars().all()


def revoke_token(user, token_id):
    api_token = db.session.get(ApiToken, token_id)
    if api_token is None or api_token.user_id != user.id:
        raise NotFound("No such token.")
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
