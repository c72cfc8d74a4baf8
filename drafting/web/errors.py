"""Domain errors and HTTP errors as clear answers, in one place: JSON under /api, a page elsewhere.

Handlers do not catch domain errors. A form's handler says how its page is shown again with the
error (`reshow`); without one, or for errors of access (401, 403), the person gets the status page.
"""
from flask import g, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from drafting.domain.errors import DomainError, Forbidden, NotSignedIn
from drafting.extensions import db
from drafting.web import rate_limits


def reshow(page):
    """If a domain error stops this request, answer page(error) with the error's status: the form
    again, with what the person typed and the message. Errors of access are not re-shown."""
    g.reshow = page


def wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def json_error(status, code, message, field=None, details=None, headers=None):
    body = {"error": {"code": code, "message": message}}
    if field:
        body["error"]["field"] = field
    if details:
        body["error"].update(details)
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def register(app):
    @app.errorhandler(DomainError)
    def domain_error(error):
        db.session.rollback()
        if wants_json():
            return json_error(error.status, error.code, error.message, error.field, error.details)
        if isinstance(error, NotSignedIn):
            return redirect(url_for("accounts.login", next=request.full_path))
        page = g.pop("reshow", None)
        if page is not None and not isinstance(error, Forbidden):
            response = app.make_response(page(error))
            response.status_code = error.status
            return response
        return render_template("errors/error.html", status=error.status, message=error.message), error.status

    @app.errorhandler(HTTPException)
    def http_error(error):
        db.session.rollback()
        message = {
            400: "The request could not be understood.",
            404: "There is nothing at this address.",
            405: "This address does not accept that method.",
            413: "The request is too large.",
            429: "Too many requests: please wait a moment and try again.",
        }.get(error.code, error.description)
        if error.code == 400 and error.description and "CSRF" in error.description:
            message = "The form expired or was sent from elsewhere. Reload the page and try again."
        # What the exception says of itself beyond its page: Allow on a 405, for one.
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        if error.code == 429:
            seconds = rate_limits.retry_after(error)
            headers["Retry-After"] = str(seconds)
            message = f"Too many requests: please wait {seconds} second{'s' if seconds != 1 else ''} and try again."
        if wants_json():
            code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
                    413: "too_large", 429: "rate_limited"}.get(error.code, "error")
            return json_error(error.code, code, message, headers=headers)
        response = app.make_response(
            (render_template("errors/error.html", status=error.code, message=message), error.code))
        response.headers.update(headers)
        return response

    @app.errorhandler(Exception)
    def unexpected(error):
        db.session.rollback()
        app.logger.exception("Unexpected error on %s %s", request.method, request.path)
        if wants_json():
            return json_error(500, "internal", "Something went wrong on the server.")
        return render_template("errors/error.html", status=500,
                               message="Something went wrong on the server."), 500
