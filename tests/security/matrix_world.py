"""What a matrix entry is made of (Route, SocketEvent, roles) and the rows its builders create in the world.

Builders run before the request and before the "nothing changed" fingerprint, so they may create
what a route needs (an amendment to accept, a comment to edit, a stale vote to confirm) through the
services, in whatever phase those need, and put the document back in the phase the entry names.
"""
import itertools
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Membership
from drafting.services import amendments, clauses, comments, consolidation, meetings, notifications, versions, votes

ROLES = ["anonymous", "outsider", "other_chair", "observer", "expert", "rapporteur", "chair", "admin"]
RANK = {"anonymous": 0, "outsider": 1, "other_chair": 1, "observer": 2, "expert": 3, "rapporteur": 4,
        "chair": 5, "admin": 6}
MINIMUM_RANK = {"public": 0, "signed_in": 1, "observer": 2, "expert": 3, "rapporteur": 4, "chair": 5,
                "admin": 6, "nobody": 99}
API = "/api/v1"


@dataclass(frozen=True)
class Route:
    url: Callable
    minimum: str
    body: Callable | None = None
    phase: str | None = None
    crossed: Callable | None = None
    signs_out: bool = False  # success is a redirect to the sign-in page


@dataclass(frozen=True)
class SocketEvent:
    minimum: str
    data: Callable | None = None  # None: a lifecycle event (connect, disconnect), not emitted
    joined: bool = False  # the client joins the world's document first (as far as it may)
    name: str | None = None  # the event emitted, when it is not the entry's key (the catch-all "*")
    crossed: Callable | None = None  # data naming another meeting's object; the chair is refused


def may(role, minimum):
    """Whether `role` (in the world's meeting) passes an entry's minimum."""
    if minimum == "admin":
        return role == "admin"
    return RANK[role] >= MINIMUM_RANK[minimum]


def role_of(w, user):
    return next(role for role, each in w.users.items() if each is user)


def owner(w, minimum="expert"):
    """Who owns the object of an author-only route: the caller when they could have made it, else the expert.

    test_route sets w.caller; pages fetched without one (the XSS test) get the expert's object.
    """
    caller = getattr(w, "caller", None)
    if caller is not None and may(role_of(w, caller), minimum):
        return caller
    return w.expert


@contextmanager
def in_phase(document, phase):
    """Let a service create an object the way it would in `phase`, then put the phase back."""
    before = document.phase
    document.phase = phase
    try:
        yield
    finally:
        document.phase = before


# --- rows in the world ----------------------------------------------------------------------------

def membership_id(meeting, user):
    return db.session.execute(db.select(Membership.id).filter_by(meeting_id=meeting.id, user_id=user.id)
                              ).scalar_one()


_invitees = itertools.count(1)


def invitation(w, meeting=None, chair=None):
    """A fresh invitation in the world's meeting (or another): (invitation id, secret)."""
    invited, secret = meetings.invite(chair or w.chair, meeting or w.meeting,
                                      f"invitee{next(_invitees)}@example.org", "expert")
    commit()
    return invited.id, secret


def comment(w, author=None, clause=None, resolved=False):
    """A comment on the world's operative clause (or `clause`) by `author` (the expert): its id."""
    clause = clause or w.op
    author = author or w.expert
    with in_phase(clause.document, "drafting"):
        made = comments.post(author, clause, "Should this say *which* data?")
        if resolved:
            comments.set_resolved(author, made, True)
    commit()
    return made.id


def other_comment(w):
    return comment(w, w.other_chair, w.other_clause)


AMENDED = "Recommends that cities publish open data every year;"


def amendment(w, author=None, clause=None):
    """An open amendment to the operative clause (or `clause`) by `author` (the expert): its id."""
    clause = clause or w.op
    author = author or w.expert
    with in_phase(clause.document, "amendments"):
        made = amendments.propose(author, clause, clause.head_revision_id, AMENDED, "Say how often.")
    commit()
    return made.id


def other_amendment(w):
    return amendment(w, w.other_chair, w.other_clause)


def stale_vote(w, voter):
    """`voter` agreed with the operative clause, whose text then changed: the vote waits for confirmation."""
    with in_phase(w.document, "drafting"):
        votes.cast(voter, w.op, "agree")
        clauses.save_edit(w.expert2, w.op, w.op.head_revision_id, "Recommends that cities publish their data;")
    commit()


def notification(w, user):
    """An unread notification for `user`: its id."""
    made = notifications.notify(user.id, notifications.MENTION, "You were mentioned in a comment.",
                                f"/clauses/{w.op.id}", w.document.id)
    commit()
    return made.id


def version(w, document=None, author=None, label="Zero draft"):
    """A named version of the world's document (or `document`): its id."""
    made = versions.snapshot(author or w.rapporteur, document or w.document, label)
    commit()
    return made.id


def other_version(w):
    return version(w, w.other_document, w.other_chair)


def alternative(w):
    """An alternative wording of the operative clause (Alt 2): its clause id."""
    with in_phase(w.document, "consolidation"):
        made = consolidation.add_alternative(w.rapporteur, w.op, "Recommends that cities share open data;")
    commit()
    return made.id


def followed_by_observers(w, follow):
    """Let observers follow the drafts, or not (they always read what is published)."""
    w.meeting.observers_follow_drafts = follow
    db.session.commit()


def published(w, visibility):
    """The document (already in the published phase) published publicly or to members only."""
    w.document.visibility = visibility
    db.session.commit()


def publicly(url):
    """The url, once the document (in the published phase) is published publicly."""
    def build(w):
        published(w, "public")
        return url(w)
    return build
