"""Reading requests safely: ids in URLs within the database's range, JSON bodies that cannot crash.

Both apply to every route, including routes added later, so no handler has to remember them.
"""
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

from drafting.domain.limits import MAX_ID


class IdConverter(IntegerConverter):
    """<int:…> in a URL: a number above MAX_ID matches no route (404) instead of overflowing a query."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _not_json(constant):
    raise ValueError(f"{constant} is not a JSON number.")


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing NaN and Infinity and turning too deep nesting into a parse error."""

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_constant", _not_json)
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("The JSON is nested too deeply.") from None


def register(app):
    """Call before any blueprint is registered: rules bind their converters when added."""
    app.url_map.converters["int"] = IdConverter
    app.json = JSONProvider(app)
