"""The outcome document: the reading page, its downloads, and starting a document from Markdown."""
import json
from datetime import date

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

from drafting.domain.un_text import render_block
from drafting.domain.vocabulary import ALL_TAGS, Role
from drafting.exports import akoma_ntoso, archive, docx, importer, markdown, pdf
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


def _filename(document, extension):
    stem = "".join(ch if ch.isalnum() else "-" for ch in (document.symbol or document.title)).strip("-")
    return f"{stem[:80] or 'outcome'}.{extension}"


def _download(document, body, mimetype, extension):
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{_filename(document, extension)}"'})


@bp.route("/documents/<int:document_id>/outcome")
def show(document_id):
    document, result = _outcome(document_id)
    return _page(document, result)


@bp.route("/documents/<int:document_id>/outcome.md")
def as_markdown(document_id):
    document, result = _outcome(document_id)
    return _download(document, markdown.render(result), "text/markdown; charset=utf-8", "md")


@bp.route("/documents/<int:document_id>/outcome.docx")
def as_docx(document_id):
    document, result = _outcome(document_id)
    return _download(document, docx.render(result), DOCX_TYPE, "docx")


@bp.route("/documents/<int:document_id>/outcome.pdf")
def as_pdf(document_id):
    document, result = _outcome(document_id)
    html = _page(document, result, printing=True)
    return _download(document, pdf.render(html, current_app.static_folder), "application/pdf", "pdf")


@bp.route("/documents/<int:document_id>/outcome.xml")
def as_akoma_ntoso(document_id):
    document, result = _outcome(document_id)
    body = akoma_ntoso.render(result, base_date=date.today().isoformat())
    return _download(document, body, "application/akn+xml", "xml")


@bp.route("/documents/<int:document_id>/archive.json")
def as_archive(document_id):
    """Everything the document carries, to move it to another server (chair)."""
    document = documents.get_document(current_user, document_id)
    body = json.dumps(archive.export(current_user, document), ensure_ascii=False, indent=1)
    return _download(document, body, "application/json", "archive.json")


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
