"""A document with everything it carries, as one JSON archive, and back on another server.

The archive holds the document's structure and masthead, its sections and clauses with every
revision, the amendments, votes, declarations, reservations, objections, comment threads (with their
anchors to quoted words), versions and the events, with people named by email (and name,
organisation and stakeholder group) instead of ids, and every row referred to by its position in the
archive, in the events' payloads too (PAYLOAD_IDS says what each id there refers to). Importing it
into a meeting recreates the document exactly: a person whose email has an account here is that
account; anyone else gets an account without a password (it cannot sign in until a password is
set), so provenance keeps names.
"""
import json
from datetime import datetime

from drafting.domain.errors import TooLarge, ValidationError
from drafting.domain.rendering import render_markdown
from drafting.domain.vocabulary import Role
from drafting.extensions import db
from drafting.models import (
    Amendment,
    AmendmentVote,
    Clause,
    ClauseRevision,
    ClauseTag,
    Comment,
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

FORMAT = "drafting-room-archive/2"
# Format 1 kept the events' payloads as the old server wrote them, ids and all: their ids cannot be
# told apart from this server's, so an import drops them (the words of the log stay).
FORMATS = (FORMAT, "drafting-room-archive/1")
MAX_BYTES = 2 * 1024 * 1024
DOCUMENT_COLUMNS = ("title", "symbol", "phase", "visibility", "quorum", "threshold", "block_prevents_consensus",
                    "hide_tallies", "style", "formula", "issuing_body", "session", "agenda_item", "distribution",
                    "issued_on", "original_language", "closing_meeting", "closing_date", "closing_place",
                    "last_amendment_number")
DATES = ("silence_started_at", "silence_deadline", "adopted_at", "published_at", "created_at")

# What an id in an event payload refers to, by key (services/*.py append the events). A key that looks
# like an id (…_id, …_ids) and is not listed here is dropped on export and import, never carried over
# as a number that means another row on the new server; tests/integration/test_archive.py walks every
# event type for such keys.
PAYLOAD_IDS = {
    "clause_id": "clause", "new_clause_id": "clause", "alternative_of": "clause", "merged_ids": "clause",
    "withdrawn_ids": "clause", "section_id": "section", "revision_id": "revision",
    "base_revision_id": "revision", "merged_from_id": "revision", "amendment_id": "amendment",
    "amendment_ids": "amendment", "comment_id": "comment", "version_id": "version",
    "objection_id": "objection", "reservation_id": "reservation", "author_id": "person",
}
# Where a key means different rows in different events.
PAYLOAD_IDS_BY_TYPE = {"clause.revised": {"parent_id": "revision"}, "comment.": {"parent_id": "comment"}}
# Payload values that hold ids inside: documents.numbering() and the renumbering's changes.
NUMBERING_KEYS = ("numbering",)
CLAUSE_KEYED = ("changes",)


def looks_like_id(key):
    return key in PAYLOAD_IDS or key.endswith(("_id", "_ids"))


def payload_kinds(event_type):
    """{key: kind of row} for the ids in payloads of this event type."""
    kinds = dict(PAYLOAD_IDS)
    for prefix, extra in PAYLOAD_IDS_BY_TYPE.items():
        if event_type == prefix or (prefix.endswith(".") and event_type.startswith(prefix)):
            kinds.update(extra)
    return kinds


def translate_payload(event_type, payload, ref):
    """The payload with every id replaced by ref(kind, id), and dropped where ref gives None.

    On export ref gives the row's place in the archive (people: their email); on import the new
    server's id for that place.
    """
    if not isinstance(payload, dict):
        return payload
    kinds = payload_kinds(event_type)
    result = {}
    for key, value in payload.items():
        if key in NUMBERING_KEYS and isinstance(value, dict):
            result[key] = _translate_numbering(value, ref)
        elif key in CLAUSE_KEYED and isinstance(value, dict):
            result[key] = _keyed(value, ref)
        elif looks_like_id(key):
            kind = kinds.get(key)
            if kind is None or value is None:
                result[key] = None
            elif isinstance(value, list):
                result[key] = [found for found in (ref(kind, v) for v in value) if found is not None]
            else:
                result[key] = ref(kind, value)
        else:
            result[key] = value
    return result


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _keyed(by_clause, ref):
    """{"<clause id>": value} with the keys translated (JSON keys are strings)."""
    result = {}
    for key, value in by_clause.items():
        found = ref("clause", _as_int(key))
        if found is not None:
            result[str(found)] = value
    return result


def _translate_numbering(numbering, ref):
    result = dict(numbering)
    if isinstance(numbering.get("order"), list):
        result["order"] = [[ref("section", section), [c for c in (ref("clause", i) for i in ids) if c is not None]]
                           for section, ids in numbering["order"] if ref("section", section) is not None]
    for key in ("numbers", "alt"):
        if isinstance(numbering.get(key), dict):
            result[key] = _keyed(numbering[key], ref)
    return result


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
            if user is None:
                return None
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

    comments = per_clause(Comment)
    reservations = per_clause(Reservation)
    objections = _rows(Objection, document_id=document.id)
    versions = _rows(Version, document_id=document.id)
    keys = {"section": section_key, "clause": clause_key, "revision": revision_key, "amendment": amendment_key,
            "comment": {c.id: i for i, c in enumerate(comments)},
            "reservation": {r.id: i for i, r in enumerate(reservations)},
            "objection": {o.id: i for i, o in enumerate(objections)},
            "version": {v.id: i for i, v in enumerate(versions)}}

    def ref(kind, value):
        if kind == "person":
            return person(value) if isinstance(value, int) else None
        return keys[kind].get(_as_int(value))

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
                     "last_comment_marker": c.last_comment_marker,
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
                          "text": r.text, "created_at": _when(r.created_at)} for r in reservations],
        "objections": [{"user": person(o.user_id), "text": o.text, "created_at": _when(o.created_at)}
                       for o in objections],
        "comments": [{"clause": clause_key[c.clause_id], "amendment": amendment_key.get(c.amendment_id),
                      "parent": keys["comment"].get(c.parent_id), "marker": c.marker, "author": person(c.author_id),
                      "body": c.body, "quote": c.quote, "quote_prefix": c.quote_prefix,
                      "quote_suffix": c.quote_suffix, "anchor_revision": revision_key.get(c.anchor_revision_id),
                      "anchor_start": c.anchor_start, "resolved_at": _when(c.resolved_at),
                      "resolved_by": person(c.resolved_by_id), "edited_at": _when(c.edited_at),
                      "deleted_at": _when(c.deleted_at), "created_at": _when(c.created_at)} for c in comments],
        "versions": [{"label": v.label, "created_by": person(v.created_by_id), "created_at": _when(v.created_at),
                      "entries": [{"clause": clause_key[e.clause_id], "revision": revision_key.get(e.revision_id),
                                   "section_title": e.section_title, "order": e.order, "number": e.number,
                                   "status": e.status} for e in v.entries]}
                     for v in versions],
        "events": [{"seq": e.seq, "type": e.type, "actor": person(e.actor_id),
                    "payload": translate_payload(e.type, e.payload, ref),
                    "created_at": _when(e.created_at)}
                   for e in db.session.execute(db.select(Event).filter_by(document_id=document.id)
                                               .order_by(Event.seq)).scalars()],
    }
    archive["people"] = sorted(people.values(), key=lambda p: p["email"])
    return archive


def is_archive(data):
    if not isinstance(data, bytes):
        return False
    return data[:200].lstrip().startswith(b"{") and any(f.encode() in data[:400] for f in FORMATS)


def load(data):
    if len(data) > MAX_BYTES:
        raise TooLarge(f"The archive is {len(data):,} bytes; the limit is {MAX_BYTES:,}.", field="file")
    try:
        archive = json.loads(data)
    except ValueError as error:
        raise ValidationError(f"The archive is not valid JSON ({error}).", field="file")
    if not isinstance(archive, dict) or archive.get("format") not in FORMATS:
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
        clause.last_comment_marker = int(c.get("last_comment_marker") or 0)
        db.session.add(clause)
        clauses.append(clause)
    db.session.flush()
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
    reservations = [Reservation(clause_id=clauses[r["clause"]].id, user_id=who(r["user"]), kind=r["kind"],
                                text=r["text"], created_at=_parse_when(r["created_at"]))
                    for r in archive["reservations"]]
    objections = [Objection(document_id=document.id, user_id=who(o["user"]), text=o["text"],
                            created_at=_parse_when(o["created_at"])) for o in archive["objections"]]
    db.session.add_all(reservations + objections)
    comments = _comments(archive.get("comments", []), clauses, amendments, revisions, who)
    versions = []
    for v in archive["versions"]:
        version = Version(document_id=document.id, label=v["label"], created_by_id=who(v["created_by"]),
                          created_at=_parse_when(v["created_at"]))
        version.entries = [VersionEntry(clause_id=clauses[e["clause"]].id,
                                        revision_id=revisions[e["revision"]].id if e["revision"] is not None else None,
                                        section_title=e["section_title"], order=e["order"], number=e["number"],
                                        status=e["status"]) for e in v["entries"]]
        db.session.add(version)
        versions.append(version)
    db.session.flush()
    rows = {"section": sections, "clause": clauses, "revision": revisions, "amendment": amendments,
            "comment": comments, "reservation": reservations, "objection": objections, "version": versions}

    def ref(kind, place):
        if archive["format"] != FORMAT:
            return None  # format 1: the old server's ids, which mean nothing here
        if kind == "person":
            return who(place) if isinstance(place, str) else None
        row = _at(rows[kind], place)
        return row.id if row is not None else None

    seq = 0
    for e in archive["events"]:
        seq = int(e["seq"])
        db.session.add(Event(document_id=document.id, seq=seq, type=e["type"], actor_id=who(e["actor"]),
                             payload=_rendered_here(translate_payload(e["type"], e["payload"], ref)),
                             created_at=_parse_when(e["created_at"])))
    document.last_seq = seq
    db.session.flush()
    events.append(document, "document.imported", actor, {"format": FORMAT, "clauses": len(clauses),
                                                          "revisions": len(revisions), "comments": len(comments),
                                                          "events": seq})
    return document


def _rendered_here(payload):
    """A payload's html made again from its own text (or comment body) by render_markdown.

    Pages apply an event's html as it comes (static/js/highlight.js): an archive's html is not
    trusted, whoever wrote it.
    """
    if isinstance(payload, dict) and payload.get("html"):
        source = payload.get("text") if isinstance(payload.get("text"), str) else payload.get("body")
        payload = dict(payload, html=str(render_markdown(source)) if isinstance(source, str) else "")
    return payload


def _at(rows, place):
    """The row at a place in the archive, or None for a place that is not one (never counted from the end)."""
    if isinstance(place, bool) or not isinstance(place, int) or not 0 <= place < len(rows):
        return None
    return rows[place]


def _comments(archived, clauses, amendments, revisions, who):
    """The threads as they were: replies under their comment, quotes anchored in the revision they quoted."""
    comments = []
    for c in archived:
        anchor = _at(revisions, c.get("anchor_revision"))
        amendment = _at(amendments, c.get("amendment"))
        body = c["body"] or ""
        comment = Comment(clause_id=clauses[c["clause"]].id, amendment_id=amendment.id if amendment else None,
                          marker=c.get("marker"), author_id=who(c.get("author")), body=body,
                          html=render_markdown(body) if body else "", quote=c.get("quote"),
                          quote_prefix=c.get("quote_prefix") or "", quote_suffix=c.get("quote_suffix") or "",
                          anchor_revision_id=anchor.id if anchor else None, anchor_start=c.get("anchor_start"),
                          resolved_at=_parse_when(c.get("resolved_at")), resolved_by_id=who(c.get("resolved_by")),
                          edited_at=_parse_when(c.get("edited_at")), deleted_at=_parse_when(c.get("deleted_at")),
                          created_at=_parse_when(c.get("created_at")))
        comments.append(comment)
    db.session.add_all(comments)
    db.session.flush()
    for c, comment in zip(archived, comments):
        if c.get("parent") is not None:
            parent = _at(comments, c["parent"])
            if parent is None or parent.clause_id != comment.clause_id:
                raise ValueError(f"comment {c['parent']} is not a thread on the same clause")
            comment.parent_id = parent.id
    return comments
