"""Mail tests run against a real SMTP server (aiosmtpd on a free port of 127.0.0.1), started here."""
import email
import re
import socket
import threading
from datetime import datetime, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller

from drafting.extensions import db
from drafting.services import mail, notifications, password_reset
from tests.conftest import BACKENDS, app_on

PUBLIC_URL = "https://drafting.example.org"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the SMTP server received, parsed; `refuse(envelope)` may answer an SMTP error instead."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self.refuse = None
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse is not None:
            answer = self.refuse(envelope)
            if answer:
                return answer
        with self.arrived:
            self.envelopes.append(envelope)
            self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                          policy=policy.default))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]

    def wait_for(self, count, timeout=20):
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)


def text_of(message):
    return message.get_body(("plain",)).get_content()


def html_of(message):
    return message.get_body(("html",)).get_content()


def link_in(message, path_start):
    """The link to `path_start` in the mail's text part, as a path the test client can open."""
    found = re.search(re.escape(PUBLIC_URL) + r"(" + re.escape(path_start) + r"[^\s]*)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def mail_server(smtp_port):
    """mail_server() starts the SMTP server on smtp_port (the app's mail server) and returns its Inbox."""
    controllers = []

    def start():
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def inbox(mail_server):
    return mail_server()


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path, smtp_port):
    yield from app_on(request.param, tmp_path, MAIL_URL=f"smtp://127.0.0.1:{smtp_port}", PUBLIC_URL=PUBLIC_URL,
                      MAIL_FROM="Drafting Room <drafting@example.org>")


class Clock:
    """The time of the mail sender, the reset links and the digests, moved by the test."""

    def __init__(self):
        self.now = datetime(2016, 7, 21, 9, 0)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(mail, "clock", clock)
    monkeypatch.setattr(password_reset, "clock", clock)
    return clock


@pytest.fixture
def deliver(app):
    """deliver() runs the sender once over what is due and returns its report."""

    def run():
        db.session.commit()
        return mail.send_due()

    return run


__all__ = ["notifications"]
