"""Blueprints: HTTP in, services called, template or JSON out."""

from flask_login import current_user

from drafting import boundary
from drafting.domain.rendering import render_markdown
from drafting.domain.vocabulary import (
    SDG11_TARGETS, U4SSC_DIMENSIONS, Category, ClauseKind, ClauseStatus, Phase, Role,
    StakeholderGroup, tag_label,
)


def register(app):
    from drafting.web import (  # noqa: F401  (the api_* modules add their routes to api.bp)
        accounts, admin, api, api_deliberation, api_history, api_procedure, deliberation, documents,
        errors, headers, history, live, mail_pages, meetings, outcome, procedure, rate_limits, recovery,
        request_input, sessions,
    )

    boundary.register(app)
    request_input.register(app)
    sessions.register(app)
    errors.register(app)
    headers.register(app)
    rate_limits.register(app)
    accounts.register(app)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(meetings.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(deliberation.bp)
    app.register_blueprint(history.bp)
    app.register_blueprint(outcome.bp)
    app.register_blueprint(procedure.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(live.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(mail_pages.bp)
    app.register_blueprint(recovery.bp)
    outcome.register(app)
    procedure.register(app)

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["tag_label"] = tag_label
    app.jinja_env.globals.update(
        Role=Role, Phase=Phase, Category=Category, ClauseKind=ClauseKind,
        ClauseStatus=ClauseStatus, StakeholderGroup=StakeholderGroup,
        SDG11_TARGETS=SDG11_TARGETS, U4SSC_DIMENSIONS=U4SSC_DIMENSIONS,
        word_label=word_label,
    )

    @app.context_processor
    def _user():
        return {"me": current_user if current_user.is_authenticated else None}


def word_label(vocabulary, value):
    """The label of a wire word, e.g. word_label(Phase, 'final_reading')."""
    try:
        return vocabulary(value).label
    except ValueError:
        return value
