"""Rows as JSON, the shapes the API documents."""


def iso(value):
    return value.isoformat() + "Z" if value else None


def user_ref(user):
    return {"id": user.id, "name": user.name} if user is not None else None


def meeting(m, role=None):
    return {"id": m.id, "title": m.title, "subtitle": m.subtitle, "venue": m.venue,
            "starts_on": m.starts_on or None, "role": role.value if role else None,
            "time_zone": m.time_zone, "observers_follow_drafts": m.observers_follow_drafts,
            "documents": [{"id": d.id, "title": d.title, "phase": d.phase} for d in m.documents]}


def membership(ms):
    u = ms.user
    return {"id": ms.id, "user": {"id": u.id, "name": u.name, "email": u.email,
                                  "organisation": u.organisation, "stakeholder_group": u.stakeholder_group},
            "role": ms.role}


def revision(r):
    return {"id": r.id, "number": r.number, "parent_id": r.parent_id, "merged_from_id": r.merged_from_id,
            "text": r.text, "html": str(r.html), "rationale": r.rationale,
            "author": user_ref(r.author), "amendment_id": r.amendment_id,
            "accepted_by": user_ref(r.accepted_by), "created_at": iso(r.created_at)}


def clause(row, extra=None):
    c, r = row.clause, row.revision
    body = {"id": c.id, "section_id": c.section_id, "number": row.number, "kind": c.kind,
            "category": c.category, "status": c.status, "tags": c.tag_values,
            "revision_id": r.id if r else None, "text": r.text if r else "",
            "html": str(r.html) if r else "", "merged_into_id": c.merged_into_id}
    body.update(row.extra)
    body.update(extra or {})
    return body


def section(s):
    return {"id": s.id, "title": s.title, "kind": s.kind, "position": s.position}


def document(d, outline):
    return {
        "id": d.id, "meeting_id": d.meeting_id, "title": d.title, "symbol": d.symbol, "phase": d.phase,
        "visibility": d.visibility, "last_seq": d.last_seq,
        "rules": {"quorum": d.quorum, "threshold": d.threshold,
                  "block_prevents_consensus": d.block_prevents_consensus, "hide_tallies": d.hide_tallies},
        "sections": [dict(section(row.section), clauses=[clause(c) for c in row.clauses]) for row in outline],
    }


def event(e):
    return {"seq": e.seq, "type": e.type, "actor": user_ref(e.actor), "payload": e.payload,
            "at": iso(e.created_at)}
