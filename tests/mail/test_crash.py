"""A real server process killed between the commit and the send: the outbox is the record, nothing is lost."""
import re
import signal
import subprocess
import time

import pytest
import requests

from drafting import create_app
from drafting.boundary import commit
from drafting.config import for_tests
from drafting.extensions import db
from drafting.models import Membership, User
from drafting.services import meetings
from tests.conftest import PASSWORD, PASSWORD_HASH
from tests.servers import GUNICORN, ROOT, free_port, server_environment

pytestmark = pytest.mark.slow


def _serve(database_url, smtp_port, sender):
    port = free_port()
    env = server_environment(database_url)
    env.update({"DRAFTING_MAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "DRAFTING_MAIL_SENDER": "1" if sender else "0",
                "DRAFTING_PUBLIC_URL": "https://drafting.example.org"})
    process = subprocess.Popen([GUNICORN, "-k", "gevent", "-w", "1", "--no-control-socket", "-b", f"127.0.0.1:{port}",
                                "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            requests.get(url + "/login", timeout=1)
            return process, url
        except requests.RequestException:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the server did not start")


def _token(session, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', session.get(url).text).group(1)


def test_killed_after_the_commit_the_next_process_sends_each_mail_once(tmp_path, smtp_port, mail_server):
    database_url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    app = create_app(for_tests(tmp_path, SQLALCHEMY_DATABASE_URI=database_url))
    with app.app_context():
        db.create_all()
        admin = User(email="admin@example.org", name="Admin", password_hash=PASSWORD_HASH, is_admin=True)
        chair = User(email="chair@example.org", name="The Chair", password_hash=PASSWORD_HASH)
        db.session.add_all([admin, chair])
        db.session.flush()
        meeting = meetings.create_meeting(admin, "Expert group meeting")
        db.session.add(Membership(meeting_id=meeting.id, user_id=chair.id, role="chair"))
        commit()
        meeting_id = meeting.id
        db.session.remove()
        db.engine.dispose()

    process, url = _serve(database_url, smtp_port, sender=False)
    try:
        browser = requests.Session()
        browser.post(url + "/login", data={"email": "chair@example.org", "password": PASSWORD,
                                           "csrf_token": _token(browser, url + "/login")})
        for n in range(3):
            answer = browser.post(f"{url}/meetings/{meeting_id}/members", data={
                "email": f"invitee{n}@example.org", "role": "expert",
                "csrf_token": _token(browser, f"{url}/meetings/{meeting_id}")})
            assert answer.status_code == 200 and "on its way" in answer.text
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()

    inbox = mail_server()
    process, url = _serve(database_url, smtp_port, sender=True)
    try:
        assert inbox.wait_for(3)
        time.sleep(1.5)  # several rounds of the sender: nothing goes twice
        assert sorted(m["To"] for m in inbox.messages) == [f"invitee{n}@example.org" for n in range(3)]
    finally:
        process.terminate()
        process.wait(timeout=10)
