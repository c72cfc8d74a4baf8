"""The outcome document: the reading page, its downloads, and starting a document from Markdown."""
import json
import threading
from collections import OrderedDict
from datetime import date
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from drafting.domain import characters
from drafting.domain.un_text import render_block
from drafting.domain.vocabulary import ALL_TAGS, Role
from drafting.exports import akoma_ntoso, archive, docx, importer, markdown, pdf
from drafting.extensions import limiter
from drafting.services import documents, meetings, outcome
from drafting.services.permissions import require_role, role_in
from drafting.web.errors import reshow

bp = Blueprint("outcome", __name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _outcome(document_id):
    document = documents.get_document(current_user, document_id, outcome=True)
    tag = request.args.get("tag") or None
    return document, outcome.build(document, tag=tag if tag in ALL_TAGS else None)


def _page(document, result, printing=False):
    return render_template("outcome/show.html", document=document, outcome=result, printing=printing,
                           tag=request.args.get("tag") if request.args.get("tag") in ALL_TAGS else None,
                           role=role_in(current_user, document.meeting), render_block=render_block)


def content_disposition(name, ascii_name):
    """RFC 6266: `filename` in ASCII for every client, `filename*` (RFC 5987, UTF-8) with the real name."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


class ExportCache:
    """Exports made once per document version (its last seq) and reader, kept in this process.

    Rendering a long PDF costs seconds of CPU: without this every anonymous request paid it again.
    """

    def __init__(self, entries=64):
        self._entries = entries
        self._lock = threading.Lock()
        self._kept = OrderedDict()

    def get(self, key, make):
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        body = make()
        with self._lock:
            self._kept[key] = body
            while len(self._kept) > self._entries:
                self._kept.popitem(last=False)
        return body

    def clear(self):
        with self._lock:
            self._kept.clear()


def _download(document_id, extension, mimetype, render):
    """A download of the outcome document: permission checked, made once per version (and counted
    against RATELIMIT_DOWNLOADS by `downloads_limit`)."""
    document = documents.get_document(current_user, document_id, outcome=True)
    tag = request.args.get("tag") if request.args.get("tag") in ALL_TAGS else None
    reader = current_user.id if current_user.is_authenticated else None
    key = (document.id, document.last_seq, extension, tag, reader, date.today().isoformat())
    body = current_app.extensions["outcome_exports"].get(key, lambda: render(document, outcome.build(document, tag=tag)))
    return _attachment(document, body, mimetype, extension)


def _attachment(document, body, mimetype, extension):
    """The answer for a file about the document, named after its symbol or title in any script."""
    name, ascii_name = characters.download_name(document.symbol or document.title, extension)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": content_disposition(name, ascii_name)})


@bp.route("/documents/<int:document_id>/outcome")
def show(document_id):
    document, result = _outcome(document_id)
    return _page(document, result)


# Downloads per reader (or address): each costs a render when its version is new.
downloads_limit = limiter.shared_limit(lambda: current_app.config["RATELIMIT_DOWNLOADS"], scope="downloads")


@bp.route("/documents/<int:document_id>/outcome.md")
@downloads_limit
def as_markdown(document_id):
    return _download(document_id, "md", "text/markdown; charset=utf-8",
                     lambda document, result: markdown.render(result))


@bp.route("/documents/<int:document_id>/outcome.docx")
@downloads_limit
def as_docx(document_id):
    return _download(document_id, "docx", DOCX_TYPE, lambda document, result: docx.render(result))


@bp.route("/documents/<int:document_id>/outcome.pdf")
@downloads_limit
def as_pdf(document_id):
    return _download(document_id, "pdf", "application/pdf", lambda document, result: pdf.render(
        _page(document, result, printing=True), current_app.static_folder))


@bp.route("/documents/<int:document_id>/outcome.xml")
@downloads_limit
def as_akoma_ntoso(document_id):
    return _download(document_id, "xml", "application/akn+xml", lambda document, result: akoma_ntoso.render(
        result, base_date=date.today().isoformat()))


@bp.route("/documents/<int:document_id>/archive.json")
def as_archive(document_id):
    """Everything the document carries, to move it to another server (chair)."""
    document = documents.get_document(current_user, document_id)
    body = json.dumps(archive.export(current_user, document), ensure_ascii=False, indent=1)
    return _attachment(document, body, "application/json", "archive.json")


@bp.route("/meetings/<int:meeting_id>/import", methods=["GET", "POST"])
def import_document(meeting_id):
    """Preview what a UN text would become, then create the document from it."""
    meeting = meetings.get_meeting(current_user, meeting_id)
    if request.method == "POST":
        upload = request.files.get("file")
        text = request.form.get("text", "")
        data = upload.read() if upload and upload.filename else text.encode("utf-8")
        reshow(lambda error: _import_page(meeting, error.message, text=text))
        if request.form.get("action") == "preview":
            found = importer.preview(current_user, meeting, data)
            if found.kind != "docx" and not text:
                text = importer.decode(data)  # the text stays in the form, to create from it
            return _import_page(meeting, report=found.as_dict(), text=text)
        document, _found = importer.import_outcome(current_user, meeting, data, request.form.get("title", ""),
                                                   agreed=request.form.get("agreed") == "1")
        flash("The document is created from the text.", "success")
        return redirect(url_for("documents.show", document_id=document.id))
    require_role(current_user, meeting, Role.CHAIR)
    return _import_page(meeting)


def _import_page(meeting, error=None, report=None, text=""):
    return render_template("outcome/import.html", meeting=meeting, error=error, form=request.form, report=report,
                           text=text or request.form.get("text", ""))


def register(app):
    app.extensions["outcome_exports"] = ExportCache(app.config.get("OUTCOME_EXPORTS_KEPT", 64))
