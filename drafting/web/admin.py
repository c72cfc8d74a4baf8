"""The site administrator's page: every account, creating accounts, granting administration."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from drafting.boundary import commit
from drafting.domain import limits
from drafting.domain.errors import DomainError
from drafting.extensions import db
from drafting.services import accounts, sessions
from drafting.services.permissions import require_admin
from drafting.web.forms import field

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(error=None, status=200):
    return render_template("admin/accounts.html", users=accounts.all_users(), error=error,
                           form=request.form), status


@bp.route("/accounts", methods=["GET", "POST"])
@login_required
def accounts_page():
    require_admin(current_user)
    if request.method == "GET":
        return _page()
    try:
        if field("action") == "create":
            user = accounts.create_user(field("email"), field("name"), field("password"), field("organisation"),
                                        field("stakeholder_group"), is_admin=bool(field("is_admin")))
            flash(f"The account for {user.email} is created.", "success")
        elif field("action") in ("disable", "enable"):
            user = sessions.set_disabled(current_user, limits.identifier(field("user_id"), "user_id"),
                                         field("action") == "disable")
            flash(f"{user.name}'s account is {'disabled: their sessions, tokens and live connections have ended' if user.disabled_at else 'enabled again'}.",
                  "success")
        else:
            user = accounts.set_admin(current_user, limits.identifier(field("user_id"), "user_id"),
                                      field("action") == "grant")
            flash(f"{user.name} is {'now' if user.is_admin else 'no longer'} a site administrator.", "success")
        commit()
    except DomainError as error:
        db.session.rollback()
        if error.status in (401, 403):
            raise
        return _page(error.message, error.status)
    return redirect(url_for("admin.accounts_page"))
