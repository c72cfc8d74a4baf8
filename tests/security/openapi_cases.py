"""Hypothesis strategies for API requests, drawn from the OpenAPI description: valid, nearly valid and junk."""
import json
from urllib.parse import quote

from hypothesis import strategies as st

# Any character at all, lone surrogates and control characters included.
ANY_CHARACTER = st.characters(exclude_categories=())
JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(ANY_CHARACTER, max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=8,
)


@st.composite
def ids(draw, known, name):
    """An id for `name` (clause_id, base_revision_id …): three times in four one that exists, else
    small, zero, negative or far beyond any table."""
    if draw(st.integers(0, 3)):
        return draw(st.sampled_from(known(name) or [1]))
    return draw(st.one_of(st.integers(0, 60), st.integers(-5, 2**70)))


def known_ids(tables):
    """name -> ids that exist, from {table: ids}: clause_id → clauses, base_revision_id →
    clause_revisions, by the word before _id; any other name gets every id."""
    every = sorted(set().union(*tables.values()))

    def lookup(name):
        word = name.removesuffix("_id").split("_")[-1]
        for table, values in tables.items():
            if table.rstrip("s") == word or table.endswith(word + "s"):
                return sorted(values)
        return every

    return lookup


def value(schema, known_ids, name=""):
    """A value for `schema`, or (now and then) something of the wrong type."""
    return st.integers(0, 4).flatmap(lambda n: _valid(schema, known_ids, name) if n else JUNK)


def _valid(schema, known_ids, name=""):
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        limit = schema.get("maxLength", 200)
        return st.one_of(
            st.text(ANY_CHARACTER, min_size=schema.get("minLength", 0), max_size=min(limit, 60)),
            st.text(max_size=min(limit, 60)).map(str.strip),
            st.just("x" * (limit + 1)),
            st.emails() if schema.get("format") == "email" else st.just("2016-07-21"),
        )
    if kind == "integer":
        return ids(known_ids, name)
    if kind == "number":
        return st.floats(-2, 3, allow_nan=False) | st.integers(-2, 3) | st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(_valid(schema.get("items", {}), known_ids), max_size=schema.get("maxItems", 5) + 2)
    if kind == "object":
        return body(schema, known_ids)
    return JUNK


@st.composite
def body(draw, schema, known_ids):
    """An object with the required properties (sometimes one missing), some optional ones, and extras."""
    properties = schema.get("properties", {})
    required = [name for name in schema.get("required", []) if name in properties]
    chosen = set(required)
    if required and draw(st.integers(0, 5)) == 0:
        chosen.discard(draw(st.sampled_from(required)))
    chosen |= set(draw(st.lists(st.sampled_from(sorted(properties)), max_size=len(properties)))) if properties else set()
    data = {name: draw(value(properties[name], known_ids, name)) for name in sorted(chosen)}
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.text(max_size=10))] = draw(JUNK)
    return data


@st.composite
def request(draw, path, method, operation, known_ids, callers):
    """(caller, method, url, raw body or None, content type) for one operation."""
    url = "/api/v1" + path
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        if parameter["in"] == "path":
            if draw(st.integers(0, 7)):
                part = str(draw(ids(known_ids, name)))
            else:
                part = draw(st.text(ANY_CHARACTER, min_size=1, max_size=12))
            url = url.replace("{" + name + "}", quote(part.encode("utf-8", "surrogatepass"), safe=""))
    query = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and draw(st.booleans()):
            query[parameter["name"]] = draw(st.one_of(st.integers(-3, 2**70).map(str), st.text(max_size=8)))
    if query:
        url += "?" + "&".join(f"{k}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in query.items())
    raw, content_type = None, None
    schema = (operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema"))
    if schema is not None:
        shape = draw(st.integers(0, 19))
        if shape == 0:
            raw, content_type = draw(st.binary(max_size=40)), "application/json"
        elif shape == 1:
            raw, content_type = json.dumps(draw(JUNK)), "application/json"
        elif shape == 2:
            raw, content_type = "title=x", "application/x-www-form-urlencoded"
        else:
            raw, content_type = json.dumps(draw(body(schema, known_ids))), "application/json"
    return draw(st.sampled_from(callers)), method, url, raw, content_type
