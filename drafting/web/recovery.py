"""Password reset and change of address by mail: asking for a link, following it."""
import math
import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from drafting.domain.errors import ValidationError
from drafting.extensions import limiter
from drafting.services import password_reset
from drafting.web import rate_limits
from drafting.web.accounts import account_page
from drafting.web.errors import reshow
from drafting.web.forms import field

bp = Blueprint("recovery", __name__)

SENT = ("If an account exists for {email}, a link to choose a new password is on its way there. "
        "It works once, for one hour. Nothing arrived? Check the spam folder, or ask again in a few minutes.")


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    if request.method == "GET":
        return render_template("recovery/forgot.html", email=request.args.get("email", "")[:254], sent=None)
    email = field("email").strip()[:254]
    wait = _over_limit(f"address:{rate_limits.remote_address()}")
    if wait:
        raise TooManyRequests(retry_after=wait)
    # Over the account's own limit no more mail goes out, and the answer stays the same.
    password_reset.request_reset(email, send=not _over_limit("account:" + email.lower()))
    return render_template("recovery/forgot.html", email=email, sent=SENT.format(email=email or "that address"))


def _over_limit(key):
    """Count one reset request for `key` (the app's limiter); the seconds to wait when it is over
    RATELIMIT_PASSWORD_RESET, else None."""
    if not (limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True)):
        return None
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "drafting"
    try:
        for item in parse_many(current_app.config["RATELIMIT_PASSWORD_RESET"]):
            if not limiter.limiter.hit(item, prefix, "password-reset", key):
                reset_at = limiter.limiter.get_window_stats(item, prefix, "password-reset", key).reset_time
                return max(1, math.ceil(reset_at - time.time()))
    except Exception:  # an unreachable limit store must not stop a reset
        current_app.logger.warning("Rate limit storage unavailable; reset request not counted", exc_info=True)
    return None


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token):
    user = password_reset.user_for_reset(token)
    if request.method == "POST":
        reshow(lambda error: render_template("recovery/reset.html", user=user, error=error.message))
        if field("password") != field("confirm_password"):
            raise ValidationError("The password and its confirmation differ.", field="confirm_password")
        password_reset.reset_password(token, field("password"))
        flash("Your password is changed. Sign in with the new one.", "success")
        return redirect(url_for("accounts.login"))
    return render_template("recovery/reset.html", user=user, error=None)


@bp.route("/account/email", methods=["POST"])
@login_required
def change_email():
    reshow(lambda error: account_page(errors={"email": error.message}))
    new_email = password_reset.request_email_change(current_user, field("email"), field("password"))
    flash(f"A confirmation link is on its way to {new_email}. Your address changes when you follow it.", "success")
    return redirect(url_for("accounts.account"))


@bp.route("/account/email/<token>", methods=["GET", "POST"])
def confirm_email(token):
    user, new_email = password_reset.email_change_for(token)
    if request.method == "POST":
        password_reset.confirm_email_change(token)
        flash(f"The address of your account is now {new_email}.", "success")
        return redirect(url_for("accounts.account" if current_user.is_authenticated else "accounts.login"))
    return render_template("recovery/confirm_email.html", user=user, new_email=new_email)
