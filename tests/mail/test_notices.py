"""Notifications by mail as each person chose, the daily digest, and the formal notices everyone gets."""
from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Version
from drafting.services import amendments, comments, notifications, procedure
from tests.mail.conftest import PUBLIC_URL, html_of, text_of


def _mention(w, by=None, body=None):
    comments.post(by or w.expert2, w.op, body or f"@{w.expert.name} what do you think?")
    commit()


def test_every_notification_by_mail_names_the_paragraph_and_links_to_it(app, inbox, deliver, world):
    _mention(world)
    world.document.phase = "amendments"
    commit()
    with_amendment = amendments.propose(world.expert, world.op, world.op.head_revision_id,
                                        "Recommends that cities publish open data yearly;", "How often.")
    commit()
    amendments.reject(world.rapporteur, with_amendment, "Too narrow.")
    commit()
    deliver()
    mention, decision = inbox.to(world.expert.email)
    assert mention["Subject"] == f"Paragraph 1: {world.expert2.name} mentioned you in a comment."
    assert f"Paragraph 1 of “{world.document.title}”" in text_of(mention)
    assert f"{PUBLIC_URL}/clauses/{world.op.id}#comment-" in text_of(mention)
    assert f'href="{PUBLIC_URL}/clauses/{world.op.id}#comment-' in html_of(mention)
    assert "rejected your amendment 1 to paragraph 1: Too narrow." in text_of(decision)
    assert f"{PUBLIC_URL}/clauses/{world.op.id}#amendment-{with_amendment.id}" in text_of(decision)


def test_a_preambular_paragraph_is_named_by_its_first_words(app, inbox, deliver, world):
    comments.post(world.expert2, world.pp, f"@{world.expert.name} see this")
    commit()
    deliver()
    assert inbox.messages[0]["Subject"].startswith("Preambular paragraph “Recognizing the role of cities,”")


def test_none_means_no_notification_by_mail(app, inbox, deliver, world, client, login):
    login(world.expert)
    assert client.post(f"/meetings/{world.meeting.id}/mail", data={"choice": "none"}).status_code == 302
    _mention(world)
    deliver()
    assert inbox.messages == []
    assert notifications.unread_count(world.expert) == 1  # the bell still tells


def test_the_daily_digest_holds_a_days_notifications(app, inbox, deliver, world, client, login, clock):
    clock.now = clock.now.replace(hour=9)
    login(world.expert)
    client.post(f"/meetings/{world.meeting.id}/mail", data={"choice": "digest"})
    for n in range(3):
        _mention(world, body=f"@{world.expert.name} question {n}")
    notifications.queue_due_digests()
    deliver()
    assert inbox.messages == []  # nothing one by one, and the digest waits for the morning
    clock.advance(hours=20, minutes=30)  # 05:30 the next day
    notifications.queue_due_digests()
    deliver()
    assert inbox.messages == []
    clock.advance(hours=1)  # 06:30
    notifications.queue_due_digests()
    deliver()
    (digest,) = inbox.to(world.expert.email)
    assert digest["Subject"] == f"{world.meeting.title}: 3 notifications since 21 July, 09:00 UTC"
    body = text_of(digest)
    assert body.count(f"Paragraph 1 of “{world.document.title}”") == 3
    assert body.count(f"{PUBLIC_URL}/clauses/{world.op.id}#comment-") == 3
    assert digest["List-Unsubscribe"]
    notifications.queue_due_digests()
    clock.advance(hours=3)
    notifications.queue_due_digests()
    deliver()
    assert len(inbox.messages) == 1  # once a day
    _mention(world, body=f"@{world.expert.name} one more")
    clock.advance(days=1)
    notifications.queue_due_digests()
    deliver()
    assert "1 notification since 22 July, 06:30 UTC" in inbox.messages[-1]["Subject"]


def _consolidation(w):
    """The document in consolidation, every paragraph agreed (ready for silence), at version Rev.2."""
    from drafting.services import declarations

    w.document.phase = "consolidation"
    for clause in (w.pp, w.op):
        declarations.declare(w.chair, clause, "agreed")
    db.session.add(Version(document_id=w.document.id, label="Rev.2"))
    commit()


def test_formal_notices_go_to_every_member_whatever_they_chose(app, inbox, deliver, world, clock):
    _consolidation(world)
    for user in (world.expert, world.observer):
        notifications.set_choice(user, world.meeting, "none")
    commit()
    procedure.start_silence(world.chair, world.document, 48)
    commit()
    deliver()
    members = {world.chair.email, world.rapporteur.email, world.expert.email, world.expert2.email,
               world.observer.email}
    assert {m["To"].addresses[0].addr_spec for m in inbox.messages} == members
    notice = inbox.to(world.observer.email)[0]
    assert notice["Subject"].startswith(f"Silence procedure: {world.document.title}, until ")
    body = text_of(notice)
    assert "version “Rev.2”" in body
    assert "(UTC)" in body and "If no member objects by" in body
    assert "To object, open the procedure page" in body
    assert f"{PUBLIC_URL}/documents/{world.document.id}/procedure" in body
    assert notice["List-Unsubscribe"] is None  # a formal notice cannot be turned off
    procedure.object_to(world.expert2, world.document, "Paragraph 1 needs a deadline.")
    commit()
    deliver()
    objection = inbox.to(world.expert.email)[-1]
    assert objection["Subject"] == f"Silence broken: {world.document.title}"
    assert "Paragraph 1 needs a deadline." in text_of(objection)
    procedure.adopt(world.chair, world.document)
    commit()
    procedure.publish(world.chair, world.document, "public")
    commit()
    deliver()
    subjects = [m["Subject"] for m in inbox.to(world.observer.email)]
    assert subjects[-2:] == [f"Adopted: {world.document.title}", f"Published: {world.document.title}"]
    assert f"{PUBLIC_URL}/documents/{world.document.id}/outcome" in text_of(inbox.to(world.observer.email)[-1])


def test_the_deadline_is_written_in_the_meetings_time_zone(app, inbox, deliver, world):
    from drafting.services import notices

    world.meeting.time_zone = "Europe/Zurich"  # the column comes with the meeting's time zone
    from datetime import datetime

    assert notices.in_meeting_time(world.meeting, datetime(2016, 7, 22, 15, 0)) == \
        "Friday 22 July 2016, 17:00 CEST (Europe/Zurich)"
    world.meeting.time_zone = "Not/A_Zone"
    assert notices.in_meeting_time(world.meeting, datetime(2016, 7, 22, 15, 0)).endswith("15:00 UTC (UTC)")
    db.session.rollback()


def test_adoption_when_the_silence_deadline_passes_is_told_too(app, inbox, deliver, world, monkeypatch, clock):
    _consolidation(world)
    procedure.start_silence(world.chair, world.document, 24)
    commit()
    later = world.document.silence_deadline
    monkeypatch.setattr(procedure, "clock", lambda: later)
    assert procedure.tick()
    commit()
    deliver()
    adopted = [m for m in inbox.to(world.expert.email) if m["Subject"].startswith("Adopted")]
    assert "by the silence procedure: no member objected by the deadline" in text_of(adopted[0])


def test_the_digest_comes_in_the_morning_of_the_meetings_time_zone(app, inbox, deliver, world, clock):
    world.meeting.time_zone = "Asia/Shanghai"  # 06:00 there is 22:00 UTC the day before
    notifications.set_choice(world.expert, world.meeting, "digest")
    commit()
    _mention(world)
    clock.now = clock.now.replace(hour=21, minute=59)
    notifications.queue_due_digests()
    deliver()
    assert inbox.messages == []
    clock.advance(minutes=2)
    notifications.queue_due_digests()
    deliver()
    assert len(inbox.to(world.expert.email)) == 1


def test_an_extension_or_a_cancellation_of_silence_is_told_to_everyone(app, inbox, deliver, world):
    from drafting.services import notices

    world.meeting.time_zone = "Europe/Zurich"
    _consolidation(world)
    procedure.start_silence(world.chair, world.document, 48)
    commit()
    procedure.extend_silence(world.chair, world.document, 24, "Members travelling.")
    commit()
    deadline = notices.in_meeting_time(world.meeting, world.document.silence_deadline)
    assert "(Europe/Zurich)" in deadline
    procedure.cancel_silence(world.chair, world.document, "A new text is coming.")
    commit()
    deliver()
    told = inbox.to(world.observer.email)
    assert [m["Subject"] for m in told][1:] == [
        f"Silence procedure extended: {world.document.title}, until {deadline}",
        f"Silence procedure cancelled: {world.document.title}"]
    assert "Members travelling." in text_of(told[1]) and f"If no member objects by {deadline}" in text_of(told[1])
    assert "A new text is coming." in text_of(told[2])
