"""Where a person is signed in, and the one place that ends their access.

A browser's session cookie names a UserSession row by a secret; the row is valid while it has not
expired, the account is not disabled and its generation is the account's current one. Ending access
(signing out, signing out everywhere, a password change, disabling an account, revoking a token,
removing a member) goes through `withdraw`, which after the commit also takes the person's live
sockets away (realtime.end_access), in every process.
"""
import hashlib
import secrets
from datetime import timedelta

from drafting.domain.errors import Conflict, NotFound
from drafting.extensions import db
from drafting.models import User, UserSession, utcnow
from drafting.services.permissions import get_or_404, require_admin

# How often a session's or token's "last seen" is written: a read does not write for every request.
TOUCH_EVERY = timedelta(minutes=5)


def _hash(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def start(user, remember, lifetime, user_agent="", address=""):
    """A new session for `user`; returns its secret, which only the cookie keeps."""
    now = utcnow()
    # Sessions that can no longer be used are forgotten when their owner signs in again.
    db.session.execute(db.delete(UserSession).where(
        UserSession.user_id == user.id,
        (UserSession.expires_at <= now) | (UserSession.generation != user.session_generation)))
    secret = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, secret_hash=_hash(secret), generation=user.session_generation,
                               remember=bool(remember), created_at=now, last_seen_at=now,
                               expires_at=now + lifetime, user_agent=(user_agent or "")[:300],
                               address=(address or "")[:64]))
    db.session.flush()
    return secret


def find(secret):
    """The (UserSession, User) this secret opens, or None when it has ended."""
    if not isinstance(secret, str) or not 20 <= len(secret) <= 100:
        return None
    row = db.session.execute(
        db.select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.secret_hash == _hash(secret))
    ).first()
    if row is None:
        return None
    session, user = row
    if session.expires_at <= utcnow() or session.generation != user.session_generation or not user.is_active:
        return None
    return session, user


def sessions_of(user):
    """The places `user` is signed in, most recently seen first."""
    return db.session.execute(
        db.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.generation == user.session_generation,
               UserSession.expires_at > utcnow())
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).scalars().all()


def end(secret):
    """Sign one browser out: its session stops working, here and on its sockets."""
    found = db.session.execute(db.select(UserSession).filter_by(secret_hash=_hash(secret or ""))).scalar_one_or_none()
    if found is not None:
        withdraw(found.user_id, session_id=found.id)
        db.session.delete(found)
        db.session.flush()


def end_one(user, session_id):
    """Sign `user` out of one of their sessions (from the list on their account page)."""
    found = db.session.get(UserSession, session_id)
    if found is None or found.user_id != user.id:
        raise NotFound("No such session.")
    withdraw(user.id, session_id=found.id)
    db.session.delete(found)
    db.session.flush()


def end_all_sessions(user):
    """Sign `user` out everywhere: every session cookie and every socket opened with one stops working.

    Called on a password change, a password reset, signing out everywhere and disabling the account.
    Personal API tokens are not sessions: they are revoked one by one (and refused while disabled).
    """
    user.session_generation = (user.session_generation or 0) + 1
    db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))
    withdraw(user.id, sessions=True)
    db.session.flush()


def set_disabled(actor, user_id, disabled):
    """A site admin disables an account (sessions, tokens and sockets stop at once) or enables it again."""
    require_admin(actor)
    user = get_or_404(User, user_id, "account")
    if disabled:
        if user.id == actor.id:
            raise Conflict("You cannot disable your own account.")
        if user.is_admin:
            raise Conflict("Withdraw administration from this account before disabling it.")
        if user.disabled_at is None:
            user.disabled_at = utcnow()
            end_all_sessions(user)
            withdraw(user.id, everything=True)
    else:
        user.disabled_at = None
    db.session.flush()
    return user


def withdraw(user_id, *, session_id=None, token_id=None, meeting_id=None, sessions=False, everything=False):
    """Take away the live access these name once the transaction commits (boundary.commit sends it on):
    the sockets of one session, of one token, of all sessions, those following a meeting, or all."""
    db.session.info.setdefault("withdrawals", []).append({
        "user_id": user_id, "session_id": session_id, "token_id": token_id, "meeting_id": meeting_id,
        "sessions": sessions, "everything": everything})


def due_for_touch(last_seen, now=None):
    return last_seen is None or (now or utcnow()) - last_seen >= TOUCH_EVERY


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("HeadlessChrome/", "Headless Chrome"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("python-requests", "a script"), ("curl/", "curl"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("Macintosh", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def device(user_agent):
    """'Firefox on Windows': what a person recognises of a browser's User-Agent."""
    agent = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or (agent[:60] if agent else "Unknown device")
