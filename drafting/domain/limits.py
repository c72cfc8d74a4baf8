"""Sizes that user input may not exceed, and the checks that say so."""
from drafting.domain import characters
from drafting.domain.errors import TooLarge, ValidationError

CLAUSE_TEXT = 20_000
TITLE = 300
NAME = 200
COMMENT = 10_000
RATIONALE = 5_000
EMAIL = 254
PASSWORD_MIN = characters.PASSWORD_MIN
PASSWORD_MAX = 200
# The largest id (or seq) an INTEGER column holds in PostgreSQL; larger numbers overflow the query.
MAX_ID = 2**31 - 1


def text(value, field, limit, required=True, too_large=False):
    """A stripped string within limit characters, or a ValidationError naming the field."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text.", field=field)
    value = characters.tidy_lines(value.replace("\r\n", "\n")).strip()
    unsafe = characters.xml_unsafe(value)
    if unsafe:
        raise ValidationError(f"{field} contains control characters that are not allowed "
                              f"({characters.describe(unsafe)}).", field=field)
    if required and not value:
        raise ValidationError(f"{field} must not be empty.", field=field)
    if len(value) > limit:
        error = TooLarge if too_large else ValidationError
        raise error(f"{field} is {len(value):,} characters long; the limit is {limit:,}.", field=field)
    return value


def clause_text(value, field="Clause text"):
    """A paragraph's text: text() within CLAUSE_TEXT (413 beyond), and no heading lines in it."""
    value = text(value, field, CLAUSE_TEXT, too_large=True)
    problem = characters.paragraph_text_problem(value)
    if problem:
        raise ValidationError(f"{field} {problem}", field="text")
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


def whole_number(value, field, minimum=0, maximum=MAX_ID):
    """An int from minimum to maximum, from JSON, a form or a query string: ASCII digits only (so "²",
    "٣" and a 20,000-digit string are refused, not crashed on), never a bool."""
    if isinstance(value, str):
        digits = value.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= len(str(maximum)):
            value = int(digits)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise ValidationError(f"{field} must be a whole number from {minimum} to {maximum}.", field=field)
    return value


def identifier(value, field):
    """An id (or seq) from input: a positive whole number within the database's range."""
    try:
        return whole_number(value, field, minimum=1)
    except ValidationError:
        raise ValidationError(f"{field} must be a positive whole number.", field=field) from None
