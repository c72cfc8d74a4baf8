"""Password reset and change of address by mail: asking for a link, following it."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from drafting.boundary import commit
from drafting.domain.errors import DomainError, ValidationError
from drafting.extensions import db
from drafting.services import password_reset
from drafting.web import rate_limits
from drafting.web.forms import field

bp = Blueprint("recovery", __name__)

SENT = ("If an account exists for {email}, a link to choose a new password is on its way there. "
        "It works once, for one hour. Nothing arrived? Check the spam folder, or ask again in a few minutes.")


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    if request.method == "GET":
        return render_template("recovery/forgot.html", email=request.args.get("email", "")[:254], sent=None)
    email = field("email").strip()[:254]
    rate_limits.check("RATELIMIT_PASSWORD_RESET", "reset", f"address:{rate_limits.remote_address()}")
    try:
        # Over the account's own limit no more mail goes out, and the answer stays the same.
        rate_limits.check("RATELIMIT_PASSWORD_RESET", "reset", "account:" + email.lower())
        within_limit = True
    except rate_limits.TooManyWrites:
        within_limit = False
    password_reset.request_reset(email, send=within_limit)
    commit()
    return render_template("recovery/forgot.html", email=email, sent=SENT.format(email=email or "that address"))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token):
    user = password_reset.user_for_reset(token)
    error = None
    if request.method == "POST":
        try:
            if field("password") != field("confirm_password"):
                raise ValidationError("The password and its confirmation differ.", field="confirm_password")
            password_reset.reset_password(token, field("password"))
            commit()
            flash("Your password is changed. Sign in with the new one.", "success")
            return redirect(url_for("accounts.login"))
        except DomainError as err:
            db.session.rollback()
            if err.status == 404:
                raise
            error = err.message
    return render_template("recovery/reset.html", user=user, error=error), (422 if error else 200)


@bp.route("/account/email", methods=["POST"])
@login_required
def change_email():
    try:
        new_email = password_reset.request_email_change(current_user, field("email"), field("password"))
        commit()
    except DomainError as err:
        db.session.rollback()
        if err.status == 401:
            raise
        flash(err.message, "error")
        return redirect(url_for("accounts.account") + "#email-change")
    flash(f"A confirmation link is on its way to {new_email}. Your address changes when you follow it.", "success")
    return redirect(url_for("accounts.account"))


@bp.route("/account/email/<token>", methods=["GET", "POST"])
def confirm_email(token):
    user, new_email = password_reset.email_change_for(token)
    if request.method == "POST":
        password_reset.confirm_email_change(token)
        commit()
        flash(f"The address of your account is now {new_email}.", "success")
        return redirect(url_for("accounts.account" if current_user.is_authenticated else "accounts.login"))
    return render_template("recovery/confirm_email.html", user=user, new_email=new_email)
