"""Mail: inviting 1,000 people from one CSV list (the request that queues them), and the sender's rate
to a local SMTP server (aiosmtpd on 127.0.0.1)."""
import socket
import tempfile
import time

from werkzeug.security import generate_password_hash

from bench import sign_in

PEOPLE = 1000
MAILS = 1000
QUEUE_TARGET_SECONDS = 5.0
SEND_TARGET_PER_SECOND = 50.0
GROUPS = ("UN system", "Local government", "Academia", "Civil society", "Private sector")


def _listing():
    lines = ["name,email,organisation,stakeholder group,role"]
    lines += [f"Expert {n},expert{n}@bench.example.org,Organisation {n % 37},{GROUPS[n % len(GROUPS)]},expert"
              for n in range(PEOPLE)]
    return "\n".join(lines) + "\n"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Counter:
    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 OK"


def run():
    from aiosmtpd.controller import Controller

    from drafting import create_app
    from drafting.boundary import commit
    from drafting.config import for_tests
    from drafting.extensions import db
    from drafting.models import Membership, OutboxMail, User
    from drafting.services import mail, meetings

    rows = []
    port = _free_port()
    counter = _Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = create_app(for_tests(tmp, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3",
                                       MAIL_URL=f"smtp://127.0.0.1:{port}", PUBLIC_URL="https://drafting.example.org"))
            with app.app_context():
                db.create_all()
                admin = User(email="admin@bench.org", name="Admin", is_admin=True,
                             password_hash=generate_password_hash("x" * 8))
                db.session.add(admin)
                db.session.flush()
                meeting = meetings.create_meeting(admin, "Bench meeting", venue="Geneva", starts_on="2016-07-21")
                db.session.add(Membership(meeting_id=meeting.id, user_id=admin.id, role="chair"))
                commit()
                client = app.test_client()
                sign_in(client, admin)
                listing = _listing()
                started = time.perf_counter()
                response = client.post(f"/meetings/{meeting.id}/invitations/import",
                                       data={"action": "send", "csv": listing})
                seconds = time.perf_counter() - started
                assert response.status_code == 302, response.get_data(as_text=True)[:500]
                queued = db.session.execute(db.select(db.func.count(OutboxMail.id))).scalar()
                assert queued == PEOPLE, queued
                rows.append({"benchmark": f"mail, {PEOPLE} people from one CSV", "measure": "invite: request (s)",
                             "value": f"{seconds:.2f}", "target": f"≤ {QUEUE_TARGET_SECONDS:.0f}",
                             "ok": "yes" if seconds <= QUEUE_TARGET_SECONDS else "no"})
                started = time.perf_counter()
                report = mail.send_due()
                seconds = time.perf_counter() - started
                assert report.sent == MAILS and counter.received == MAILS, (report, counter.received)
                rate = MAILS / seconds
                rows.append({"benchmark": f"mail, {MAILS} mails to a local SMTP server",
                             "measure": "sender (mails/s)", "value": f"{rate:.0f}",
                             "target": f"≥ {SEND_TARGET_PER_SECOND:.0f}",
                             "ok": "yes" if rate >= SEND_TARGET_PER_SECOND else "no"})
                db.session.remove()
                db.engine.dispose()
    finally:
        controller.stop()
    return rows
