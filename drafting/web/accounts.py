"""Signing in and out, one's own account, API tokens, accepting an invitation."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from drafting.domain import limits
from drafting.domain.errors import ValidationError
from drafting.extensions import db, login_manager
from drafting.models import User
from drafting.services import accounts, meetings
from drafting.web import rate_limits
from drafting.web.errors import reshow
from drafting.web.forms import field, safe_next

bp = Blueprint("accounts", __name__)


def register(app):
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id):
        return db.session.get(User, int(user_id)) if str(user_id).isdigit() else None

    @login_manager.request_loader
    def load_from_token(req):
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        return accounts.user_for_token(header[7:].strip())


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.args.get("next"), url_for("meetings.index"))
    if request.method == "POST":
        rate_limits.check_sign_in(request.form.get("email"))
        user = accounts.authenticate(field("email"), field("password"))
        if user is None:
            return render_template("accounts/login.html", error="The email or password is not right.",
                                   email=field("email"), next=next_url), 401
        login_user(user, remember=bool(field("remember")))
        return redirect(next_url)
    return render_template("accounts/login.html", next=next_url, email="")


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    new_token = None
    if request.method == "POST":
        action = field("action")
        reshow(lambda error: _account_page(errors={action: error.message}))
        if action == "profile":
            accounts.update_profile(current_user, field("name"), field("organisation"),
                                    field("stakeholder_group"))
            flash("Your profile is saved.", "success")
        elif action == "password":
            if field("new_password") != field("confirm_password"):
                raise ValidationError("The new password and its confirmation differ.",
                                      field="confirm_password")
            accounts.change_password(current_user, field("current_password"), field("new_password"))
            flash("Your password is changed.", "success")
        elif action == "token":
            new_token = accounts.issue_token(current_user, field("label"))
        elif action == "revoke":
            accounts.revoke_token(current_user, limits.identifier(field("token_id"), "token_id"))
            flash("The token is revoked.", "success")
        if new_token is None:
            return redirect(url_for("accounts.account"))
    return _account_page(new_token=new_token)


def _account_page(errors=None, new_token=None):
    return render_template("accounts/account.html", errors=errors or {}, new_token=new_token,
                           tokens=accounts.tokens_of(current_user))


@bp.route("/invitations/<secret>", methods=["GET", "POST"])
def accept(secret):
    invitation = meetings.invitation_for(secret)
    if request.method == "POST":
        reshow(lambda error: _accept_page(invitation, error.message))
        if field("password") != field("confirm_password"):
            raise ValidationError("The password and its confirmation differ.", field="confirm_password")
        user, meeting = meetings.accept_invitation(
            secret, field("name"), field("password"), field("organisation"), field("stakeholder_group"))
        login_user(user)
        flash(f"Welcome, {user.name}. You have joined as {invitation.role}.", "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return _accept_page(invitation)


def _accept_page(invitation, error=None):
    return render_template("accounts/accept.html", invitation=invitation, error=error, form=request.form)
