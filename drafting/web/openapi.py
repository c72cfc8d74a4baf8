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
                            **({} if s == 204 else {"content": {"application/json": {"schema": {"type": "object"}}}})}
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
