"""Tables and relationships. Business rules live in services/ and domain/, not here."""
from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.extensions import db


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    stakeholder_group: Mapped[str | None] = mapped_column(String(40))
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Changed to end every session at once (password change, signing out everywhere, disabling).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    disabled_at: Mapped[datetime | None]

    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self):
        return self.disabled_at is None


class UserSession(db.Model):
    """One signed-in browser: what its cookie refers to, so that it can be listed and ended."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    generation: Mapped[int] = mapped_column(default=0)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(64), default="")

    user = relationship("User")


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    user = relationship("User")


class Meeting(db.Model):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str] = mapped_column(String(300), default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[str] = mapped_column(String(10), default="")  # ISO date, as entered
    description: Mapped[str] = mapped_column(Text, default="")
    observers_follow_drafts: Mapped[bool] = mapped_column(default=True)
    # An IANA time zone name ("Europe/Zurich"): deadlines are shown in it as well as in UTC.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # The drafting checks' terminology list, one line each: "preferred term = variant, variant".
    terminology: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships = relationship("Membership", back_populates="meeting", cascade="all, delete-orphan")
    documents = relationship("Document", back_populates="meeting", order_by="Document.id")


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting = relationship("Meeting", back_populates="memberships")
    user = relationship("User", back_populates="memberships")


class Invitation(db.Model):
    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # What the chair knew of the person (a CSV row), to fill in the account form.
    name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    stakeholder_group: Mapped[str | None] = mapped_column(String(40))
    sent_count: Mapped[int] = mapped_column(default=0)
    last_sent_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    meeting = relationship("Meeting")
    accepted_by = relationship("User", foreign_keys=[accepted_by_id])


class Document(db.Model):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    symbol: Mapped[str] = mapped_column(String(100), default="")
    phase: Mapped[str] = mapped_column(String(20), default="drafting")
    visibility: Mapped[str] = mapped_column(String(20), default="members")
    quorum: Mapped[float] = mapped_column(default=0.5)
    threshold: Mapped[float] = mapped_column(default=0.75)
    block_prevents_consensus: Mapped[bool] = mapped_column(default=True)
    hide_tallies: Mapped[bool] = mapped_column(default=False)
    last_seq: Mapped[int] = mapped_column(default=0)
    # The last amendment number given: amendments are numbered 1, 2, … per document when proposed.
    last_amendment_number: Mapped[int] = mapped_column(default=0, server_default="0")
    silence_started_at: Mapped[datetime | None]
    silence_deadline: Mapped[datetime | None]
    adopted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The UN document form: how the text reads and the masthead it is issued under.
    style: Mapped[str] = mapped_column(String(20), default="resolution")  # resolution | declaration
    formula: Mapped[str] = mapped_column(String(300), default="")  # "The General Assembly,"
    issuing_body: Mapped[str] = mapped_column(String(200), default="")  # "General Assembly"; else the meeting
    session: Mapped[str] = mapped_column(String(200), default="")  # "Seventy-first session"
    agenda_item: Mapped[str] = mapped_column(String(200), default="")  # "Agenda item 20"
    distribution: Mapped[str] = mapped_column(String(20), default="General")  # General | Limited
    issued_on: Mapped[str] = mapped_column(String(10), default="")  # ISO date of the masthead
    original_language: Mapped[str] = mapped_column(String(40), default="English")
    # The closing formula: "68th plenary meeting / 23 December 2016", with the place where it applies.
    closing_meeting: Mapped[str] = mapped_column(String(200), default="")
    closing_date: Mapped[str] = mapped_column(String(10), default="")  # ISO date
    closing_place: Mapped[str] = mapped_column(String(200), default="")

    meeting = relationship("Meeting", back_populates="documents")
    sections = relationship("Section", back_populates="document", order_by="Section.position",
                            cascade="all, delete-orphan")


class Section(db.Model):
    __tablename__ = "sections"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="custom")
    position: Mapped[int] = mapped_column(default=0)
    level: Mapped[int] = mapped_column(default=1)  # heading level, 1 to 4
    # The part the section belongs to: "" for the body, "Annex" or "Annex II" for an annex, whose
    # paragraphs are numbered on their own.
    annex: Mapped[str] = mapped_column(String(40), default="")
    style: Mapped[str] = mapped_column(String(20), default="")  # "" as the document, or declaration | resolution
    # An excerpt's section may go on from a paragraph number of the source (an annex's "163."):
    # its first operative paragraph takes this number, the following ones count on from it.
    number_from: Mapped[int | None]

    document = relationship("Document", back_populates="sections")
    clauses = relationship("Clause", back_populates="section", order_by="Clause.position")


class Clause(db.Model):
    __tablename__ = "clauses"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    kind: Mapped[str] = mapped_column(String(2))
    category: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    head_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("clause_revisions.id", use_alter=True, ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id", ondelete="SET NULL"))
    # Set when a clause is inserted after a version snapshot: numbered "bis", "ter" until renumbering.
    inserted_late: Mapped[bool] = mapped_column(default=False)
    alternative_of_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id", ondelete="SET NULL"))
    # A withdrawal: who, when, why, and the status a restore gives back.
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    withdrawn_from: Mapped[str | None] = mapped_column(String(20))
    # The last comment marker given on this clause: comments are marked 1, 2, … per clause.
    last_comment_marker: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    section = relationship("Section", back_populates="clauses")
    document = relationship("Document")
    head = relationship("ClauseRevision", foreign_keys=[head_revision_id], post_update=True)
    tags = relationship("ClauseTag", cascade="all, delete-orphan", order_by="ClauseTag.tag")
    created_by = relationship("User", foreign_keys=[created_by_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])

    @property
    def tag_values(self):
        return [t.tag for t in self.tags]


class ClauseTag(db.Model):
    __tablename__ = "clause_tags"
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)


class ClauseRevision(db.Model):
    __tablename__ = "clause_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("clause_revisions.id"))
    # The revision the author actually edited, when it was not the head and the server merged.
    merged_from_id: Mapped[int | None] = mapped_column(ForeignKey("clause_revisions.id"))
    number: Mapped[int] = mapped_column(default=1)  # 1, 2, … within the clause
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendments.id", use_alter=True))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User", foreign_keys=[author_id])
    accepted_by = relationship("User", foreign_keys=[accepted_by_id])
    amendment = relationship("Amendment", foreign_keys=[amendment_id])


class Amendment(db.Model):
    __tablename__ = "amendments"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Given when proposed, per document, and never changed: "Amendment 3" everywhere.
    number: Mapped[int | None]
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"), index=True)
    base_revision_id: Mapped[int] = mapped_column(ForeignKey("clause_revisions.id"))
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    result_revision_id: Mapped[int | None] = mapped_column(ForeignKey("clause_revisions.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User", foreign_keys=[author_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    base_revision = relationship("ClauseRevision", foreign_keys=[base_revision_id])
    clause = relationship("Clause")


class Comment(db.Model):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"), index=True)
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendments.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    # Given when posted, per clause, and never changed: the marker [3] in the text and the margin.
    marker: Mapped[int | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    quote: Mapped[str | None] = mapped_column(Text)
    quote_prefix: Mapped[str] = mapped_column(String(64), default="")
    quote_suffix: Mapped[str] = mapped_column(String(64), default="")
    anchor_revision_id: Mapped[int | None] = mapped_column(ForeignKey("clause_revisions.id"))
    anchor_start: Mapped[int | None]
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User", foreign_keys=[author_id])


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("clause_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("clause_revisions.id"))
    position: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")


class AmendmentVote(db.Model):
    __tablename__ = "amendment_votes"
    __table_args__ = (UniqueConstraint("amendment_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    position: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Declaration(db.Model):
    """The chair's declaration of a clause's status, with the tally at that moment."""

    __tablename__ = "declarations"
    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("clause_revisions.id"))
    tally: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    declared_by = relationship("User")
    revision = relationship("ClauseRevision")


class Reservation(db.Model):
    __tablename__ = "reservations"
    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20), default="reservation")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")


class Objection(db.Model):
    """A written objection that broke the silence procedure."""

    __tablename__ = "objections"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")


class Version(db.Model):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("document_id", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entries = relationship("VersionEntry", cascade="all, delete-orphan", order_by="VersionEntry.order")
    created_by = relationship("User")


class VersionEntry(db.Model):
    """One clause as it stood in a version: which revision, where, numbered how."""

    __tablename__ = "version_entries"
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"), primary_key=True)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("clause_revisions.id"))
    section_title: Mapped[str] = mapped_column(String(300))
    order: Mapped[int]
    number: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(20))


class Event(db.Model):
    """The audit trail and the source of live updates: gap-free seq per document."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("document_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("User")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(300), default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    # The paragraph it is about, named in the mail that tells of it.
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class OutboxMail(db.Model):
    """A mail to one recipient, written in the transaction of what caused it; the sender sends it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_due", "state", "next_attempt_at"),
                      Index("ix_outbox_recipient", "to_email", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    to_email: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    message_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))


class MailPreference(db.Model):
    """How one person hears of one meeting's notifications by mail: every one, a daily digest, none."""

    __tablename__ = "mail_preferences"
    __table_args__ = (UniqueConstraint("user_id", "meeting_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    choice: Mapped[str] = mapped_column(String(10), default="every")
    # The digest holds the notifications after this one; it went out at digest_sent_at.
    digest_after_id: Mapped[int] = mapped_column(default=0)
    digest_sent_at: Mapped[datetime | None]
