"""Signing in and out, one's own account, API tokens, sessions, accepting an invitation."""
from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from drafting.domain import limits
from drafting.domain.errors import ValidationError
from drafting.extensions import login_manager
from drafting.models import utcnow
from drafting.services import accounts, meetings, sessions
from drafting.web import sign_in_throttle
from drafting.web.errors import reshow
from drafting.web.forms import field, safe_next
from drafting.web.sessions import sign_in, sign_out

bp = Blueprint("accounts", __name__)


def register(app):
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.args.get("next"), url_for("meetings.index"))
    if request.method == "POST":
        email = field("email")
        sign_in_throttle.check(email)
        user = accounts.authenticate(email, field("password"))
        if user is None:
            sign_in_throttle.failed(email)
            return render_template("accounts/login.html", error="The email or password is not right.",
                                   email=email, next=next_url), 401
        sign_in_throttle.succeeded(email)
        sign_in(user, remember=bool(field("remember")))
        return redirect(next_url)
    return render_template("accounts/login.html", next=next_url, email="")


@bp.route("/logout", methods=["POST"])
def logout():
    sign_out()
    flash("You are signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    new_token = None
    if request.method == "POST":
        action = field("action")
        reshow(lambda error: account_page(errors={action: error.message}))
        user = current_user._get_current_object()
        if action == "profile":
            accounts.update_profile(user, field("name"), field("organisation"), field("stakeholder_group"))
            flash("Your profile is saved.", "success")
        elif action == "password":
            if field("new_password") != field("confirm_password"):
                raise ValidationError("The new password and its confirmation differ.", field="confirm_password")
            accounts.change_password(user, field("current_password"), field("new_password"))
            sign_in(user, remember=session.permanent)  # every other session has ended
            flash("Your password is changed. Every other place you were signed in is signed out.", "success")
        elif action == "token":
            new_token = accounts.issue_token(user, field("label"), field("expires_in_days") or None)
        elif action == "revoke":
            accounts.revoke_token(user, limits.identifier(field("token_id"), "token_id"))
            flash("The token is revoked.", "success")
        elif action == "end_session":
            sessions.end_one(user, limits.identifier(field("session_id"), "session_id"))
            flash("That session is signed out.", "success")
        elif action == "sign_out_everywhere":
            sessions.end_all_sessions(user)
            sign_out()
            flash("You are signed out everywhere, on this device too.", "info")
            return redirect(url_for("accounts.login"))
        if new_token is None:
            return redirect(url_for("accounts.account"))
    return account_page(new_token=new_token)


def account_page(errors=None, new_token=None):
    """The signed-in person's account page: tokens and sessions, with any errors of its forms."""
    return render_template("accounts/account.html", errors=errors or {}, new_token=new_token,
                           tokens=accounts.tokens_of(current_user), lifetimes=accounts.TOKEN_LIFETIMES,
                           sessions=sessions.sessions_of(current_user), this_session=g.get("user_session"),
                           device=sessions.device, now=utcnow())


@bp.route("/invitations/<secret>", methods=["GET", "POST"])
def accept(secret):
    invitation = meetings.invitation_for(secret)
    if request.method == "POST":
        reshow(lambda error: _accept_page(invitation, error.message))
        if field("password") != field("confirm_password"):
            raise ValidationError("The password and its confirmation differ.", field="confirm_password")
        user, meeting = meetings.accept_invitation(
            secret, field("name"), field("password"), field("organisation"), field("stakeholder_group"))
        sign_in(user)
        flash(f"Welcome, {user.name}. You have joined as {invitation.role}.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return _accept_page(invitation)


def _accept_page(invitation, error=None):
    return render_template("accounts/accept.html", invitation=invitation, error=error, form=request.form)
