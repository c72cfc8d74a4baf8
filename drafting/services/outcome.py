"""The outcome document as read and exported: paragraphs in order, with their provenance."""
from dataclasses import dataclass, field
from datetime import date

from drafting.domain.outcome import needs_brackets, paragraph_label, split_lead
from drafting.domain.vocabulary import AmendmentStatus, ClauseStatus, DeclarationKind, StakeholderGroup, VotePosition
from drafting.extensions import db
from drafting.models import Amendment, Clause, ClauseRevision, Declaration, Event, Reservation, User, Vote
from drafting.services.documents import outline
from drafting.services.meetings import participation
from drafting.services.procedure import RESERVATION_KINDS

GONE = (ClauseStatus.MERGED.value, ClauseStatus.WITHDRAWN.value)
WORKFLOW_EVENTS = ("document.created", "document.phase", "silence.started", "silence.broken",
                   "document.adopted", "document.published", "document.renumbered")


@dataclass
class Provenance:
    authors: list = field(default_factory=list)  # [(name, organisation, stakeholder group label)]
    amendments: list = field(default_factory=list)  # [(number, author name, status label)]
    tally: dict = field(default_factory=dict)  # position -> count of votes on the final text
    declarations: list = field(default_factory=list)  # [(status label, date, by, tally)]
    reservations: list = field(default_factory=list)  # [(name, kind label, text)]


@dataclass
class Paragraph:
    clause_id: int
    kind: str
    number: str
    alt: int | None
    text: str
    status: str
    tags: list
    provenance: Provenance
    annex_label: str = ""  # "Paragraph 7 bis", "Preambular paragraph 3", with "Alt 2" where it applies

    @property
    def label(self):
        return paragraph_label(self.number, self.alt)

    @property
    def bracketed(self):
        return needs_brackets(self.status, self.text)

    @property
    def lead_and_rest(self):
        return split_lead(self.text)

    @property
    def anchor(self):
        return f"para-{self.clause_id}"


@dataclass
class OutcomeSection:
    id: int
    title: str
    paragraphs: list


@dataclass
class Outcome:
    document_id: int
    title: str
    symbol: str
    meeting: str
    subtitle: str
    place: str
    date: str
    phase: str
    adopted_at: object
    published_at: object
    visibility: str
    sections: list
    workflow: list  # [(datetime, event type, actor name, payload)]
    participation: list

    @property
    def paragraphs(self):
        return [p for s in self.sections for p in s.paragraphs]

    @property
    def adopted(self):
        return self.adopted_at is not None and self.phase in ("adopted", "published")


def build(document, tag=None):
    """The outcome document: live paragraphs (optionally only those with a tag) with provenance."""
    section_rows = outline(document, tag=tag)
    live = [r for s in section_rows for r in s.clauses if r.clause.status not in GONE]
    provenance = _provenance(document, [r.clause.id for r in live])
    sections = [
        OutcomeSection(id=s.section.id, title=s.section.title, paragraphs=[
            Paragraph(clause_id=r.clause.id, kind=r.clause.kind, number=r.number, alt=r.extra.get("alt"),
                      text=r.revision.text if r.revision else "", status=r.clause.status,
                      tags=r.clause.tag_values, provenance=provenance[r.clause.id])
            for r in s.clauses if r.clause.status not in GONE])
        for s in section_rows
    ]
    _label_for_annex(document, sections)
    meeting = document.meeting
    return Outcome(
        document_id=document.id, title=document.title, symbol=document.symbol, meeting=meeting.title,
        subtitle=meeting.subtitle, place=meeting.venue, date=_long_date(meeting.starts_on),
        phase=document.phase, adopted_at=document.adopted_at, published_at=document.published_at,
        visibility=document.visibility, sections=sections, workflow=_workflow(document),
        participation=participation(meeting))


def _label_for_annex(document, sections):
    """Preambular paragraphs have no number: the annex counts them, in the full text's order."""
    count, preambular = 0, {}
    for row in (r for s in outline(document) for r in s.clauses if r.clause.status not in GONE):
        if not row.number:
            count += row.extra.get("alt", 1) == 1  # an alternative shares its paragraph's count
            preambular[row.clause.id] = count
    for paragraph in (p for s in sections for p in s.paragraphs):
        name = (f"Paragraph {paragraph.number}" if paragraph.number
                else f"Preambular paragraph {preambular[paragraph.clause_id]}")
        paragraph.annex_label = name + (f", Alt {paragraph.alt}" if paragraph.alt else "")


def _long_date(iso):
    try:
        day = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return f"{day.day} {day:%B %Y}"


def _family(clause_ids):
    """Each clause with the clauses merged into it, and the clauses it was split from."""
    family = {cid: {cid} for cid in clause_ids}
    merged = db.session.execute(
        db.select(Clause.id, Clause.merged_into_id).where(Clause.merged_into_id.is_not(None))).all()
    into = {}
    for old, new in merged:
        into.setdefault(new, []).append(old)
    for cid in clause_ids:
        stack = [cid]
        while stack:
            for old in into.get(stack.pop(), []):
                if old not in family[cid]:
                    family[cid].add(old)
                    stack.append(old)
    return family


def _provenance(document, clause_ids):
    family = _family(clause_ids)
    every = set().union(*family.values()) if family else set()
    revisions = db.session.execute(
        db.select(ClauseRevision).where(ClauseRevision.clause_id.in_(every)).order_by(ClauseRevision.id)
    ).scalars().all() if every else []
    # A split-off clause's first revision has the original's revision as its parent.
    revision_clause = {r.id: r.clause_id for r in revisions}
    parents = [r.parent_id for r in revisions if r.parent_id and r.parent_id not in revision_clause]
    if parents:
        for r in db.session.execute(db.select(ClauseRevision).where(ClauseRevision.id.in_(parents))).scalars():
            revision_clause[r.id] = r.clause_id
    split_from = {r.clause_id: revision_clause[r.parent_id] for r in revisions
                  if r.parent_id and revision_clause.get(r.parent_id) not in (None, r.clause_id)}
    extra = set(split_from.values()) - every
    if extra:
        revisions += db.session.execute(
            db.select(ClauseRevision).where(ClauseRevision.clause_id.in_(extra)).order_by(ClauseRevision.id)
        ).scalars().all()
    users = {u.id: u for u in db.session.execute(db.select(User).where(
        User.id.in_({r.author_id for r in revisions if r.author_id}))).scalars()} if revisions else {}
    by_clause = {}
    for r in revisions:
        by_clause.setdefault(r.clause_id, []).append(r)
    amendments = db.session.execute(
        db.select(Amendment).where(Amendment.clause_id.in_(every),
                                   Amendment.status.in_([AmendmentStatus.ACCEPTED.value,
                                                         AmendmentStatus.INCORPORATED.value]))
        .order_by(Amendment.number, Amendment.id)).scalars().all() if every else []
    heads = dict(db.session.execute(
        db.select(Clause.id, Clause.head_revision_id).where(Clause.id.in_(clause_ids))).all()) if clause_ids else {}
    votes = db.session.execute(db.select(Vote).where(Vote.clause_id.in_(clause_ids))).scalars().all() \
        if clause_ids else []
    declarations = db.session.execute(
        db.select(Declaration).where(Declaration.clause_id.in_(clause_ids)).order_by(Declaration.id)
    ).scalars().all() if clause_ids else []
    reservations = db.session.execute(
        db.select(Reservation).where(Reservation.clause_id.in_(clause_ids)).order_by(Reservation.id)
    ).scalars().all() if clause_ids else []

    result = {}
    for cid in clause_ids:
        members = set(family[cid])
        for member in list(members):
            if member in split_from:
                members.add(split_from[member])
        authors = []
        for member in sorted(members):
            for r in by_clause.get(member, []):
                user = users.get(r.author_id)
                entry = _person(user)
                if user and entry not in authors:
                    authors.append(entry)
        tally = {p.value: 0 for p in VotePosition}
        for v in votes:
            if v.clause_id == cid and v.revision_id == heads.get(cid):
                tally[v.position] = tally.get(v.position, 0) + 1
        result[cid] = Provenance(
            authors=authors,
            amendments=[(a.number, a.author.name if a.author else "someone", AmendmentStatus(a.status).label)
                        for a in amendments if a.clause_id in members],
            tally=tally,
            declarations=[(DeclarationKind(d.status).label, d.created_at, d.declared_by.name if d.declared_by else "",
                           d.tally or {}) for d in declarations if d.clause_id == cid],
            reservations=[(r.user.name if r.user else "someone", RESERVATION_KINDS.get(r.kind, r.kind), r.text)
                          for r in reservations if r.clause_id == cid],
        )
    return result


def _person(user):
    if user is None:
        return None
    group = StakeholderGroup(user.stakeholder_group).label if user.stakeholder_group else ""
    return (user.name, user.organisation, group)


def _workflow(document):
    steps = db.session.execute(
        db.select(Event).where(Event.document_id == document.id, Event.type.in_(WORKFLOW_EVENTS))
        .order_by(Event.seq)).scalars().all()
    return [(e.created_at, e.type, e.actor.name if e.actor else "", e.payload or {}) for e in steps]
