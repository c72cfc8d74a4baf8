"""Sizes that user input may not exceed, and the checks that say so."""
from drafting.domain.errors import TooLarge, ValidationError

CLAUSE_TEXT = 20_000
TITLE = 300
NAME = 200
COMMENT = 10_000
RATIONALE = 5_000
EMAIL = 254
PASSWORD_MIN = 8
PASSWORD_MAX = 200
# The largest id (or seq) an INTEGER column holds in PostgreSQL; larger numbers overflow the query.
MAX_ID = 2**31 - 1


def _has_bad_characters(value):
    return any((ord(ch) < 32 and ch not in "\n\r\t") or 0xD800 <= ord(ch) <= 0xDFFF for ch in value)


def text(value, field, limit, required=True, too_large=False):
    """A stripped string within limit characters, or a ValidationError naming the field."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text.", field=field)
    value = value.replace("\r\n", "\n").strip()
    if _has_bad_characters(value):
        raise ValidationError(f"{field} contains control characters that are not allowed.", field=field)
    if required and not value:
        raise ValidationError(f"{field} must not be empty.", field=field)
    if len(value) > limit:
        error = TooLarge if too_large else ValidationError
        raise error(f"{field} is {len(value):,} characters long; the limit is {limit:,}.", field=field)
    return value


def flag(value, field):
    if isinstance(value, bool):
        return value
    raise ValidationError(f"{field} must be true or false.", field=field)


def share(value, field):
    """A share between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValidationError(f"{field} must be a number from 0 to 1.", field=field)
    return float(value)


def identifier(value, field):
    if isinstance(value, bool):
        raise ValidationError(f"{field} must be a whole number.", field=field)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or value <= 0 or value > MAX_ID:
        raise ValidationError(f"{field} must be a positive whole number.", field=field)
    return value
