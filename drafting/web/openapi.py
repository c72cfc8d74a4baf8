"""The OpenAPI 3.1 description of /api/v1, built from one table of operations."""
from drafting.domain.limits import MAX_ID
from drafting.domain.vocabulary import ALL_TAGS, Category, ClauseKind, Phase, Role

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}}}

ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
TEXT = {"type": "string", "minLength": 1, "maxLength": 20000}
TITLE = {"type": "string", "minLength": 1, "maxLength": 300}
SHARE = {"type": "number", "minimum": 0, "maximum": 1}


def obj(required=(), **props):
    return {"type": "object", "required": list(required), "properties": props}


# What answers hold: every listed key is always there (nullable ones may be null); more may follow.
def shape(**props):
    return {"type": "object", "required": list(props), "properties": props}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def array(items):
    return {"type": "array", "items": items}


STRING = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
WHEN = nullable({"type": "string", "format": "date-time"})
REF = nullable(shape(id=ID, name=STRING))
ANY_OBJECT = {"type": "object"}
TALLY = shape(hidden=BOOL, state=nullable(STRING), agree=nullable(INT), abstain=nullable(INT),
              disagree=nullable(INT), block=nullable(INT), stale=nullable(INT), voted=nullable(INT),
              eligible=INT)
MEETING = shape(id=ID, title=STRING, subtitle=STRING, venue=STRING, starts_on=nullable(STRING),
                role=nullable({"type": "string", "enum": Role.values()}),
                documents=array(shape(id=ID, title=STRING, phase={"type": "string", "enum": Phase.values()})))
MEMBER = shape(id=ID, role={"type": "string", "enum": Role.values()},
               user=shape(id=ID, name=STRING, email=STRING, organisation=STRING, stakeholder_group=nullable(STRING)))
REVISION = shape(id=ID, number=INT, parent_id=nullable(ID), merged_from_id=nullable(ID), text=STRING, html=STRING,
                 rationale=nullable(STRING), author=REF, amendment_id=nullable(ID), accepted_by=REF, created_at=WHEN)
CLAUSE = shape(id=ID, section_id=ID, number=nullable({"type": ["string", "integer"]}),
               kind={"type": "string", "enum": ClauseKind.values()},
               category={"type": "string", "enum": Category.values()}, status=STRING, tags=array(STRING),
               revision_id=nullable(ID), text=STRING, html=STRING, merged_into_id=nullable(ID))
SECTION = shape(id=ID, title=STRING, kind=STRING, position=INT)
RULES = shape(quorum=SHARE, threshold=SHARE, block_prevents_consensus=BOOL, hide_tallies=BOOL)
DOCUMENT = shape(id=ID, meeting_id=ID, title=STRING, symbol=STRING, phase={"type": "string", "enum": Phase.values()},
                 visibility=STRING, last_seq={"type": "integer", "minimum": 0}, rules=RULES,
                 sections=array({"allOf": [SECTION, shape(clauses=array(CLAUSE))]}))
EVENT = shape(seq={"type": "integer", "minimum": 1}, type=STRING, actor=REF, payload=ANY_OBJECT, at=WHEN)
COMMENT = shape(id=ID, clause_id=ID, amendment_id=nullable(ID), parent_id=nullable(ID), author=REF, body=STRING,
                html=STRING, deleted=BOOL, edited_at=WHEN, created_at=WHEN, resolved=BOOL, resolved_at=WHEN)
VOTE = shape(user=REF, position=STRING, reason=nullable(STRING), revision_id=nullable(ID), stale=BOOL,
             updated_at=WHEN)
AMENDMENT = shape(id=ID, clause_id=ID, base_revision_id=nullable(ID), text=STRING, rationale=nullable(STRING),
                  status=STRING, author=REF, decided_by=REF, decided_at=WHEN, created_at=WHEN, votes=ANY_OBJECT)
PROCEDURE = shape(id=ID, phase=STRING, visibility=STRING, silence_started_at=WHEN, silence_deadline=WHEN,
                  adopted_at=WHEN, published_at=WHEN, objections=array(shape(id=ID, user=REF, text=STRING, created_at=WHEN)),
                  reservations=array(shape(id=ID, clause_id=ID, user=REF, kind=STRING, text=STRING, created_at=WHEN)))
VERSION = shape(id=ID, label=STRING, created_at=WHEN, created_by=REF, clauses=INT)
SPAN = shape(op=STRING, text=STRING)

RESPONSES = {
    ("get", "/meetings"): shape(meetings=array(MEETING)),
    ("post", "/meetings"): MEETING,
    ("get", "/meetings/{meeting_id}"): {"allOf": [MEETING, shape(members=array(MEMBER))]},
    ("post", "/meetings/{meeting_id}/members"): {"oneOf": [
        shape(member=MEMBER),
        shape(invitation=shape(id=ID, email=STRING, role=STRING, expires_at=WHEN, url=STRING))]},
    ("put", "/meetings/{meeting_id}/members/{membership_id}"): shape(member=MEMBER),
    ("post", "/meetings/{meeting_id}/documents"): DOCUMENT,
    ("post", "/meetings/{meeting_id}/documents/import"): DOCUMENT,
    ("get", "/documents/{document_id}"): DOCUMENT,
    ("post", "/documents/{document_id}/sections"): SECTION,
    ("post", "/documents/{document_id}/clauses"): CLAUSE,
    ("get", "/clauses/{clause_id}"): CLAUSE,
    ("put", "/clauses/{clause_id}/tags"): CLAUSE,
    ("get", "/clauses/{clause_id}/revisions"): shape(revisions=array(REVISION), head_revision_id=nullable(ID)),
    ("post", "/clauses/{clause_id}/revisions"): REVISION,
    ("post", "/documents/{document_id}/phase"): shape(id=ID, phase={"type": "string", "enum": Phase.values()}),
    ("put", "/documents/{document_id}/rules"): RULES,
    ("get", "/documents/{document_id}/events"): shape(events=array(EVENT), last_seq={"type": "integer", "minimum": 0}),
    ("get", "/clauses/{clause_id}/comments"): shape(clause_id=ID, revision_id=nullable(ID),
                                                   threads=array({"allOf": [COMMENT, shape(replies=array(COMMENT))]})),
    ("post", "/clauses/{clause_id}/comments"): COMMENT,
    ("put", "/comments/{comment_id}"): COMMENT,
    ("post", "/comments/{comment_id}/resolve"): COMMENT,
    ("post", "/comments/{comment_id}/reopen"): COMMENT,
    ("get", "/clauses/{clause_id}/votes"): shape(clause_id=ID, revision_id=nullable(ID), tally=TALLY,
                                                mine=nullable(VOTE), votes=array(VOTE)),
    ("put", "/clauses/{clause_id}/vote"): shape(vote=VOTE, tally=TALLY),
    ("post", "/clauses/{clause_id}/vote/confirm"): shape(vote=VOTE, tally=TALLY),
    ("post", "/clauses/{clause_id}/declare"): shape(id=ID, clause_id=ID, declared=STRING, tally=ANY_OBJECT,
                                                   declared_by=REF),
    ("get", "/clauses/{clause_id}/amendments"): shape(clause_id=ID, amendments=array(AMENDMENT)),
    ("post", "/clauses/{clause_id}/amendments"): AMENDMENT,
    ("post", "/amendments/{amendment_id}/accept"): AMENDMENT,
    ("post", "/amendments/{amendment_id}/reject"): AMENDMENT,
    ("post", "/amendments/{amendment_id}/withdraw"): AMENDMENT,
    ("put", "/amendments/{amendment_id}/vote"): AMENDMENT,
    ("get", "/documents/{document_id}/dashboard"): shape(
        document_id=ID, by_state=ANY_OBJECT, by_status=ANY_OBJECT,
        clauses=array(shape(id=ID, label=STRING, status=STRING, tally=ANY_OBJECT)), attention=shape(
            blocked=array(ID), stale_votes=array(ID), open_amendments=ANY_OBJECT, unresolved_comments=ANY_OBJECT)),
    ("get", "/notifications"): shape(unread=INT, notifications=array(shape(
        id=ID, kind=STRING, message=STRING, url=nullable(STRING), document_id=nullable(ID), created_at=WHEN, read=BOOL))),
    ("post", "/notifications/read"): shape(marked_read=INT, unread=INT),
    ("get", "/clauses/{clause_id}/diff"): shape(clause_id=ID, **{"from": nullable(REVISION), "to": REVISION},
                                               unchanged=BOOL, spans=array(SPAN)),
    ("get", "/clauses/{clause_id}/authorship"): shape(
        clause_id=ID, revision_id=nullable(ID),
        authors=array(shape(id=nullable(INT), name=STRING, initials=STRING, characters=INT)),
        spans=array(shape(text=STRING, revision_id=ID, revision_number=INT,
                          author=shape(id=nullable(INT), name=STRING)))),
    ("get", "/documents/{document_id}/versions"): shape(versions=array(VERSION)),
    ("post", "/documents/{document_id}/versions"): VERSION,
    ("get", "/documents/{document_id}/compare"): shape(document_id=ID, **{"from": ANY_OBJECT, "to": ANY_OBJECT},
                                                       clauses=array(shape(clause_id=ID, changes=array(STRING)))),
    ("get", "/documents/{document_id}/procedure"): PROCEDURE,
    ("post", "/documents/{document_id}/silence"): PROCEDURE,
    ("post", "/documents/{document_id}/objections"): shape(id=ID, text=STRING, phase=STRING),
    ("post", "/documents/{document_id}/adopt"): PROCEDURE,
    ("post", "/documents/{document_id}/publish"): PROCEDURE,
    ("post", "/documents/{document_id}/renumber"): shape(changes=ANY_OBJECT),
    ("post", "/documents/{document_id}/merge"): CLAUSE,
    ("post", "/clauses/{clause_id}/compromise"): REVISION,
    ("post", "/clauses/{clause_id}/split"): shape(clause=CLAUSE, new_clause=CLAUSE),
    ("post", "/clauses/{clause_id}/move"): CLAUSE,
    ("post", "/clauses/{clause_id}/bracket"): CLAUSE,
    ("post", "/clauses/{clause_id}/alternatives"): CLAUSE,
    ("post", "/clauses/{clause_id}/choose"): CLAUSE,
    ("post", "/clauses/{clause_id}/reservations"): shape(id=ID, clause_id=ID, kind=STRING, text=STRING),
    ("post", "/clauses/{clause_id}/merge"): shape(clean=BOOL, merged=STRING, conflicts=INT, head=REVISION),
}


# method, path, summary, request body schema or None, success status (or a tuple of them)
OPERATIONS = [
    ("get", "/meetings", "Meetings the caller can see", None, 200),
    ("post", "/meetings", "Create a meeting (site admin)",
     obj(["title"], title=TITLE, subtitle={"type": "string", "maxLength": 300},
         venue={"type": "string", "maxLength": 200}, starts_on={"type": "string", "format": "date"},
         description={"type": "string", "maxLength": 10000}), 201),
    ("get", "/meetings/{meeting_id}", "A meeting with its members", None, 200),
    ("post", "/meetings/{meeting_id}/members",
     "Add a member (chair): an existing account joins at once, an unknown email gets an invitation",
     obj(["email", "role"], email={"type": "string", "format": "email"},
         role={"type": "string", "enum": Role.values()}), 201),
    ("put", "/meetings/{meeting_id}/members/{membership_id}", "Change a member's role (chair)",
     obj(["role"], role={"type": "string", "enum": Role.values()}), 200),
    ("delete", "/meetings/{meeting_id}/members/{membership_id}", "Remove a member (chair)", None, 204),
    ("post", "/meetings/{meeting_id}/documents", "Create a document (chair)",
     obj(["title"], title=TITLE, symbol={"type": "string", "maxLength": 100},
         sections={"type": "array", "items": TITLE, "maxItems": 50}), 201),
    ("get", "/documents/{document_id}", "Sections and clauses: text, revision_id, status, tally", None, 200),
    ("post", "/documents/{document_id}/sections", "Add a section", obj(["title"], title=TITLE), 201),
    ("post", "/documents/{document_id}/clauses", "Add a clause",
     obj(["section_id", "kind", "category", "text"], section_id=ID,
         kind={"type": "string", "enum": ClauseKind.values()},
         category={"type": "string", "enum": Category.values()}, text=TEXT,
         tags={"type": "array", "items": {"type": "string", "enum": ALL_TAGS}},
         rationale={"type": "string", "maxLength": 5000}), 201),
    ("get", "/clauses/{clause_id}", "One clause", None, 200),
    ("put", "/clauses/{clause_id}/tags", "Set a clause's tags",
     obj(["tags"], tags={"type": "array", "items": {"type": "string", "enum": ALL_TAGS}}), 200),
    ("get", "/clauses/{clause_id}/revisions", "Every revision of a clause", None, 200),
    ("post", "/clauses/{clause_id}/revisions",
     "Save new text on top of base_revision_id: 201, 200 when unchanged, 409 on a conflict",
     obj(["base_revision_id", "text"], base_revision_id=ID, text=TEXT,
         rationale={"type": "string", "maxLength": 5000}), (201, 200)),
    ("post", "/documents/{document_id}/phase", "Move the document to a phase (chair)",
     obj(["phase"], phase={"type": "string", "enum": Phase.values()}), 200),
    ("put", "/documents/{document_id}/rules", "Set the consensus rules (chair)",
     obj(["quorum", "threshold", "block_prevents_consensus", "hide_tallies"], quorum=SHARE,
         threshold=SHARE, block_prevents_consensus={"type": "boolean"}, hide_tallies={"type": "boolean"}), 200),
    ("get", "/documents/{document_id}/events", "The audit trail after a seq, in order", None, 200),
]

QUERY = {
    "/documents/{document_id}/events": [
        {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
    ],
}



def register_operation(method, path, summary, request_body=None, status=200, query=None):
    """Later features add their operations here so that the description stays complete."""
    OPERATIONS.append((method, path, summary, request_body, status))
    if query:
        QUERY[path] = query


def spec():
    paths = {}
    for method, path, summary, request_body, status in OPERATIONS:
        parameters = [{"name": name.strip("{}"), "in": "path", "required": True, "schema": ID}
                      for name in path.split("/") if name.startswith("{")]
        parameters += QUERY.get(path, []) if method == "get" else []
        operation = {
            "summary": summary,
            "operationId": f"{method}_{path.strip('/').replace('/', '_').replace('{', '').replace('}', '')}",
            "parameters": parameters,
            "responses": {
                **{str(s): {"description": "Success",
                            **({} if s == 204 else {"content": {"application/json": {
                                "schema": RESPONSES.get((method, path), ANY_OBJECT)}}})}
                   for s in (status if isinstance(status, tuple) else (status,))},
                "default": {"description": "An error", "content": {"application/json": {"schema": ERROR}}},
            },
        }
        if request_body is not None:
            operation["requestBody"] = {"required": True,
                                        "content": {"application/json": {"schema": request_body}}}
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Drafting Room API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    }
