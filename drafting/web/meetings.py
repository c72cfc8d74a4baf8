"""Meeting pages: the list, one meeting with its members and documents, and the chair's forms."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from drafting.boundary import commit
from drafting.domain import limits
from drafting.domain.errors import DomainError
from drafting.domain.vocabulary import Role
from drafting.extensions import db
from drafting.models import Invitation
from drafting.services import documents, meetings
from drafting.services.permissions import require_admin
from drafting.web.forms import field
from drafting.web.headers import public_url

bp = Blueprint("meetings", __name__)


@bp.route("/")
@login_required
def index():
    return render_template("meetings/index.html", meetings=meetings.visible_meetings(current_user))


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new():
    require_admin(current_user)
    error = None
    if request.method == "POST":
        try:
            meeting = meetings.create_meeting(current_user, field("title"), field("subtitle"),
                                              field("venue"), field("starts_on"), field("description"))
            commit()
            flash("The meeting is created. Invite its chair and members next.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
        except DomainError as err:
            db.session.rollback()
            error = err.message
    return render_template("meetings/new.html", error=error, form=request.form), (422 if error else 200)


def _page(meeting, errors=None, invitation_link=None, status=200):
    role = meetings.my_role(current_user, meeting)
    return render_template(
        "meetings/show.html", meeting=meeting, role=role,
        members=meetings.members(meeting), participation=meetings.participation(meeting),
        invitations=meetings.pending_invitations(meeting) if role == Role.CHAIR else [],
        documents=documents.documents_of(current_user, meeting), errors=errors or {},
        invitation_link=invitation_link, form=request.form,
    ), status


@bp.route("/meetings/<int:meeting_id>")
@login_required
def show(meeting_id):
    return _page(meetings.get_meeting(current_user, meeting_id))


@bp.route("/meetings/<int:meeting_id>/members", methods=["POST"])
@login_required
def invite(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    try:
        result, secret = meetings.invite(current_user, meeting, field("email"), field("role"))
        commit()
    except DomainError as err:
        db.session.rollback()
        if err.status == 403:
            raise
        return _page(meeting, errors={"invite": err.message}, status=422)
    if isinstance(result, Invitation):
        link = public_url("accounts.accept", secret=secret)
        flash(f"Invitation created for {result.email}. Pass this link on; it works once, "
              f"for {meetings.INVITATION_DAYS} days.", "success")
        return _page(meeting, invitation_link=link)
    flash(f"{result.user.name} has joined as {result.role}.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/members/<int:membership_id>", methods=["POST"])
@login_required
def change_member(meeting_id, membership_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    try:
        if field("action") == "remove":
            meetings.remove_member(current_user, meeting, membership_id)
            flash("The member is removed.", "success")
        else:
            meetings.change_role(current_user, meeting, membership_id, field("role"))
            flash("The role is changed.", "success")
        commit()
    except DomainError as err:
        db.session.rollback()
        if err.status in (403, 404):
            raise
        return _page(meeting, errors={"members": err.message}, status=err.status)
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke_invitation(meeting_id, invitation_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    meetings.revoke_invitation(current_user, meeting, invitation_id)
    commit()
    flash("The invitation is revoked.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/documents", methods=["POST"])
@login_required
def create_document(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    try:
        sections = [s.strip() for s in field("sections", "Preamble\nOperative part").splitlines() if s.strip()]
        if len(sections) > 50:
            sections = sections[:50]
        document = documents.create_document(current_user, meeting, field("title"), field("symbol"),
                                             sections=[limits.text(s, "Section title", limits.TITLE)
                                                       for s in sections])
        commit()
    except DomainError as err:
        db.session.rollback()
        if err.status == 403:
            raise
        return _page(meeting, errors={"document": err.message}, status=422)
    return redirect(url_for("documents.show", document_id=document.id))
