"""The outbox for the site admin (what was sent, what waits, what failed) and one-click unsubscribe."""
from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from drafting.extensions import csrf
from drafting.services import mail, notifications
from drafting.services.permissions import require_admin

bp = Blueprint("mail", __name__)


@bp.route("/admin/outbox")
@login_required
def outbox():
    require_admin(current_user)
    state = request.args.get("state") if request.args.get("state") in mail.STATES else None
    return render_template("mail/outbox.html", mails=mail.outbox(current_user, state), counts=mail.counts(),
                           state=state, sending=mail.sending_enabled())


@bp.route("/admin/outbox/<int:mail_id>")
@login_required
def show(mail_id):
    item = mail.get(current_user, mail_id)
    return render_template("mail/show.html", mail=item, sending=mail.sending_enabled())


@bp.route("/admin/outbox/<int:mail_id>.html")
@login_required
def as_html(mail_id):
    """The mail's HTML part as a file, to open in a browser (it styles itself inline, as mail does)."""
    item = mail.get(current_user, mail_id)
    response = make_response(item.html_body)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename=mail-{item.id}.html"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.route("/admin/outbox/<int:mail_id>.eml")
@login_required
def as_eml(mail_id):
    """The whole mail as it is sent, headers and both parts, for a mail client to open."""
    item = mail.get(current_user, mail_id)
    response = make_response(mail.as_message(item).message().as_bytes(linesep="\r\n"))
    response.headers["Content-Type"] = "message/rfc822"
    response.headers["Content-Disposition"] = f"attachment; filename=mail-{item.id}.eml"
    return response


@bp.route("/admin/outbox/<int:mail_id>/resend", methods=["POST"])
@login_required
def resend(mail_id):
    item = mail.resend(current_user, mail_id)
    flash(f"The mail to {item.to_email} is queued again.", "success")
    return redirect(url_for("mail.outbox"))


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # one click from a mail client (RFC 8058): the signed link is the proof
def unsubscribe(token):
    user, meeting = notifications.unsubscription(token)
    if request.method == "POST":
        notifications.unsubscribe(token)
        return render_template("mail/unsubscribe.html", user=user, meeting=meeting, done=True)
    return render_template("mail/unsubscribe.html", user=user, meeting=meeting, done=False,
                           choice=notifications.choice_of(user.id, meeting.id))
