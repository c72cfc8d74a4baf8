"""Password reset and change of address by mail: signed links, each good for one use.

A reset link is signed over the account's current password hash, so it stops working once the
password changes (single use) and after an hour; an address link is signed over the current
address. Time comes from the module-level `clock`, which tests replace.
"""
import hashlib
from datetime import timezone

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from drafting.domain.errors import Conflict, NotFound, ValidationError
from drafting.extensions import db
from drafting.models import User, utcnow
from drafting.services import accounts, mail, sessions

clock = utcnow
RESET_SECONDS = 3600
EMAIL_CHANGE_HOURS = 24


class _Signer(TimestampSigner):
    def get_timestamp(self):
        return int(clock().replace(tzinfo=timezone.utc).timestamp())


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt, signer=_Signer)


def _fingerprint(user, *parts):
    return hashlib.sha256("\0".join([str(user.id), user.email, *parts]).encode()).hexdigest()[:20]


# --- password reset -----------------------------------------------------------------------------

def request_reset(email, send=True):
    """Mail a reset link when the address has an account; the caller answers the same either way."""
    try:
        email = accounts.normalise_email(email)
    except ValidationError:
        return None
    user = accounts.find_by_email(email)
    if user is None or not send:
        return None
    token = _serializer("password-reset").dumps([user.id, _fingerprint(user, user.password_hash)])
    mail.queue("password_reset", user.email, user.name, "Reset your Drafting Room password", "password_reset",
               user_id=user.id, url=mail.link("recovery.reset", token=token))
    db.session.flush()
    return user


def user_for_reset(token):
    """The account a reset link is for, or NotFound saying why it cannot be used."""
    try:
        user_id, fingerprint = _serializer("password-reset").loads(token, max_age=RESET_SECONDS)
    except SignatureExpired:
        raise NotFound("This reset link has expired (links work for one hour). Ask for a new one.") from None
    except (BadSignature, ValueError, TypeError):
        raise NotFound("This reset link is not valid. Ask for a new one.") from None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or fingerprint != _fingerprint(user, user.password_hash):
        raise NotFound("This reset link has been used already. Ask for a new one if you need it.")
    return user


def reset_password(token, password):
    """Set a new password through a reset link; the link is then spent."""
    user = user_for_reset(token)
    accounts.check_password(password)
    user.password_hash = generate_password_hash(password)
    sessions.end_all_sessions(user)
    mail.queue("password_changed", user.email, user.name, "Your Drafting Room password was reset",
               "password_changed", user_id=user.id,
               url=mail.link("recovery.forgot"), signed_out=True)
    db.session.flush()
    return user


# --- change of address --------------------------------------------------------------------------

def request_email_change(user, new_email, password):
    """Mail a confirmation link to the new address; nothing changes until it is followed."""
    if not check_password_hash(user.password_hash, password or ""):
        raise ValidationError("The password is not right.", field="password")
    new_email = accounts.normalise_email(new_email)
    if new_email == user.email:
        raise ValidationError("This is the address of your account already.", field="email")
    if accounts.find_by_email(new_email) is not None:
        # Said the same as for a free address: whether an address has an account is not told.
        return new_email
    token = _serializer("email-change").dumps([user.id, new_email, _fingerprint(user)])
    mail.queue("email_change", new_email, user.name, "Confirm the new address of your Drafting Room account",
               "email_change", user_id=user.id, old_email=user.email,
               hours=EMAIL_CHANGE_HOURS, url=mail.link("recovery.confirm_email", token=token))
    db.session.flush()
    return new_email


def email_change_for(token):
    """(user, new address) of a confirmation link, or NotFound saying why it cannot be used."""
    try:
        user_id, new_email, fingerprint = _serializer("email-change").loads(
            token, max_age=EMAIL_CHANGE_HOURS * 3600)
    except SignatureExpired:
        raise NotFound("This confirmation link has expired. Ask for the change again.") from None
    except (BadSignature, ValueError, TypeError):
        raise NotFound("This confirmation link is not valid.") from None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or fingerprint != _fingerprint(user):
        raise NotFound("This confirmation link has been used already, or the address changed since.")
    return user, new_email


def confirm_email_change(token):
    user, new_email = email_change_for(token)
    if accounts.find_by_email(new_email) is not None:
        raise Conflict(f"An account for {new_email} exists already; the address was not changed.")
    old_email = user.email
    user.email = new_email
    db.session.flush()
    mail.queue("email_changed", old_email, user.name, "The address of your Drafting Room account changed",
               "email_changed", user_id=user.id, new_email=new_email)
    return user
