"""The outcome document as read and exported: paragraphs in order, with their provenance."""
from dataclasses import dataclass, field
from datetime import date

from drafting.domain import un_text
from drafting.domain.outcome import needs_brackets, paragraph_label, split_lead
from drafting.domain.vocabulary import (
    AmendmentStatus,
    ClauseStatus,
    DeclarationKind,
    StakeholderGroup,
    VotePosition,
)
from drafting.extensions import db
from drafting.models import (
    Amendment,
    Clause,
    ClauseRevision,
    ClauseTag,
    Declaration,
    Event,
    Reservation,
    User,
    Version,
)
from drafting.services import votes
from drafting.services.documents import outline
from drafting.services.meetings import participation
from drafting.services.procedure import RESERVATION_KINDS

GONE = (ClauseStatus.MERGED.value, ClauseStatus.WITHDRAWN.value)
POSITIONS = tuple(p.value for p in VotePosition)
WORKFLOW_EVENTS = ("document.created", "document.phase", "silence.started", "silence.broken",
                   "silence.extended", "silence.cancelled",
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
    style: str = "resolution"  # declaration style sets no lead words in italics
    part: str = ""  # "" the body, "Annex" …
    notes: dict = field(default_factory=dict)  # footnote id -> its number in the document
    html: str = ""  # the revision's stored HTML (rendering.py's), reused where the text is one plain block

    @property
    def label(self):
        return paragraph_label(self.number, self.alt)

    @property
    def bracketed(self):
        return needs_brackets(self.status, self.text)

    @property
    def structure(self):
        if getattr(self, "_structure", None) is None:
            self._structure = un_text.parse(self.text)
        return self._structure

    @property
    def lead_and_rest(self):
        """(lead words to set in italics, the rest of the text); no lead in declaration style."""
        if self.style == "declaration":
            return "", self.text
        return un_text.lead_of(self.text, split_lead)

    @property
    def block_html(self):
        """[(Block, safe inline HTML with the lead words in italics)] for the page; None to render each block."""
        blocks = self.blocks
        if len(blocks) != 1 or self.notes or not self.html.startswith("<p>") or self.html.count("<p>") != 1:
            return None
        lead, rest, block = blocks[0]
        return [(block, un_text.inline_from_html(self.html, lead, rest))] if un_text.inline_from_html(
            self.html, lead, rest) is not None else None

    @property
    def blocks(self):
        """The paragraph's blocks, the first with its lead words split off: [(lead, text, Block)]."""
        out = []
        for index, block in enumerate(self.structure.blocks):
            lead, rest = ("", block.text)
            if index == 0 and not block.level and self.style != "declaration":
                lead, rest = un_text.lead_of(block.text, split_lead)
            out.append((lead, rest, block))
        return out

    @property
    def anchor(self):
        return f"para-{self.clause_id}"


@dataclass
class Withdrawn:
    """A paragraph withdrawn during negotiation: it left the numbering but stays on record."""

    clause_id: int
    text: str
    by: str
    at: object
    reason: str


@dataclass
class OutcomeSection:
    id: int
    title: str
    paragraphs: list
    level: int = 1
    annex: str = ""
    kind: str = "custom"
    style: str = "resolution"

    @property
    def show_heading(self):
        """The body's "Preamble" and "Operative part" are the tool's sections, not the document's headings."""
        return self.kind == "custom" and bool(self.title)


@dataclass
class Closing:
    meeting: str = ""  # "68th plenary meeting"
    date: str = ""  # "23 December 2016"
    place: str = ""

    def __bool__(self):
        return bool(self.meeting or self.date or self.place)


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
    withdrawn: list = field(default_factory=list)  # [Withdrawn], in document order
    style: str = "resolution"
    formula: str = ""
    issuing_body: str = ""
    session: str = ""
    agenda_item: str = ""
    distribution: str = "General"
    issued_on: str = ""  # long date of the masthead
    issued_on_iso: str = ""
    original_language: str = "English"
    closing: Closing = field(default_factory=Closing)
    closing_date_iso: str = ""
    footnotes: list = field(default_factory=list)  # [(number, text)] in the document's order
    created_at: object = None
    changed_at: object = None  # the last recorded change: the date of this version of the text
    versions: list = field(default_factory=list)  # [(label, datetime)]

    @property
    def parts(self):
        """[(annex label, sections)]: the body ("") first, then each annex in order."""
        parts = []
        for section in self.sections:
            if not parts or parts[-1][0] != section.annex:
                parts.append((section.annex, []))
            parts[-1][1].append(section)
        return parts

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
    tags = {}
    for clause_id, value in db.session.execute(db.select(ClauseTag.clause_id, ClauseTag.tag).where(
            ClauseTag.clause_id.in_([r.clause.id for r in live])).order_by(ClauseTag.tag)):
        tags.setdefault(clause_id, []).append(value)
    sections = []
    for s in section_rows:
        style = s.section.style or document.style
        sections.append(OutcomeSection(
            id=s.section.id, title=s.section.title, level=s.section.level, annex=s.section.annex,
            kind=s.section.kind, style=style, paragraphs=[
                Paragraph(clause_id=r.clause.id, kind=r.clause.kind, number=r.number, alt=r.extra.get("alt"),
                          text=r.revision.text if r.revision else "", html=str(r.revision.html) if r.revision else "", status=r.clause.status,
                          tags=tags.get(r.clause.id, []), provenance=provenance[r.clause.id], style=style,
                          part=s.section.annex)
                for r in s.clauses if r.clause.status not in GONE]))
    _label_for_annex(document, sections, section_rows if tag is None else None)
    counter = un_text.FootnoteCounter()
    for paragraph in (p for s in sections for p in s.paragraphs):
        paragraph.notes = counter.number(paragraph.structure)
    meeting = document.meeting
    return Outcome(
        style=document.style, formula=document.formula, issuing_body=document.issuing_body or meeting.title,
        session=document.session, agenda_item=document.agenda_item, distribution=document.distribution,
        issued_on=_long_date(document.issued_on), issued_on_iso=document.issued_on,
        original_language=document.original_language,
        closing=Closing(meeting=document.closing_meeting, date=_long_date(document.closing_date),
                        place=document.closing_place),
        closing_date_iso=document.closing_date, footnotes=counter.notes, created_at=document.created_at,
        changed_at=db.session.execute(db.select(db.func.max(Event.created_at)).where(
            Event.document_id == document.id)).scalar() or document.created_at,
        versions=[(v.label, v.created_at) for v in db.session.execute(
            db.select(Version).filter_by(document_id=document.id).order_by(Version.created_at, Version.id)).scalars()],
        document_id=document.id, title=document.title, symbol=document.symbol, meeting=meeting.title,
        subtitle=meeting.subtitle, place=meeting.venue, date=_long_date(meeting.starts_on),
        phase=document.phase, adopted_at=document.adopted_at, published_at=document.published_at,
        visibility=document.visibility, sections=sections, workflow=_workflow(document),
        participation=participation(meeting),
        withdrawn=[Withdrawn(clause_id=r.clause.id, text=r.revision.text if r.revision else "",
                             by=r.clause.withdrawn_by.name if r.clause.withdrawn_by else "",
                             at=r.clause.withdrawn_at, reason=r.clause.withdrawal_reason)
                   for s in section_rows for r in s.clauses if r.clause.status == ClauseStatus.WITHDRAWN])


def _label_for_annex(document, sections, full_rows=None):
    """Preambular paragraphs have no number: the annex counts them, in the full text's order, per part."""
    count, preambular, part = 0, {}, None
    for s in full_rows or outline(document):
        if s.section.annex != part:
            count, part = 0, s.section.annex
        for row in (r for r in s.clauses if r.clause.status not in GONE):
            if not row.number:
                count += row.extra.get("alt", 1) == 1  # an alternative shares its paragraph's count
                preambular[row.clause.id] = count
    for paragraph in (p for s in sections for p in s.paragraphs):
        name = (f"Paragraph {paragraph.number}" if paragraph.number
                else f"Preambular paragraph {preambular[paragraph.clause_id]}")
        if paragraph.part:
            name = f"{paragraph.part}, {name[0].lower()}{name[1:]}"
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
    by_clause = {}
    for r in revisions:
        by_clause.setdefault(r.clause_id, []).append(r)
    amendments = db.session.execute(
        db.select(Amendment).where(Amendment.clause_id.in_(every),
                                   Amendment.status.in_([AmendmentStatus.ACCEPTED.value,
                                                         AmendmentStatus.INCORPORATED.value]))
        .order_by(Amendment.number, Amendment.id)).scalars().all() if every else []
    counted = votes.tallies(document)  # the one tally: eligible members' votes on the final text
    declarations = db.session.execute(
        db.select(Declaration).where(Declaration.clause_id.in_(clause_ids)).order_by(Declaration.id)
    ).scalars().all() if clause_ids else []
    reservations = db.session.execute(
        db.select(Reservation).where(Reservation.clause_id.in_(clause_ids)).order_by(Reservation.id)
    ).scalars().all() if clause_ids else []
    # Grouped once, with every person in one query: per clause, scanning the lists and loading each
    # row's user was quadratic and cost half the reading page's time on a 500-paragraph text.
    people = ({r.author_id for r in revisions} | {a.author_id for a in amendments}
              | {d.declared_by_id for d in declarations} | {r.user_id for r in reservations}) - {None}
    users = {u.id: u for u in db.session.execute(db.select(User).where(User.id.in_(people))).scalars()} \
        if people else {}
    amendments_of, declarations_of, reservations_of = {}, {}, {}
    amendment_order = {}
    for a in amendments:
        amendments_of.setdefault(a.clause_id, []).append(a)
        amendment_order[a] = len(amendment_order)
    for d in declarations:
        declarations_of.setdefault(d.clause_id, []).append(d)
    for r in reservations:
        reservations_of.setdefault(r.clause_id, []).append(r)

    def name(user_id, default=""):
        user = users.get(user_id)
        return user.name if user else default

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
        tally = {position: getattr(counted[cid], position) for position in POSITIONS}
        result[cid] = Provenance(
            authors=authors,
            amendments=[(a.number, name(a.author_id, "someone"), AmendmentStatus(a.status).label)
                        for a in sorted((a for m in members for a in amendments_of.get(m, ())),
                                        key=amendment_order.get)],
            tally=tally,
            declarations=[(DeclarationKind(d.status).label, d.created_at, name(d.declared_by_id), d.tally or {})
                          for d in declarations_of.get(cid, ())],
            reservations=[(name(r.user_id, "someone"), RESERVATION_KINDS.get(r.kind, r.kind), r.text)
                          for r in reservations_of.get(cid, ())],
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
