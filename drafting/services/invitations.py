"""Invitations by mail, one or many: a CSV list read, previewed row by row, then sent in one step.

A list is read whole before anything happens, and sent in one transaction: either every row it
says will be invited is, or (a problem found) none is.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta

from drafting.domain import limits
from drafting.domain.errors import Conflict, NotFound, ValidationError
from drafting.domain.vocabulary import Role, StakeholderGroup
from drafting.extensions import db
from drafting.models import Invitation, Membership, User, utcnow
from drafting.services import accounts, mail
from drafting.services.permissions import forget_roles, require_role

INVITATION_DAYS = 14
MAX_ROWS = 2000
COLUMNS = ("name", "email", "organisation", "stakeholder group", "role")
_HEADER_NAMES = {
    "email": "email", "e mail": "email", "email address": "email", "mail": "email", "address": "email",
    "name": "name", "full name": "name", "person": "name",
    "organisation": "organisation", "organization": "organisation", "org": "organisation",
    "affiliation": "organisation",
    "stakeholder group": "group", "group": "group", "stakeholder": "group", "stakeholder_group": "group",
    "role": "role",
}

# What will happen to a row (the preview) or did (the report).
INVITE, ADD, MEMBER, PENDING = "invite", "add", "member", "pending"
NO_EMAIL, BAD_ADDRESS, UNKNOWN_ROLE, UNKNOWN_GROUP, DUPLICATE, TOO_LONG = (
    "no_email", "bad_address", "unknown_role", "unknown_group", "duplicate", "too_long")
OUTCOMES = {
    INVITE: "New account invited",
    ADD: "Existing account added: {detail}",
    MEMBER: "Already a member ({detail}): nothing to do",
    PENDING: "Invited already: resend it from the list of invitations",
    NO_EMAIL: "No email address",
    BAD_ADDRESS: "Bad address",
    UNKNOWN_ROLE: "Role unknown",
    UNKNOWN_GROUP: "Stakeholder group unknown",
    DUPLICATE: "Duplicate",
    TOO_LONG: "A value is too long",
}
PROBLEMS = frozenset({NO_EMAIL, BAD_ADDRESS, UNKNOWN_ROLE, UNKNOWN_GROUP, DUPLICATE, TOO_LONG})


def invitation_state(invitation, now=None):
    """accepted, revoked, expired or pending: decided here only."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= (now or utcnow()):
        return "expired"
    return "pending"


@dataclass
class Row:
    line: int
    name: str = ""
    email: str = ""
    organisation: str = ""
    group: str | None = None
    role: str = Role.EXPERT.value
    outcome: str = INVITE
    detail: str = ""

    @property
    def problem(self):
        return self.outcome in PROBLEMS

    @property
    def outcome_label(self):
        label = OUTCOMES[self.outcome]
        if "{detail}" in label:
            return label.format(detail=self.detail)
        return label + (f": {self.detail}" if self.detail else "")


@dataclass
class InvitationList:
    rows: list = field(default_factory=list)

    def count(self, *outcomes):
        return sum(1 for row in self.rows if row.outcome in outcomes)

    @property
    def problems(self):
        return [row for row in self.rows if row.problem]

    @property
    def to_send(self):
        return [row for row in self.rows if row.outcome in (INVITE, ADD)]


# --- reading the file --------------------------------------------------------------------------

def decode(data):
    """The text of an uploaded or pasted list; a clear refusal for what is not a CSV in UTF-8."""
    if isinstance(data, str):
        text = data
    else:
        if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
            raise ValidationError("This is a spreadsheet workbook, not a CSV file: in your spreadsheet "
                                  "choose Save as… “CSV UTF-8 (comma delimited)” and upload that.", field="csv")
        if data.startswith(b"%PDF"):
            raise ValidationError("This is a PDF, not a CSV file.", field="csv")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        elif b"\x00" in data[:4096]:
            raise ValidationError("This is not a CSV file (it holds binary data).", field="csv")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                line = data[:error.start].count(b"\n") + 1
                raise ValidationError(
                    f"The file is not in UTF-8 (line {line} holds a byte that UTF-8 cannot read, "
                    "probably an accented letter saved as Windows or Mac text). Save it again as "
                    "“CSV UTF-8” and upload that; nothing was read from it.", field="csv") from None
    if "\x00" in text:
        raise ValidationError("This is not a CSV file (it holds binary data).", field="csv")
    return text.lstrip("\ufeff")


def _dialect(text):
    sample = "\n".join(text.splitlines()[:5])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _header(cells):
    """Column positions by meaning, when the first line names them (it must name the email column)."""
    names = [" ".join(cell.strip().lower().replace("_", " ").replace("-", " ").split()) for cell in cells]
    positions = {}
    for n, name in enumerate(names):
        meaning = _HEADER_NAMES.get(name)
        if meaning and meaning not in positions:
            positions[meaning] = n
    return positions if "email" in positions else None


def read(data):
    """Rows of a list as written (line numbers as a spreadsheet shows them), not yet checked."""
    text = decode(data)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), _dialect(text)))
    except csv.Error as error:
        raise ValidationError(f"This is not a CSV file the app can read: {error}.", field="csv") from None
    numbered = [(n, cells) for n, cells in enumerate(lines, start=1) if any(c.strip() for c in cells)]
    if not numbered:
        raise ValidationError("The list is empty: write one person per line, under the column names "
                              "name, email, organisation, stakeholder group, role.", field="csv")
    positions = _header(numbered[0][1])
    if positions is not None:
        numbered = numbered[1:]
    elif any("@" in cell for cell in numbered[0][1]):
        positions = {meaning: n for n, meaning in enumerate(("name", "email", "organisation", "group", "role"))}
    else:
        raise ValidationError("The first line must name the columns, with at least “email”: "
                              "name, email, organisation, stakeholder group, role.", field="csv")
    if len(numbered) > MAX_ROWS:
        raise ValidationError(f"The list has {len(numbered):,} people; at most {MAX_ROWS:,} can be invited "
                              "at once. Split it into smaller lists; nothing was sent.", field="csv")

    def cell(cells, meaning):
        n = positions.get(meaning)
        return cells[n].strip() if n is not None and n < len(cells) else ""

    return [Row(line=n, name=cell(cells, "name"), email=cell(cells, "email"),
                organisation=cell(cells, "organisation"), group=cell(cells, "group") or None,
                role=cell(cells, "role") or Role.EXPERT.value) for n, cells in numbered]


def _word(vocabulary, value):
    wanted = " ".join(value.strip().lower().replace("_", " ").split())
    for word in vocabulary:
        if wanted in (word.value.replace("_", " "), word.label.lower()):
            return word.value
    return None


def _check(row):
    """The row's own problems, before the database is asked."""
    if not row.email:
        row.outcome = NO_EMAIL
        return
    try:
        row.email = accounts.normalise_email(row.email)
    except ValidationError:
        row.outcome, row.detail = BAD_ADDRESS, row.email[:80]
        return
    role = _word(Role, row.role)
    if role is None:
        row.outcome, row.detail = UNKNOWN_ROLE, f"“{row.role[:40]}”; use {', '.join(Role.values())}"
        return
    row.role = role
    if row.group:
        group = _word(StakeholderGroup, row.group)
        if group is None:
            row.outcome, row.detail = UNKNOWN_GROUP, f"“{row.group[:40]}”"
            return
        row.group = group
    if len(row.name) > limits.NAME or len(row.organisation) > limits.NAME:
        row.outcome, row.detail = TOO_LONG, f"names and organisations have at most {limits.NAME} characters"


def preview(actor, meeting, data):
    """What sending the list would do, row by row; changes nothing."""
    require_role(actor, meeting, Role.CHAIR)
    rows = read(data)
    first_line = {}
    for row in rows:
        _check(row)
        if row.problem:
            continue
        if row.email in first_line:
            row.outcome, row.detail = DUPLICATE, f"the same address as line {first_line[row.email]}"
            continue
        first_line[row.email] = row.line
    emails = list(first_line)
    users, members, pending = _known(meeting, emails)
    for row in rows:
        if row.problem:
            continue
        user = users.get(row.email)
        if user is not None and user.id in members:
            row.outcome, row.detail = MEMBER, members[user.id]
        elif user is not None:
            row.outcome, row.detail = ADD, user.name
        elif row.email in pending:
            row.outcome = PENDING
        else:
            row.outcome = INVITE
    return InvitationList(rows)


def _known(meeting, emails):
    """Accounts with these addresses, the meeting's members (user id -> role), open invitations."""
    users = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start:start + 500]
        users.update((u.email, u) for u in db.session.execute(
            db.select(User).where(User.email.in_(chunk))).scalars())
    members = dict(db.session.execute(
        db.select(Membership.user_id, Membership.role).where(Membership.meeting_id == meeting.id)).all())
    pending = {invitation.email for invitation in pending_invitations(meeting)}
    return users, members, pending


def send(actor, meeting, data, leave_out_problems=False):
    """Invite every row the preview marks to invite or add, in one transaction; the report."""
    listing = preview(actor, meeting, data)
    if listing.problems and not leave_out_problems:
        raise ValidationError(f"{len(listing.problems)} row(s) have a problem; nothing was sent. Correct "
                              "them, or leave them out.", field="csv",
                              details={"rows": [_row_json(r) for r in listing.problems]})
    if not listing.to_send:
        raise ValidationError("Nobody on this list is left to invite; nothing was sent.", field="csv")
    users, _members, _pending = _known(meeting, [r.email for r in listing.to_send if r.outcome == ADD])
    for row in listing.to_send:
        if row.outcome == ADD:
            _add_member(actor, meeting, users[row.email], row.role)
        else:
            _invite(actor, meeting, row.email, row.role, row.name, row.organisation, row.group)
    db.session.flush()
    forget_roles()
    return listing


def _row_json(row):
    return {"line": row.line, "email": row.email, "outcome": row.outcome, "message": row.outcome_label}


# --- one invitation ------------------------------------------------------------------------------

def _invite(actor, meeting, email, role, name="", organisation="", group=None):
    secret = accounts.new_secret()
    now = utcnow()
    invitation = Invitation(
        meeting_id=meeting.id, email=email, role=role, token_hash=accounts.hash_secret(secret),
        invited_by_id=actor.id, created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS),
        name=name, organisation=organisation, stakeholder_group=group, sent_count=0,
    )
    db.session.add(invitation)
    mail_invitation(actor, meeting, invitation, secret)
    return invitation, secret


def mail_invitation(actor, meeting, invitation, secret):
    invitation.sent_count = (invitation.sent_count or 0) + 1
    invitation.last_sent_at = utcnow()
    mail.queue("invitation", invitation.email, invitation.name,
               f"Invitation: {meeting.title}", "invitation", meeting_id=meeting.id, meeting=meeting,
               inviter=actor.name, role=invitation.role, url=mail.link("accounts.accept", secret=secret),
               expires=invitation.expires_at.strftime("%d %B %Y"))


def _add_member(actor, meeting, user, role):
    if accounts.name_clash(user.id, user.name, [meeting.id]) is not None:
        raise Conflict(f"{user.email}'s name is the same as a member's: they must tell themselves apart "
                       "(on their account page) before joining.", field="email")
    membership = Membership(meeting_id=meeting.id, user_id=user.id, role=role)
    db.session.add(membership)
    mail.queue("added", user.email, user.name, f"You have joined {meeting.title}", "added",
               user_id=user.id, meeting_id=meeting.id, meeting=meeting, inviter=actor.name, role=role,
               url=mail.link("meetings.show", meeting_id=meeting.id))
    return membership


def invite(actor, meeting, email, role):
    """Add a member: an existing account joins at once (and is told), an unknown email is invited.

    Returns (membership, None) or (invitation, secret); the secret is shown once, to pass on.
    """
    require_role(actor, meeting, Role.CHAIR)
    email = accounts.normalise_email(email)
    role = Role.parse(role, "Role")
    user = accounts.find_by_email(email)
    if user is not None:
        existing = db.session.execute(
            db.select(Membership).filter_by(meeting_id=meeting.id, user_id=user.id)
        ).scalar_one_or_none()
        if existing is not None:
            raise Conflict(f"{email} is a member already, as {existing.role}.", field="email")
        membership = _add_member(actor, meeting, user, role.value)
        db.session.flush()
        forget_roles()
        return membership, None
    invitation, secret = _invite(actor, meeting, email, role.value)
    db.session.flush()
    return invitation, secret


def invitations_of(meeting):
    """Every invitation of the meeting, newest first, for the chair's list."""
    return db.session.execute(
        db.select(Invitation).where(Invitation.meeting_id == meeting.id).order_by(Invitation.id.desc())
    ).scalars().all()


def pending_invitations(meeting):
    return db.session.execute(
        db.select(Invitation).where(
            Invitation.meeting_id == meeting.id, Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow(),
        ).order_by(Invitation.created_at)
    ).scalars().all()


def _invitation(meeting, invitation_id):
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.meeting_id != meeting.id:
        raise NotFound("No such invitation in this meeting.")
    return invitation


def resend(actor, meeting, invitation_id):
    """Mail the invitation again with a new link (the old one stops working), for another 14 days."""
    require_role(actor, meeting, Role.CHAIR)
    invitation = _invitation(meeting, invitation_id)
    state = invitation_state(invitation)
    if state in ("accepted", "revoked"):
        raise Conflict(f"This invitation was {state}; invite {invitation.email} again instead.")
    secret = accounts.new_secret()
    invitation.token_hash = accounts.hash_secret(secret)
    invitation.expires_at = utcnow() + timedelta(days=INVITATION_DAYS)
    mail_invitation(actor, meeting, invitation, secret)
    db.session.flush()
    return invitation, secret


def revoke(actor, meeting, invitation_id):
    require_role(actor, meeting, Role.CHAIR)
    invitation = _invitation(meeting, invitation_id)
    if invitation.accepted_at is not None:
        raise Conflict(f"{invitation.email} has accepted already; remove the member instead.")
    invitation.revoked_at = invitation.revoked_at or utcnow()
    db.session.flush()
    return invitation
