"""Meeting pages: the list, one meeting with its members and documents, and the chair's forms."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from drafting.domain import limits
from drafting.domain.vocabulary import Role
from drafting.models import Invitation
from drafting.services import documents, editorial, invitations, meetings, notifications
from drafting.services.permissions import require_admin, require_role
from drafting.web.errors import reshow
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
    if request.method == "POST":
        reshow(lambda error: render_template("meetings/new.html", error=error.message, form=request.form))
        meeting = meetings.create_meeting(current_user, field("title"), field("subtitle"),
                                          field("venue"), field("starts_on"), field("description"),
                                          field("time_zone") or "UTC")
        flash("The meeting is created. Invite its chair and members next.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/new.html", error=None, form=request.form)


def _page(meeting, errors=None, invitation_link=None, status=200):
    role = meetings.my_role(current_user, meeting)
    return render_template(
        "meetings/show.html", meeting=meeting, role=role,
        members=meetings.members(meeting), participation=meetings.participation(meeting),
        invitations=meetings.pending_invitations(meeting) if role == Role.CHAIR else [],
        documents=documents.documents_of(current_user, meeting), errors=errors or {},
        invitation_link=invitation_link, form=request.form,
        mail_choice=notifications.choice_of(current_user.id, meeting.id) if role else None,
        mail_choices=notifications.CHOICES,
    ), status


@bp.route("/meetings/<int:meeting_id>")
@login_required
def show(meeting_id):
    return _page(meetings.get_meeting(current_user, meeting_id))


@bp.route("/meetings/<int:meeting_id>/settings", methods=["POST"])
@login_required
def settings(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    reshow(lambda error: _page(meeting, errors={"settings": error.message}))
    meetings.set_settings(current_user, meeting, observers_follow_drafts=field("observers_follow_drafts") == "1",
                          time_zone=field("time_zone"))
    flash("The meeting's settings are saved.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/members", methods=["POST"])
@login_required
def invite(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    reshow(lambda error: _page(meeting, errors={"invite": error.message}))
    result, secret = meetings.invite(current_user, meeting, field("email"), field("role"))
    if isinstance(result, Invitation):
        link = public_url("accounts.accept", secret=secret)
        flash(f"An invitation is on its way to {result.email}. You may also pass this link on; it works "
              f"once, for {meetings.INVITATION_DAYS} days.", "success")
        return _page(meeting, invitation_link=link)
    flash(f"{result.user.name} has joined as {result.role}, and is told by mail.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/members/<int:membership_id>", methods=["POST"])
@login_required
def change_member(meeting_id, membership_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    reshow(lambda error: _page(meeting, errors={"members": error.message}))
    if field("action") == "remove":
        meetings.remove_member(current_user, meeting, membership_id)
        flash("The member is removed.", "success")
    else:
        meetings.change_role(current_user, meeting, membership_id, field("role"))
        flash("The role is changed.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke_invitation(meeting_id, invitation_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    meetings.revoke_invitation(current_user, meeting, invitation_id)
    flash("The invitation is revoked.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/terminology", methods=["POST"])
@login_required
def terminology(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    terms = editorial.set_terminology(current_user, meeting, field("terminology"))
    flash(f"The terminology list has {len(terms)} preferred term{'s' if len(terms) != 1 else ''}; "
          "the drafting checks use it from now on.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#terminology-h")


@bp.route("/meetings/<int:meeting_id>/documents", methods=["POST"])
@login_required
def create_document(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    reshow(lambda error: _page(meeting, errors={"document": error.message}))
    sections = [s.strip() for s in field("sections", "Preamble\nOperative part").splitlines() if s.strip()][:50]
    document = documents.create_document(current_user, meeting, field("title"), field("symbol"),
                                         sections=[limits.text(s, "Section title", limits.TITLE)
                                                   for s in sections])
    return redirect(url_for("documents.show", document_id=document.id))


# --- invitations: the list, resending, and inviting many from a CSV list ----------------------------

@bp.route("/meetings/<int:meeting_id>/invitations")
@login_required
def invitations_page(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    require_role(current_user, meeting, Role.CHAIR)
    rows = [(i, invitations.invitation_state(i)) for i in invitations.invitations_of(meeting)]
    return render_template("meetings/invitations.html", meeting=meeting, rows=rows)


@bp.route("/meetings/<int:meeting_id>/invitations/<int:invitation_id>/resend", methods=["POST"])
@login_required
def resend_invitation(meeting_id, invitation_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    invitation, _secret = invitations.resend(current_user, meeting, invitation_id)
    flash(f"The invitation is sent again to {invitation.email}, with a new link (the old one no longer works).",
          "success")
    return redirect(url_for("meetings.invitations_page", meeting_id=meeting.id))


def _csv_input():
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        return upload.read()
    return field("csv")


@bp.route("/meetings/<int:meeting_id>/invitations/import", methods=["GET", "POST"])
@login_required
def import_invitations(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    require_role(current_user, meeting, Role.CHAIR)
    if request.method == "GET":
        return render_template("meetings/import.html", meeting=meeting, listing=None, error=None, csv_text="")
    data = _csv_input()

    def again(error):
        listing = invitations.preview(current_user, meeting, data) if error.details.get("rows") else None
        text = data if isinstance(data, str) else ""
        return render_template("meetings/import.html", meeting=meeting, listing=listing, error=error.message,
                               csv_text=text), error.status

    reshow(again)
    if field("action") == "send":
        listing = invitations.send(current_user, meeting, data, leave_out_problems=bool(field("leave_out")))
        flash(f"{listing.count(invitations.INVITE)} invitation(s) sent and "
              f"{listing.count(invitations.ADD)} existing account(s) added.", "success")
        return redirect(url_for("meetings.invitations_page", meeting_id=meeting.id))
    listing = invitations.preview(current_user, meeting, data)
    text = invitations.decode(data)
    return render_template("meetings/import.html", meeting=meeting, listing=listing, error=None, csv_text=text)


@bp.route("/meetings/<int:meeting_id>/mail", methods=["POST"])
@login_required
def mail_choice(meeting_id):
    meeting = meetings.get_meeting(current_user, meeting_id)
    reshow(lambda error: _page(meeting, errors={"mail": error.message}))
    notifications.set_choice(current_user, meeting, field("choice"))
    flash(f"Mail for this meeting: {notifications.CHOICES[field('choice')].lower()}. "
          "Formal notices of the procedure always come.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))
