"""The outbox and its sender, against a real SMTP server: delivered once, in order, nothing lost."""
import threading

from hypothesis import HealthCheck, given, settings, strategies as st

from drafting import create_app
from drafting.boundary import commit
from drafting.config import for_tests
from drafting.extensions import db
from drafting.models import OutboxMail
from drafting.services import mail, notifications
from tests.conftest import PASSWORD
from tests.mail.conftest import PUBLIC_URL, html_of, text_of

ARABIC, CHINESE = "ليلى الحداد", "王小明"


def _queue(to, subject, name=""):
    made = mail.queue("notification", to, name, subject, "email_changed", new_email="new@example.org")
    commit()
    return made


def _subjects(inbox, address):
    return [m["Subject"] for m in inbox.to(address)]


def test_a_mail_is_written_with_its_action_and_sent_by_the_sender(app, inbox, deliver, world, client, login):
    login(world.chair)
    client.post(f"/meetings/{world.meeting.id}/members", data={"email": "amina@example.org", "role": "expert"})
    queued = db.session.execute(db.select(OutboxMail)).scalars().all()
    assert [(m.to_email, m.state) for m in queued] == [("amina@example.org", "queued")]
    assert inbox.messages == []  # the request only wrote it
    assert deliver().sent == 1
    assert [m["To"] for m in inbox.messages] == ["amina@example.org"]
    assert db.session.get(OutboxMail, queued[0].id).state == "sent"
    assert deliver().sent == 0 and len(inbox.messages) == 1  # once


def test_a_failed_action_writes_no_mail(app, inbox, deliver, world, client, login):
    login(world.chair)
    response = client.post(f"/meetings/{world.meeting.id}/members", data={"email": world.expert.email,
                                                                           "role": "expert"})
    assert response.status_code == 409 and "a member already" in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(OutboxMail.id))).scalar() == 0


def test_names_in_any_script_and_the_headers(app, inbox, deliver, make_user, world):
    layla = make_user(name=ARABIC, email="layla@example.org")
    ming = make_user(name=CHINESE, email="ming@example.org")
    for user in (layla, ming):
        notifications.notify(user.id, notifications.MENTION, f"{CHINESE} mentioned you in a comment.",
                             f"/clauses/{world.op.id}#comment-1", world.document.id, clause=world.op)
    commit()
    assert deliver().sent == 2
    raw = {envelope.rcpt_tos[0]: envelope.original_content for envelope in inbox.envelopes}
    for address, name in (("layla@example.org", ARABIC), ("ming@example.org", CHINESE)):
        message = inbox.to(address)[0]
        assert message["To"].addresses[0].display_name == name
        assert message["To"].addresses[0].addr_spec == address
        headers = raw[address].split(b"\r\n\r\n", 1)[0]
        headers.decode("ascii")  # every header is 7-bit: names travel as encoded words
        assert b"=?utf-8?" in headers
        assert message.get_content_type() == "multipart/alternative"
        assert f"Dear {name}," in text_of(message)
        assert name in html_of(message)
        assert message.get_body(("plain",)).get_content_charset() == "utf-8"
        assert message["Subject"] == f"Paragraph 1: {CHINESE} mentioned you in a comment."
        unsubscribe = message["List-Unsubscribe"].strip()  # a long header is folded: RFC 5322 unfolds it
        assert unsubscribe.startswith(f"<{PUBLIC_URL}/mail/unsubscribe/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f"{PUBLIC_URL}/clauses/{world.op.id}#comment-1" in text_of(message)
        assert message["From"] == "Drafting Room <drafting@example.org>"
        assert message["Message-ID"].endswith("@drafting.example.org>")


def test_one_click_unsubscribe_from_the_header(app, inbox, deliver, world, client):
    notifications.notify(world.expert.id, notifications.MENTION, "Mentioned.", f"/clauses/{world.op.id}",
                         world.document.id, clause=world.op)
    commit()
    deliver()
    url = inbox.messages[0]["List-Unsubscribe"].strip().strip("<>").removeprefix(PUBLIC_URL)
    assert "Stop these mails" in client.get(url).get_data(as_text=True)
    assert notifications.choice_of(world.expert.id, world.meeting.id) == "every"  # a GET changes nothing
    client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert notifications.choice_of(world.expert.id, world.meeting.id) == "none"
    notifications.notify(world.expert.id, notifications.MENTION, "Again.", "", world.document.id)
    commit()
    assert deliver().sent == 0


def test_server_down_then_up_delivers_each_mail_once_in_order(app, mail_server, deliver, clock):
    for n in range(1, 4):
        _queue("ana@example.org", f"to Ana {n}")
        _queue("ben@example.org", f"to Ben {n}")
    down = deliver()  # nothing listens on the mail server's port
    # The first mail found the server down; the first of the other person waits as long; the rest
    # wait behind the first of their person.
    assert down.sent == 0 and down.retrying == 2
    mails = db.session.execute(db.select(OutboxMail).order_by(OutboxMail.id)).scalars().all()
    assert [(m.state, m.attempts) for m in mails] == [("queued", 1)] + [("queued", 0)] * 5
    assert "Connection refused" in mails[0].last_error
    inbox = mail_server()
    assert deliver().sent == 0  # not before the retry is due
    clock.advance(minutes=1)
    assert deliver().sent == 6
    assert _subjects(inbox, "ana@example.org") == ["to Ana 1", "to Ana 2", "to Ana 3"]
    assert _subjects(inbox, "ben@example.org") == ["to Ben 1", "to Ben 2", "to Ben 3"]
    clock.advance(hours=2)
    assert deliver().sent == 0 and len(inbox.messages) == 6


def test_a_later_mail_waits_for_an_earlier_one_to_the_same_person(app, inbox, deliver, clock):
    inbox.refuse = lambda envelope: "451 Try again later" if b"first" in envelope.content else None
    _queue("ana@example.org", "first")
    _queue("ana@example.org", "second")
    _queue("ben@example.org", "for Ben")
    report = deliver()
    assert report.sent == 1 and _subjects(inbox, "ben@example.org") == ["for Ben"]
    assert inbox.to("ana@example.org") == []  # "second" waits behind "first"
    inbox.refuse = None
    clock.advance(seconds=31)
    assert deliver().sent == 2
    assert _subjects(inbox, "ana@example.org") == ["first", "second"]


def test_a_refused_address_fails_for_good_and_the_admin_sees_why(app, inbox, deliver, client, login, world):
    inbox.refuse = lambda envelope: "550 No such mailbox" if "gone@example.org" in envelope.rcpt_tos else None
    failed = _queue("gone@example.org", "to a gone address")
    _queue("gone@example.org", "another")
    report = deliver()
    # A mail refused for good does not hold back the next one to the same address.
    assert report.failed == 2 and report.sent == 0
    row = db.session.get(OutboxMail, failed.id)
    assert row.state == "failed" and row.attempts == 1 and "550" in row.last_error
    login(world.admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "to a gone address" in page and "550 No such mailbox" in page and "failed" in page
    detail = client.get(f"/admin/outbox/{failed.id}").get_data(as_text=True)
    assert "gone@example.org" in detail and "550" in detail
    inbox.refuse = None
    assert client.post(f"/admin/outbox/{failed.id}/resend").status_code == 302
    assert deliver().sent == 1 and _subjects(inbox, "gone@example.org") == ["to a gone address"]


def test_a_crash_between_the_commit_and_the_send_loses_nothing(app, inbox, deliver, clock):
    _queue("ana@example.org", "written before the crash")
    # The sender claimed it, then the process died before it sent anything.
    claimed = mail._claim(10)
    assert [m.state for m in claimed] == ["sending"]
    db.session.remove()
    assert deliver().sent == 0  # another sender leaves it to its claimant for a while
    clock.advance(minutes=11)
    assert deliver().sent == 1
    assert _subjects(inbox, "ana@example.org") == ["written before the crash"]
    assert deliver().sent == 0


def test_without_a_mail_server_mails_stay_in_the_outbox(tmp_path, make_user, world, client, login, runner):
    db.session.commit()
    app = create_app(for_tests(tmp_path, SQLALCHEMY_DATABASE_URI=db.engine.url.render_as_string(False)))
    with app.app_context():
        assert not mail.sending_enabled()
        _queue("ana@example.org", "kept for the admin")
        assert mail.send_due().sent == 0
        result = app.test_cli_runner().invoke(args=["mail", "list", "--body"])
        assert "kept for the admin" in result.output and "ana@example.org" in result.output
        assert "1 queued" in result.output
        result = app.test_cli_runner().invoke(args=["mail", "send"])
        assert result.exit_code != 0 and "DRAFTING_MAIL_URL" in result.output
        db.session.remove()


def test_flask_mail_send_for_cron(app, inbox, runner):
    _queue("ana@example.org", "sent by cron")
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    assert _subjects(inbox, "ana@example.org") == ["sent by cron"]


def test_the_served_process_sends_by_itself(tmp_path, smtp_port, inbox):
    app = create_app(for_tests(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'served.sqlite3'}",
                               MAIL_URL=f"smtp://127.0.0.1:{smtp_port}", MAIL_SENDER_THREAD=True,
                               MAIL_SEND_INTERVAL=0.2))
    with app.app_context():
        db.create_all()
        _queue("ana@example.org", "sent by the server")
        db.session.remove()
    assert not inbox.wait_for(1, timeout=0.5)  # building the app starts nothing
    app.test_client().get("/login")  # the first request starts the sender
    assert inbox.wait_for(1)
    assert _subjects(inbox, "ana@example.org") == ["sent by the server"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mails=st.lists(st.sampled_from(["ana", "ben", "chen"]), min_size=1, max_size=8),
       refusals=st.lists(st.booleans(), max_size=12))
def test_whatever_the_server_refuses_each_mail_arrives_once_in_order(app, inbox, deliver, clock, mails, refusals):
    db.session.execute(db.delete(OutboxMail))
    db.session.commit()
    inbox.messages.clear()
    inbox.envelopes.clear()
    answers = iter(refusals)
    lock = threading.Lock()

    def refuse(envelope):
        with lock:
            return "451 Busy, try later" if next(answers, False) else None

    inbox.refuse = refuse
    for n, who in enumerate(mails):
        _queue(f"{who}@example.org", f"{who} {n}")
    for _round in range(len(refusals) + 2):
        deliver()
        clock.advance(hours=2)
    for who in set(mails):
        expected = [f"{who} {n}" for n, each in enumerate(mails) if each == who]
        assert _subjects(inbox, f"{who}@example.org") == expected


def test_signing_in_is_not_needed_to_read_the_outbox_list_from_the_command_line(app, runner, make_user):
    make_user(email="someone@example.org")
    _queue("someone@example.org", "listed")
    result = runner.invoke(args=["mail", "list", "--state", "queued"])
    assert "listed" in result.output and PASSWORD not in result.output


def test_what_people_type_is_never_live_in_a_mail(app, inbox, deliver, world):
    from drafting.services import invitations
    from tests.security.html_safety import payloads, problems

    chosen = [p.strip() for p in payloads() if "\n" not in p and 0 < len(p.strip()) <= 200][:40]
    for n, payload in enumerate(chosen):
        world.chair.name = payload
        world.meeting.title = payload[:300]
        invitations._invite(world.chair, world.meeting, f"person{n}@example.org", "expert", name=payload)
    commit()
    mails = db.session.execute(db.select(OutboxMail).order_by(OutboxMail.id)).scalars().all()
    found = [problem for m in mails for problem in problems(m.html_body, f"mail {m.id}")
             if "inline style" not in problem]  # mail styles itself inline; there is no CSP in a mail
    assert not found, found[:10]
    assert chosen[0] in mails[0].text_body  # the text part says what was typed, unescaped


def test_mails_not_tried_while_the_server_was_down_keep_their_attempts(app, deliver, mail_server, clock):
    for who in ("ana", "ben", "chen"):
        _queue(f"{who}@example.org", f"to {who}")
    assert deliver().retrying == 3
    mails = db.session.execute(db.select(OutboxMail).order_by(OutboxMail.id)).scalars().all()
    # The first found the server down; the two after it waited without being tried.
    assert [(m.state, m.attempts, bool(m.last_error)) for m in mails] == [
        ("queued", 1, True), ("queued", 0, False), ("queued", 0, False)]
    assert len({m.next_attempt_at for m in mails}) == 1
    inbox = mail_server()
    clock.advance(minutes=1)
    assert deliver().sent == 3 and len(inbox.messages) == 3
