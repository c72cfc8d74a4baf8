"""Outgoing mail: written to the outbox in the transaction of the action that causes it, then sent.

Nothing is lost: an action commits its mails with itself; the sender claims due mails, sends them
over SMTP (Flask-Mailman) and records each as sent in its own commit. A mail whose sending was cut
off (the process died) is claimed again once its lease runs out. A recipient's mails go in the
order they were written: a mail waits while an earlier one to the same address is not yet sent
(retried with backoff) — unless that one failed for good. Without MAIL_URL nothing is sent and
the outbox shows what would be (`/admin/outbox`, `flask mail list`).

Time comes from the module-level `clock`, which tests replace so that no test sleeps.
"""
import smtplib
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email.header import Header
from email.message import Message
from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from flask_mailman import EmailMultiAlternatives, Mail
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, aliased

from drafting.domain.errors import Conflict, NotFound
from drafting.extensions import db
from drafting.models import OutboxMail, utcnow
from drafting.services.permissions import require_admin

clock = utcnow
QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATES = (QUEUED, SENDING, SENT, FAILED)
UNFINISHED = (QUEUED, SENDING)
MAX_ATTEMPTS = 12
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 3600
# How long a claimed mail stays with its sender before another may take it (the sender died).
LEASE = timedelta(minutes=10)
BATCH = 200

mailman = Mail()


def init_app(app):
    from drafting.config import mail_settings

    if app.config.get("MAIL_URL") and not app.config.get("MAIL_SERVER"):
        app.config.update(mail_settings(app.config["MAIL_URL"]))
    mailman.init_app(app)
    from drafting.services import notices

    notices.register()
    if app.config.get("MAIL_SENDER_THREAD"):
        _start_with_first_request(app)


# --- writing mails -----------------------------------------------------------------------------

def public_url(path=""):
    """An absolute link: PUBLIC_URL when set, else the address this request came to."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        base = request.url_root if has_request_context() else "http://127.0.0.1:5000"
    return base.rstrip("/") + path


def link(endpoint, **values):
    """public_url() of a route, inside a request or not."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return public_url(path)


def _message_domain():
    return urlsplit(public_url()).hostname or "localhost"


def _render(name, context):
    # Straight from the environment: a page's context processors (the signed-in user…) are not the mail's.
    return current_app.jinja_env.get_template(name).render(context)


def queue(kind, to_email, to_name, subject, template, *, user_id=None, meeting_id=None,
          unsubscribe_url=None, **context):
    """Write one mail (text and HTML from templates/mail/<template>.txt|.html) to the outbox."""
    context.update(subject=subject, to_name=to_name, to_email=to_email, unsubscribe_url=unsubscribe_url)
    headers = {}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail = OutboxMail(
        kind=kind, to_email=to_email, to_name=to_name or "", subject=subject[:300],
        text_body=_render(f"mail/{template}.txt", context),
        html_body=_render(f"mail/{template}.html", context),
        headers=headers, message_id=make_msgid(domain=_message_domain()),
        state=QUEUED, next_attempt_at=clock(), created_at=clock(), user_id=user_id, meeting_id=meeting_id,
    )
    db.session.add(mail)
    db.session.info["mail_queued"] = True
    return mail


# --- the outbox, as the site admin sees it -----------------------------------------------------

def outbox(actor, state=None, limit=200):
    require_admin(actor)
    return listing(state, limit)


def listing(state=None, limit=200):
    query = db.select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit)
    if state:
        query = query.where(OutboxMail.state == state)
    return db.session.execute(query).scalars().all()


def counts():
    rows = db.session.execute(db.select(OutboxMail.state, db.func.count()).group_by(OutboxMail.state)).all()
    found = dict(rows)
    return {state: found.get(state, 0) for state in STATES}


def get(actor, mail_id):
    require_admin(actor)
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None:
        raise NotFound(f"No mail with id {mail_id} in the outbox.")
    return mail


def resend(actor, mail_id):
    """Queue a failed mail again (attempts start over), or a sent one once more, as a copy."""
    mail = get(actor, mail_id)
    if mail.state in UNFINISHED:
        raise Conflict("This mail is still waiting to be sent; it will be tried again by itself.")
    if mail.state == SENT:
        mail = OutboxMail(kind=mail.kind, to_email=mail.to_email, to_name=mail.to_name, subject=mail.subject,
                          text_body=mail.text_body, html_body=mail.html_body, headers=dict(mail.headers),
                          message_id=make_msgid(domain=_message_domain()), user_id=mail.user_id,
                          meeting_id=mail.meeting_id, created_at=clock())
        db.session.add(mail)
    mail.state, mail.attempts, mail.next_attempt_at = QUEUED, 0, clock()
    db.session.info["mail_queued"] = True
    db.session.flush()
    return mail


# --- sending -----------------------------------------------------------------------------------

@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)


def sending_enabled():
    return bool(current_app.config.get("MAIL_URL"))


def _due(now, limit):
    """Mails to send now: due, and the first unfinished one of their recipient."""
    earlier = aliased(OutboxMail)
    blocked = db.select(earlier.id).where(
        earlier.to_email == OutboxMail.to_email, earlier.id < OutboxMail.id, earlier.state.in_(UNFINISHED))
    return db.session.execute(
        db.select(OutboxMail)
        .where(OutboxMail.state.in_(UNFINISHED), OutboxMail.next_attempt_at <= now, ~blocked.exists())
        .order_by(OutboxMail.id).limit(limit).with_for_update(skip_locked=True)
    ).scalars().all()


def _claim(limit):
    now = clock()
    mails = _due(now, limit)
    for mail in mails:
        mail.state, mail.next_attempt_at = SENDING, now + LEASE
    db.session.commit()
    return mails


class _Message(EmailMultiAlternatives):
    def message(self):
        built = super().message()
        # Flask-Mailman encodes the subject without knowing the header's name, so a long one is folded
        # before its first word and readers show a leading space: encode it knowing where it starts.
        del built["Subject"]
        Message.__setitem__(built, "Subject", Header(self.subject, "utf-8", header_name="Subject"))
        return built


def as_message(mail, connection=None):
    """The mail as Flask-Mailman sends it: text and HTML parts, names encoded for any script."""
    message = _Message(
        subject=mail.subject, body=mail.text_body, from_email=current_app.config["MAIL_FROM"],
        to=[formataddr((mail.to_name, mail.to_email)) if mail.to_name else mail.to_email],
        headers={"Message-ID": mail.message_id, **(mail.headers or {})}, connection=connection)
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


def _permanent(error):
    """The server refused this mail for good (5xx for its recipient or its content)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _unreachable(error):
    """Nothing can be sent now: no connection, or the server refuses us (credentials, sender), not the mail."""
    return (isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError,
                               smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused,
                               smtplib.SMTPHeloError, smtplib.SMTPNotSupportedError))
            or not isinstance(error, smtplib.SMTPException))


def backoff(attempts):
    return timedelta(seconds=min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1)))


def describe(error):
    """An SMTP failure as the outbox page says it."""
    def text(value):
        return value.decode(errors="replace") if isinstance(value, bytes) else str(value)

    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "The mail server refused the address: " + "; ".join(
            f"{code} {text(answer)}" for code, answer in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The mail server answered {error.smtp_code} {text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPException):
        return f"The mail server failed: {error}"
    return f"Cannot reach the mail server: {error.strerror or error}"


def _failed(mail, error, report, permanent=False):
    mail.attempts += 1
    mail.last_error = describe(error)[:500]
    if permanent or mail.attempts >= MAX_ATTEMPTS:
        mail.state = FAILED
        report.failed += 1
    else:
        mail.state, mail.next_attempt_at = QUEUED, clock() + backoff(mail.attempts)
        report.retrying += 1
    report.errors.append(mail.last_error)


def send_due(limit=None):
    """Send what is due, in rounds, until nothing is due or `limit` mails were tried."""
    report = SendReport()
    if not sending_enabled():
        return report
    tried = 0
    connection = mailman.get_connection()
    try:
        while limit is None or tried < limit:
            mails = _claim(BATCH if limit is None else min(BATCH, limit - tried))
            if not mails:
                break
            tried += len(mails)
            if not _send_round(connection, mails, report):
                break
    finally:
        try:
            connection.close()
        except Exception:  # closing a dead connection must not hide what was sent
            pass
    return report


def _send_round(connection, mails, report):
    """Send the claimed mails; False when the server cannot be reached (the rest wait for later)."""
    for n, mail in enumerate(mails):
        try:
            connection.open()
            connection.send_messages([as_message(mail, connection)])
        except (OSError, smtplib.SMTPException) as error:
            _failed(mail, error, report, permanent=_permanent(error))
            if _unreachable(error):
                _drop(connection)
                # The rest were not tried: they wait as long as this one, their attempts uncounted.
                for waiting in mails[n + 1:]:
                    waiting.state, waiting.next_attempt_at = QUEUED, mail.next_attempt_at
                    report.retrying += 1
                db.session.commit()
                return False
            db.session.commit()
            continue
        mail.state, mail.sent_at = SENT, clock()
        mail.attempts += 1
        report.sent += 1
        db.session.commit()
    return True


def _drop(connection):
    try:
        connection.close()
    except Exception:  # it is gone either way
        pass
    connection.connection = None


# --- the sender in the served process ------------------------------------------------------------

class Sender:
    """Sends the outbox every few seconds, and at once after a commit that queued mail."""

    def __init__(self, app):
        self.app = app
        self.wake = threading.Event()

    def run(self):
        from drafting.extensions import socketio
        from drafting.services import notifications

        interval = self.app.config.get("MAIL_SEND_INTERVAL", 5)
        while True:
            try:
                with self.app.app_context():
                    notifications.queue_due_digests()
                    db.session.commit()
                    send_due()
            except Exception:  # the sender must outlive a bad moment of the database
                self.app.logger.exception("The mail sender failed; it tries again shortly")
            self.wake.wait(interval)
            self.wake.clear()
            socketio.sleep(0)


_sender = {}
_starting = threading.Lock()


def _start_with_first_request(app):
    @app.before_request
    def _start_sender():
        if app in _sender:
            return
        with _starting:
            if app in _sender:
                return
            from drafting.extensions import socketio

            _sender[app] = Sender(app)
            socketio.start_background_task(_sender[app].run)


@sa_event.listens_for(Session, "after_commit")
def _wake_sender(session):
    if session.info.pop("mail_queued", False):
        for sender in _sender.values():
            sender.wake.set()


@sa_event.listens_for(Session, "after_rollback")
def _forget_queued(session):
    session.info.pop("mail_queued", None)
