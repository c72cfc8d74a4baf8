"""Errors a user can cause. web/errors.py maps each to its HTTP status and socket reply."""


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message, field=None, details=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}


class ValidationError(DomainError):
    status = 422
    code = "invalid"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotSignedIn(DomainError):
    status = 401
    code = "not_signed_in"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooLarge(DomainError):
    status = 413
    code = "too_large"


class WrongPhase(DomainError):
    """The action is not allowed in the document's current phase."""

    status = 409
    code = "wrong_phase"
