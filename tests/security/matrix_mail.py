"""Matrix entries for mail: the outbox (site admins only), unsubscribing and the account links a mail
carries (whoever holds the link), the chair's invitations (the list, resending, a CSV list) and each
member's mail choice for the meeting.
"""
import itertools

from drafting.boundary import commit
from drafting.services import accounts, mail, notifications, password_reset
from tests.conftest import PASSWORD
from tests.security.matrix_world import Route, invitation

CSV = "name,email,organisation,stakeholder group,role\nNew Person,new.person@example.org,ITU,UN system,expert\n"


def _mail(w, state="sent"):
    """A mail in the outbox, sent already (or failed): its id."""
    made = mail.queue("notification", w.expert.email, w.expert.name, "About paragraph 1", "email_changed",
                      new_email="x@example.org")
    made.state = state
    made.attempts = 1
    if state == "sent":
        made.sent_at = made.created_at
    else:
        made.last_error = "The mail server answered 550 No such mailbox"
    commit()
    return made.id


def _unsubscribe(w):
    return notifications.unsubscribe_url(w.expert.id, w.meeting.id).split("127.0.0.1:5000", 1)[-1]


_accounts = itertools.count(1)


def _fresh_account(w):
    return accounts.create_user(f"someone{next(_accounts)}@example.org", "Someone Else", PASSWORD)


def _reset_url(w):
    user = _fresh_account(w)
    password_reset.request_reset(user.email)
    commit()
    token = password_reset._serializer("password-reset").dumps(
        [user.id, password_reset._fingerprint(user, user.password_hash)])
    return f"/password/reset/{token}"


def _confirm_url(w):
    user = _fresh_account(w)
    commit()
    token = password_reset._serializer("email-change").dumps(
        [user.id, "changed.address@example.org", password_reset._fingerprint(user)])
    return f"/account/email/{token}"


def _resend_crossed(w):
    other_id, _ = invitation(w, w.other_meeting, w.other_chair)
    return f"/meetings/{w.meeting.id}/invitations/{other_id}/resend", None


ROUTES = {
    ("mail.outbox", "GET"): Route(lambda w: "/admin/outbox", "admin"),
    ("mail.show", "GET"): Route(lambda w: f"/admin/outbox/{_mail(w)}", "admin"),
    ("mail.as_html", "GET"): Route(lambda w: f"/admin/outbox/{_mail(w)}.html", "admin"),
    ("mail.as_eml", "GET"): Route(lambda w: f"/admin/outbox/{_mail(w)}.eml", "admin"),
    ("mail.resend", "POST"): Route(lambda w: f"/admin/outbox/{_mail(w, 'failed')}/resend", "admin"),
    ("mail.unsubscribe", "GET"): Route(_unsubscribe, "public"),
    ("mail.unsubscribe", "POST"): Route(_unsubscribe, "public"),

    ("recovery.forgot", "GET"): Route(lambda w: "/password/forgot", "public"),
    ("recovery.forgot", "POST"): Route(lambda w: "/password/forgot", "public",
                                       body=lambda w: {"email": w.expert.email}),
    ("recovery.reset", "GET"): Route(_reset_url, "public"),
    # Success sends the person to sign in with the new password.
    ("recovery.reset", "POST"): Route(_reset_url, "public", signs_out=True, body=lambda w: {
        "password": "a new password 1", "confirm_password": "a new password 1"}),
    ("recovery.change_email", "POST"): Route(lambda w: "/account/email", "signed_in", body=lambda w: {
        "email": "my.new.address@example.org", "password": PASSWORD}),
    ("recovery.confirm_email", "GET"): Route(_confirm_url, "public"),
    ("recovery.confirm_email", "POST"): Route(_confirm_url, "public", signs_out=True),

    ("meetings.invitations_page", "GET"): Route(lambda w: f"/meetings/{w.meeting.id}/invitations", "chair"),
    ("meetings.resend_invitation", "POST"): Route(
        lambda w: f"/meetings/{w.meeting.id}/invitations/{invitation(w)[0]}/resend", "chair",
        crossed=_resend_crossed),
    ("meetings.import_invitations", "GET"): Route(lambda w: f"/meetings/{w.meeting.id}/invitations/import",
                                                  "chair"),
    ("meetings.import_invitations", "POST"): (
        Route(lambda w: f"/meetings/{w.meeting.id}/invitations/import", "chair",
              body=lambda w: {"action": "preview", "csv": CSV}),
        Route(lambda w: f"/meetings/{w.meeting.id}/invitations/import", "chair",
              body=lambda w: {"action": "send", "csv": CSV}),
    ),
    ("meetings.mail_choice", "POST"): Route(lambda w: f"/meetings/{w.meeting.id}/mail", "observer",
                                            body=lambda w: {"choice": "digest"}),
}
