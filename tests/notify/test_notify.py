"""Text messages to villagers: queued after the step commits, sent by the configured
backend, retried with backoff, visible to staff, never undoing or blocking a step."""
import datetime as dt
import json

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from huiying.concerns import events
from huiying.concerns import services as cs
from huiying.concerns.models import State
from huiying.core import clock
from huiying.notify import services as ns
from huiying.notify.models import Kind, Notification, Status

from helpers import Receiver, act, drive, fresh, register

PHONE = "13912345678"


@pytest.fixture
def villager(network, now):
    return cs.villager_create(actor=network.village_clerk, name="韦阿婆", hamlet=network.hamlet, phone=PHONE)


def registered(n, villager, capture, **kw):
    with capture(execute=True):
        return register(n, actor=n.village_clerk, villagers=[villager], **kw)


def test_registration_queues_one_chinese_message_after_commit(network, villager, django_capture_on_commit_callbacks):
    c = registered(network, villager, django_capture_on_commit_callbacks)
    n = Notification.objects.get()
    assert (n.concern, n.kind, n.phone, n.status) == (c, Kind.REGISTERED, PHONE, Status.PENDING)
    assert c.reference in n.text and "已登记" in n.text and c.due_date.isoformat() in n.text
    assert DBTaskResult.objects.filter(task_path=ns.send_notification.module_path, args_kwargs__args=[n.pk]).exists()


def test_nothing_is_queued_for_a_step_that_rolls_back_or_for_a_quiet_load(network, villager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            register(network, actor=network.village_clerk, villagers=[villager])
            transaction.set_rollback(True)
    with django_capture_on_commit_callbacks(execute=True), events.quiet():
        register(network, actor=network.village_clerk, villagers=[villager])
    assert not Notification.objects.exists()


def test_no_phone_no_message(network, django_capture_on_commit_callbacks, now):
    v = cs.villager_create(actor=network.village_clerk, name="农阿公", hamlet=network.hamlet)
    with django_capture_on_commit_callbacks(execute=True):
        register(network, actor=network.village_clerk, villagers=[v])
    assert not Notification.objects.exists()


def test_a_visit_a_result_and_a_rating_request(network, villager, django_capture_on_commit_callbacks):
    n = network
    c = registered(n, villager, django_capture_on_commit_callbacks, track="dispute")
    with django_capture_on_commit_callbacks(execute=True):
        drive(n, c, State.SUPERVISION, actor=n.village_clerk)
        act(cs.concern_feedback, actor=n.village_clerk, concern=c, method="phone")
    texts = dict(Notification.objects.values_list("kind", "text"))
    assert set(texts) == {Kind.REGISTERED, Kind.RESULT, Kind.RATING_REQUEST}
    assert fresh(c).result[:10] in texts[Kind.RESULT]
    assert "/track/" in texts[Kind.RATING_REQUEST]


def test_a_rating_request_is_not_sent_when_already_rated(network, villager, django_capture_on_commit_callbacks):
    n = network
    c = registered(n, villager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        drive(n, c, State.SUPERVISION, actor=n.village_clerk)
        act(cs.concern_rate, actor=n.village_clerk, concern=c, rating="satisfied")
        act(cs.concern_feedback, actor=n.village_clerk, concern=c, method="in_person")
    assert not Notification.objects.filter(kind=Kind.RATING_REQUEST).exists()


def test_a_confidential_result_is_never_put_in_a_message(network, villager, django_capture_on_commit_callbacks):
    n = network
    c = registered(n, villager, django_capture_on_commit_callbacks, track="confidential", handler=n.village_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        drive(n, c, State.SUPERVISION, actor=n.village_clerk)
    text = Notification.objects.get(kind=Kind.RESULT).text
    assert fresh(c).result not in text and "当面" in text


def test_a_booked_visit_is_texted_with_its_date_and_place(network, villager, django_capture_on_commit_callbacks):
    n = network
    c = registered(n, villager, django_capture_on_commit_callbacks, track="beyond_authority")
    with django_capture_on_commit_callbacks(execute=True):
        act(cs.concern_escalate, actor=n.village_clerk, concern=c, to_unit=n.township, reason="超出权限")
        act(cs.concern_book_appointment, actor=n.township_staff, concern=c, date=clock.today() + dt.timedelta(days=3),
            place="甲村村部", cadre="镇党委 李书记", handler=n.township_staff)
    text = Notification.objects.get(kind=Kind.APPOINTMENT).text
    assert "甲村村部" in text and "李书记" in text


def test_the_same_event_twice_queues_one_message(network, villager, django_capture_on_commit_callbacks):
    c = registered(network, villager, django_capture_on_commit_callbacks)
    ns.on_concern_event(None, concern_id=c.pk, action="register")
    assert Notification.objects.count() == 1


def test_sent_by_the_memory_backend(network, villager, django_capture_on_commit_callbacks, outbox):
    c = registered(network, villager, django_capture_on_commit_callbacks)
    n = Notification.objects.get()
    assert ns.deliver(n.pk) == Status.SENT
    assert outbox == [{"id": f"hy-{n.pk}", "to": PHONE, "text": n.text}]
    n.refresh_from_db()
    assert n.sent_at is not None and n.attempts == 1 and n.backend == "memory"
    assert ns.deliver(n.pk) == Status.SENT and len(outbox) == 1  # a duplicate task sends nothing


def test_the_file_backend_writes_one_json_line(network, villager, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.HUIYING_NOTIFY_BACKEND = "file"
    settings.HUIYING_NOTIFY_FILE = str(tmp_path / "sms.jsonl")
    registered(network, villager, django_capture_on_commit_callbacks)
    n = Notification.objects.get()
    ns.deliver(n.pk)
    lines = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in lines] == [{"id": f"hy-{n.pk}", "to": PHONE, "text": n.text}]


def test_the_http_gateway_is_retried_with_backoff_until_it_answers(network, villager, django_capture_on_commit_callbacks, settings):
    c = registered(network, villager, django_capture_on_commit_callbacks)
    n = Notification.objects.get()
    with Receiver([503, 200], path="/sms") as gw:
        settings.HUIYING_NOTIFY_BACKEND, settings.HUIYING_SMS_URL, settings.HUIYING_SMS_TOKEN = "http", gw.url, "s3cret"
        t0 = clock.now()
        assert ns.deliver(n.pk, now=t0) == Status.PENDING
        n.refresh_from_db()
        assert n.last_error == "HTTP 503" and n.next_attempt_at == t0 + dt.timedelta(seconds=30)
        assert ns.deliver(n.pk, now=t0) == Status.PENDING  # too early: the scheduled attempt will come
        assert ns.deliver(n.pk, now=n.next_attempt_at) == Status.SENT
    headers, raw = gw.received[-1]
    body = json.loads(raw)
    assert len(gw.received) == 2 and headers["Authorization"] == "Bearer s3cret"
    assert body == {"to": PHONE, "text": n.text, "id": f"hy-{n.pk}"}
    assert ns.backoff(1) < ns.backoff(2) < ns.backoff(3)


def test_a_gateway_that_never_answers_ends_failed_and_visible_to_staff(network, villager, django_capture_on_commit_callbacks, settings, login):
    n_ = network
    c = registered(n_, villager, django_capture_on_commit_callbacks)
    settings.HUIYING_NOTIFY_BACKEND, settings.HUIYING_SMS_URL = "http", "http://127.0.0.1:9/nothing-listens-here"
    settings.HUIYING_NOTIFY_MAX_ATTEMPTS = 3
    n = Notification.objects.get()
    at = clock.now()
    for _ in range(3):
        status = ns.deliver(n.pk, now=at)
        n.refresh_from_db()
        at = n.next_attempt_at or at
    assert status == Status.FAILED and n.attempts == 3 and n.last_error
    page = login("village_clerk").get(f"/concerns/{c.reference}/").content.decode()
    assert "发送失败" in page and n.last_error in page and PHONE in page
    failed = login("township_staff").get("/notifications/").content.decode()
    assert c.reference in failed and "139****5678" in failed and PHONE not in failed
    assert c.reference not in login("other_township_staff").get("/notifications/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = login("village_clerk").post(f"/notifications/{n.pk}/retry/", {"next": f"/concerns/{c.reference}/"})
    assert r.status_code == 302
    n.refresh_from_db()
    assert (n.status, n.attempts) == (Status.PENDING, 0)
    assert login("other_township_staff").post(f"/notifications/{n.pk}/retry/").status_code == 404


def test_a_failing_backend_never_undoes_or_blocks_the_step(network, villager, django_capture_on_commit_callbacks, settings, monkeypatch):
    n = network
    settings.HUIYING_NOTIFY_BACKEND = "http"
    settings.HUIYING_SMS_URL = "http://127.0.0.1:9/down"
    c = registered(n, villager, django_capture_on_commit_callbacks)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the notification code")

    monkeypatch.setattr("huiying.notify.messages.text", broken)
    with django_capture_on_commit_callbacks(execute=True):
        act(cs.concern_assign, actor=n.village_clerk, concern=c, handler=n.village_clerk)
        act(cs.concern_start_on_site, actor=n.village_clerk, concern=c)
        act(cs.concern_resolve, actor=n.village_clerk, concern=c, result="已调解")
    assert fresh(c).state == State.SUPERVISION  # the step stands, whatever the messages did
    assert not Notification.objects.filter(kind=Kind.RESULT).exists()
    assert ns.deliver(Notification.objects.get(kind=Kind.REGISTERED).pk) == Status.PENDING


def test_the_api_lists_a_concerns_messages_and_sends_one_again(api, network, villager, django_capture_on_commit_callbacks):
    c = registered(network, villager, django_capture_on_commit_callbacks)
    n = Notification.objects.get()
    rows = api("village_clerk").get(f"/api/v1/concerns/{c.reference}/notifications").json()
    assert [(r["kind"], r["phone"], r["status"]) for r in rows] == [("registered", PHONE, "pending")]
    rows = api("township_staff").get(f"/api/v1/concerns/{c.reference}/notifications").json()
    assert rows[0]["phone"] == "139****5678"
    assert api("far_clerk").get(f"/api/v1/concerns/{c.reference}/notifications").status_code == 404
    assert api(None).get(f"/api/v1/concerns/{c.reference}/notifications").status_code == 401
    Notification.objects.filter(pk=n.pk).update(status=Status.FAILED, attempts=6)
    r = api("village_clerk").post(f"/api/v1/notifications/{n.pk}/retry")
    assert r.status_code == 200 and r.json()["status"] == "pending" and r.json()["attempts"] == 0
    assert api("far_clerk").post(f"/api/v1/notifications/{n.pk}/retry").status_code == 404
    Notification.objects.filter(pk=n.pk).update(status=Status.SENT)
    r = api("village_clerk").post(f"/api/v1/notifications/{n.pk}/retry")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["notification"]
