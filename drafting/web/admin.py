"""The site administrator's page: every account, creating accounts, granting administration."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from drafting.domain import limits
from drafting.services import accounts, sessions
from drafting.services.permissions import require_admin
from drafting.web.errors import reshow
from drafting.web.forms import field

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(error=None):
    return render_template("admin/accounts.html", users=accounts.all_users(), error=error,
                           form=request.form)


@bp.route("/accounts", methods=["GET", "POST"])
@login_required
def accounts_page():
    require_admin(current_user)
    if request.method == "GET":
        return _page()
    reshow(lambda error: _page(error.message))
    if field("action") == "create":
        user = accounts.create_user(field("email"), field("name"), field("password"), field("organisation"),
                                    field("stakeholder_group"), is_admin=bool(field("is_admin")))
        flash(f"The account for {user.email} is created.", "success")
    elif field("action") in ("disable", "enable"):
        user = sessions.set_disabled(current_user, limits.identifier(field("user_id"), "user_id"),
                                     field("action") == "disable")
        flash(f"{user.name}'s account is disabled: their sessions, tokens and live connections have ended."
              if user.disabled_at else f"{user.name}'s account is enabled again.", "success")
    else:
        user = accounts.set_admin(current_user, limits.identifier(field("user_id"), "user_id"),
                                  field("action") == "grant")
        flash(f"{user.name} is {'now' if user.is_admin else 'no longer'} a site administrator.", "success")
    return redirect(url_for("admin.accounts_page"))
