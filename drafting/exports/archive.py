"""A document with everything it carries, as one JSON archive, and back on another server.

The archive holds the document's structure and masthead, its sections and clauses with every
revision, the amendments, votes, declarations, reservations, objections, versions and the events,
with people named by email (and name, organisation and stakeholder group) instead of ids, and
every row referred to by its position in the archive. Importing it into a meeting recreates the
document exactly: a person whose email has an account here is that account; anyone else gets an
account without a password (it cannot sign in until a password is set), so provenance keeps names.
"""
import json
from datetime import datetime

from drafting.domain.errors import TooLarge, ValidationError
from drafting.domain.vocabulary import Role
from drafting.extensions import db
from drafting.models import (
    Amendment,
    AmendmentVote,
    Clause,
    ClauseRevision,
    ClauseTag,
    Declaration,
    Event,
    Objection,
    Reservation,
    Section,
    User,
    Version,
    VersionEntry,
    Vote,
)
from drafting.models import Document as DocumentRow
from drafting.services import events
from drafting.services.permissions import require_role

FORMAT = "drafting-room-archive/1"
MAX_BYTES = 2 * 1024 * 1024
DOCUMENT_COLUMNS = ("title", "symbol", "phase", "visibility", "quorum", "threshold", "block_prevents_consensus",
                    "hide_tallies", "style", "formula", "issuing_body", "session", "agenda_item", "distribution",
                    "issued_on", "original_language", "closing_meeting", "closing_date", "closing_place",
                    "last_amendment_number")
DATES = ("silence_started_at", "silence_deadline", "adopted_at", "published_at", "created_at")


def _when(value):
    return value.isoformat() if value else None


def _parse_when(value):
    return datetime.fromisoformat(value) if value else None


def _rows(model, **filters):
    query = db.select(model).filter_by(**filters) if filters else db.select(model)
    return db.session.execute(query.order_by(model.id)).scalars().all()


def export(actor, document):
    """The archive of a document, as a dict ready for JSON (chair only: it names every voter)."""
    require_role(actor, document.meeting, Role.CHAIR)
    people = {}

    def person(user_id):
        if user_id is None:
            return None
        if user_id not in people:
            user = db.session.get(User, user_id)
            people[user_id] = {"email": user.email, "name": user.name, "organisation": user.organisation,
                               "stakeholder_group": user.stakeholder_group}
        return people[user_id]["email"]

    sections = _rows(Section, document_id=document.id)
    section_key = {s.id: i for i, s in enumerate(sorted(sections, key=lambda s: (s.position, s.id)))}
    clauses = db.session.execute(db.select(Clause).filter_by(document_id=document.id).order_by(Clause.id)).scalars().all()
    clause_key = {c.id: i for i, c in enumerate(clauses)}
    revisions = db.session.execute(db.select(ClauseRevision).where(ClauseRevision.clause_id.in_(clause_key))
                                   .order_by(ClauseRevision.id)).scalars().all() if clauses else []
    revision_key = {r.id: i for i, r in enumerate(revisions)}
    amendments = db.session.execute(db.select(Amendment).where(Amendment.clause_id.in_(clause_key))
                                    .order_by(Amendment.id)).scalars().all() if clauses else []
    amendment_key = {a.id: i for i, a in enumerate(amendments)}

    def per_clause(model):
        return db.session.execute(db.select(model).where(model.clause_id.in_(clause_key)).order_by(model.id)
                                  ).scalars().all() if clauses else []

    archive = {
        "format": FORMAT,
        "document": {**{c: getattr(document, c) for c in DOCUMENT_COLUMNS if hasattr(document, c)},
                     **{c: _when(getattr(document, c)) for c in DATES}},
        "sections": [{"title": s.title, "kind": s.kind, "level": s.level, "annex": s.annex, "style": s.style,
                      "number_from": s.number_from}
                     for s in sorted(sections, key=lambda s: (s.position, s.id))],
        "clauses": [{"section": section_key[c.section_id], "kind": c.kind, "category": c.category,
                     "position": c.position, "status": c.status, "inserted_late": c.inserted_late,
                     "head": revision_key.get(c.head_revision_id), "merged_into": clause_key.get(c.merged_into_id),
                     "alternative_of": clause_key.get(c.alternative_of_id), "created_by": person(c.created_by_id),
                     "created_at": _when(c.created_at), "tags": c.tag_values,
                     "withdrawn": {"at": _when(c.withdrawn_at), "by": person(c.withdrawn_by_id),
                                   "reason": c.withdrawal_reason, "from": c.withdrawn_from}
                     if getattr(c, "withdrawn_at", None) else None} for c in clauses],
        "revisions": [{"clause": clause_key[r.clause_id], "number": r.number, "text": r.text,
                       "rationale": r.rationale, "parent": revision_key.get(r.parent_id),
                       "merged_from": revision_key.get(r.merged_from_id), "author": person(r.author_id),
                       "amendment": amendment_key.get(r.amendment_id), "accepted_by": person(r.accepted_by_id),
                       "created_at": _when(r.created_at)} for r in revisions],
        "amendments": [{"clause": clause_key[a.clause_id], "base_revision": revision_key[a.base_revision_id],
                        "text": a.text, "rationale": a.rationale, "status": a.status, "author": person(a.author_id),
                        "decided_by": person(a.decided_by_id), "decided_at": _when(a.decided_at),
                        "decision_reason": a.decision_reason,
                        "result_revision": revision_key.get(a.result_revision_id),
                        "created_at": _when(a.created_at),
                        **({"number": a.number} if hasattr(a, "number") else {})} for a in amendments],
        "amendment_votes": [{"amendment": amendment_key[v.amendment_id], "user": person(v.user_id),
                             "position": v.position, "reason": v.reason, "created_at": _when(v.created_at)}
                            for v in (db.session.execute(db.select(AmendmentVote).where(
                                AmendmentVote.amendment_id.in_(amendment_key)).order_by(AmendmentVote.id)
                            ).scalars().all() if amendments else [])],
        "votes": [{"clause": clause_key[v.clause_id], "user": person(v.user_id),
                   "revision": revision_key[v.revision_id], "position": v.position, "reason": v.reason,
                   "created_at": _when(v.created_at), "updated_at": _when(v.updated_at)} for v in per_clause(Vote)],
        "declarations": [{"clause": clause_key[d.clause_id], "status": d.status,
                          "revision": revision_key.get(d.revision_id), "tally": d.tally,
                          "declared_by": person(d.declared_by_id), "created_at": _when(d.created_at),
                          **({"reason": d.reason} if hasattr(d, "reason") else {})}
                         for d in per_clause(Declaration)],
        "reservations": [{"clause": clause_key[r.clause_id], "user": person(r.user_id), "kind": r.kind,
                          "text": r.text, "created_at": _when(r.created_at)} for r in per_clause(Reservation)],
        "objections": [{"user": person(o.user_id), "text": o.text, "created_at": _when(o.created_at)}
                       for o in _rows(Objection, document_id=document.id)],
        "versions": [{"label": v.label, "created_by": person(v.created_by_id), "created_at": _when(v.created_at),
                      "entries": [{"clause": clause_key[e.clause_id], "revision": revision_key.get(e.revision_id),
                                   "section_title": e.section_title, "order": e.order, "number": e.number,
                                   "status": e.status} for e in v.entries]}
                     for v in _rows(Version, document_id=document.id)],
        "events": [{"seq": e.seq, "type": e.type, "actor": person(e.actor_id), "payload": e.payload,
                    "created_at": _when(e.created_at)}
                   for e in db.session.execute(db.select(Event).filter_by(document_id=document.id)
                                               .order_by(Event.seq)).scalars()],
    }
    archive["people"] = sorted(people.values(), key=lambda p: p["email"])
    return archive


def is_archive(data):
    head = data[:200].lstrip() if isinstance(data, bytes) else data[:200].lstrip().encode()
    return head.startswith(b"{") and FORMAT.encode() in data[:400] if isinstance(data, bytes) else False


def load(data):
    if len(data) > MAX_BYTES:
        raise TooLarge(f"The archive is {len(data):,} bytes; the limit is {MAX_BYTES:,}.", field="file")
    try:
        archive = json.loads(data)
    except ValueError as error:
        raise ValidationError(f"The archive is not valid JSON ({error}).", field="file")
    if not isinstance(archive, dict) or archive.get("format") != FORMAT:
        raise ValidationError(f"The file is not a Drafting Room archive (format {FORMAT}).", field="file")
    return archive


def import_archive(actor, meeting, data):
    """The archived document, recreated in the meeting with its whole history."""
    require_role(actor, meeting, Role.CHAIR)
    archive = load(data)
    try:
        return _recreate(actor, meeting, archive)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        db.session.rollback()
        raise ValidationError(f"The archive is incomplete or inconsistent ({type(error).__name__}: {error}).",
                              field="file")


def _recreate(actor, meeting, archive):
    users = {}
    for p in archive.get("people", []):
        user = db.session.execute(db.select(User).filter_by(email=p["email"])).scalar_one_or_none()
        if user is None:
            user = User(email=p["email"][:254], name=(p.get("name") or p["email"])[:200], password_hash="!",
                        organisation=(p.get("organisation") or "")[:200], stakeholder_group=p.get("stakeholder_group"))
            db.session.add(user)
            db.session.flush()
        users[p["email"]] = user.id

    def who(email):
        return users.get(email) if email else None

    source = archive["document"]
    document = DocumentRow(meeting_id=meeting.id, **{c: source[c] for c in DOCUMENT_COLUMNS if c in source},
                           **{c: _parse_when(source.get(c)) for c in DATES})
    db.session.add(document)
    db.session.flush()
    sections = []
    for position, s in enumerate(archive["sections"], 1):
        section = Section(document_id=document.id, title=s["title"], kind=s["kind"], level=s["level"],
                          annex=s["annex"], style=s["style"], number_from=s["number_from"], position=position)
        db.session.add(section)
        sections.append(section)
    db.session.flush()
    clauses = []
    for c in archive["clauses"]:
        clause = Clause(document_id=document.id, section_id=sections[c["section"]].id, kind=c["kind"],
                        category=c["category"], position=c["position"], status=c["status"],
                        inserted_late=c["inserted_late"], created_by_id=who(c["created_by"]),
                        created_at=_parse_when(c["created_at"]))
        clause.tags = [ClauseTag(tag=t) for t in c["tags"]]
        if c.get("withdrawn"):
            clause.withdrawn_at = _parse_when(c["withdrawn"]["at"])
            clause.withdrawn_by_id = who(c["withdrawn"]["by"])
            clause.withdrawal_reason = c["withdrawn"]["reason"] or ""
            clause.withdrawn_from = c["withdrawn"]["from"]
        db.session.add(clause)
        clauses.append(clause)
    db.session.flush()
    from drafting.domain.rendering import render_markdown

    revisions = []
    for r in archive["revisions"]:
        revision = ClauseRevision(clause_id=clauses[r["clause"]].id, number=r["number"], text=r["text"],
                                  html=render_markdown(r["text"]), rationale=r["rationale"],
                                  author_id=who(r["author"]), accepted_by_id=who(r["accepted_by"]),
                                  created_at=_parse_when(r["created_at"]))
        db.session.add(revision)
        revisions.append(revision)
    db.session.flush()
    for r, revision in zip(archive["revisions"], revisions):
        revision.parent_id = revisions[r["parent"]].id if r["parent"] is not None else None
        revision.merged_from_id = revisions[r["merged_from"]].id if r["merged_from"] is not None else None
    amendments = []
    for a in archive["amendments"]:
        amendment = Amendment(clause_id=clauses[a["clause"]].id, base_revision_id=revisions[a["base_revision"]].id,
                              text=a["text"], rationale=a["rationale"], status=a["status"],
                              author_id=who(a["author"]), decided_by_id=who(a["decided_by"]),
                              decided_at=_parse_when(a["decided_at"]), decision_reason=a["decision_reason"],
                              result_revision_id=revisions[a["result_revision"]].id
                              if a["result_revision"] is not None else None, created_at=_parse_when(a["created_at"]))
        if "number" in a and hasattr(amendment, "number"):
            amendment.number = a["number"]
        db.session.add(amendment)
        amendments.append(amendment)
    db.session.flush()
    for r, revision in zip(archive["revisions"], revisions):
        revision.amendment_id = amendments[r["amendment"]].id if r["amendment"] is not None else None
    for c, clause in zip(archive["clauses"], clauses):
        clause.head_revision_id = revisions[c["head"]].id if c["head"] is not None else None
        clause.merged_into_id = clauses[c["merged_into"]].id if c["merged_into"] is not None else None
        clause.alternative_of_id = clauses[c["alternative_of"]].id if c["alternative_of"] is not None else None
    for v in archive["amendment_votes"]:
        db.session.add(AmendmentVote(amendment_id=amendments[v["amendment"]].id, user_id=who(v["user"]),
                                     position=v["position"], reason=v["reason"],
                                     created_at=_parse_when(v["created_at"])))
    for v in archive["votes"]:
        db.session.add(Vote(clause_id=clauses[v["clause"]].id, user_id=who(v["user"]),
                            revision_id=revisions[v["revision"]].id, position=v["position"], reason=v["reason"],
                            created_at=_parse_when(v["created_at"]), updated_at=_parse_when(v["updated_at"])))
    for d in archive["declarations"]:
        declaration = Declaration(clause_id=clauses[d["clause"]].id, status=d["status"],
                                  revision_id=revisions[d["revision"]].id if d["revision"] is not None else None,
                                  tally=d["tally"], declared_by_id=who(d["declared_by"]),
                                  created_at=_parse_when(d["created_at"]))
        if "reason" in d and hasattr(declaration, "reason"):
            declaration.reason = d["reason"]
        db.session.add(declaration)
    for r in archive["reservations"]:
        db.session.add(Reservation(clause_id=clauses[r["clause"]].id, user_id=who(r["user"]), kind=r["kind"],
                                   text=r["text"], created_at=_parse_when(r["created_at"])))
    for o in archive["objections"]:
        db.session.add(Objection(document_id=document.id, user_id=who(o["user"]), text=o["text"],
                                 created_at=_parse_when(o["created_at"])))
    for v in archive["versions"]:
        version = Version(document_id=document.id, label=v["label"], created_by_id=who(v["created_by"]),
                          created_at=_parse_when(v["created_at"]))
        version.entries = [VersionEntry(clause_id=clauses[e["clause"]].id,
                                        revision_id=revisions[e["revision"]].id if e["revision"] is not None else None,
                                        section_title=e["section_title"], order=e["order"], number=e["number"],
                                        status=e["status"]) for e in v["entries"]]
        db.session.add(version)
    seq = 0
    for e in archive["events"]:
        seq = int(e["seq"])
        db.session.add(Event(document_id=document.id, seq=seq, type=e["type"], actor_id=who(e["actor"]),
                             payload=e["payload"], created_at=_parse_when(e["created_at"])))
    document.last_seq = seq
    db.session.flush()
    events.append(document, "document.imported", actor, {"format": FORMAT, "clauses": len(clauses),
                                                          "revisions": len(revisions), "events": seq})
    return document
