"""Webhooks: concern events reach subscribed integrations as signed POSTs, retried with
backoff until delivered, every attempt visible to administrators. The receiver is a real
HTTP server on 127.0.0.1, started by the test."""
import datetime as dt
import hashlib
import hmac
import json

import pytest
from django_tasks_db.models import DBTaskResult

from huiying.api.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from huiying.api.webhooks.delivery import backoff, deliver, deliver_webhook
from huiying.core import clock

from helpers import Receiver, register


@pytest.fixture
def subscribed(network, now):
    def make(url, **kw):
        return WebhookSubscription.objects.create(name=kw.pop("name", "省12345平台"), url=url, **kw)

    return make


def step(api, concern, action, body, capture):
    with capture(execute=True):
        r = api("village_clerk").post(f"/api/v1/concerns/{concern.reference}/{action}", {"version": concern.version, **body}, format="json")
    assert r.status_code == 200, r.json()
    return r


def test_an_event_is_delivered_signed_and_retried_with_backoff(api, network, now, subscribed, django_capture_on_commit_callbacks):
    concern = register(network, actor=network.village_clerk)
    with Receiver([500, 503, 200]) as receiver:
        sub = subscribed(receiver.url)
        step(api, concern, "assign", {"handler": "village_clerk"}, django_capture_on_commit_callbacks)
        (d,) = WebhookDelivery.objects.all()
        assert (d.event, d.concern_reference, d.status) == ("concern.assign", concern.reference, DeliveryStatus.PENDING)
        assert DBTaskResult.objects.filter(task_path=deliver_webhook.module_path, args_kwargs__args=[d.pk]).exists()

        assert deliver(d.pk, now=now) == DeliveryStatus.PENDING
        d.refresh_from_db()
        assert (d.attempts, d.last_status_code, d.next_attempt_at) == (1, 500, now + dt.timedelta(seconds=30))
        # The retry is queued for then, in the task table (a restart loses nothing).
        retry = DBTaskResult.objects.filter(task_path=deliver_webhook.module_path).order_by("-enqueued_at").first()
        assert retry.run_after == now + dt.timedelta(seconds=30)
        assert deliver(d.pk, now=now) == DeliveryStatus.PENDING  # too early: a duplicate task does nothing
        assert len(receiver.received) == 1

        later = now + dt.timedelta(seconds=30)
        assert deliver(d.pk, now=later) == DeliveryStatus.PENDING
        d.refresh_from_db()
        assert (d.attempts, d.last_status_code, d.next_attempt_at) == (2, 503, later + dt.timedelta(minutes=2))
        assert deliver(d.pk, now=later + dt.timedelta(minutes=2)) == DeliveryStatus.DELIVERED
        d.refresh_from_db()
        assert (d.status, d.attempts, d.last_status_code, d.next_attempt_at) == (DeliveryStatus.DELIVERED, 3, 200, None)
        assert deliver(d.pk) == DeliveryStatus.DELIVERED and len(receiver.received) == 3  # never sent again

    for headers, body in receiver.received:
        # What a receiver does: recompute the HMAC over "<timestamp>.<body>" with the shared secret.
        expected = "sha256=" + hmac.new(sub.secret.encode(), headers["X-Huiying-Timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Huiying-Signature"], expected)
        assert headers["X-Huiying-Event"] == "concern.assign" and headers["X-Huiying-Delivery"] == str(d.event_id)
        payload = json.loads(body)
        assert payload["id"] == str(d.event_id) and payload["concern"]["reference"] == concern.reference
        assert (payload["from_state"], payload["to_state"], payload["concern"]["version"]) == ("registered", "analysis", 2)
    tampered = receiver.received[0][1].replace(b"analysis", b"closed")
    assert "sha256=" + hmac.new(sub.secret.encode(), receiver.received[0][0]["X-Huiying-Timestamp"].encode() + b"." + tampered, hashlib.sha256).hexdigest() != receiver.received[0][0]["X-Huiying-Signature"]


def test_a_delivery_fails_for_good_after_the_last_attempt(network, now, subscribed, settings, django_capture_on_commit_callbacks):
    settings.HUIYING_WEBHOOK_MAX_ATTEMPTS = 3
    with Receiver([500] * 5) as receiver:
        subscribed(receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            register(network, actor=network.village_clerk)
        (d,) = WebhookDelivery.objects.all()
        assert d.event == "concern.register"
        at = now
        for _ in range(3):
            status = deliver(d.pk, now=at)
            d.refresh_from_db()
            at = d.next_attempt_at or at
    assert status == DeliveryStatus.FAILED and d.attempts == 3 and d.next_attempt_at is None and len(receiver.received) == 3


def test_an_unreachable_receiver_is_a_failed_attempt(network, now, subscribed, django_capture_on_commit_callbacks):
    with Receiver([]) as receiver:
        url = receiver.url  # a port that is closed once the server stops
    subscribed(url)
    with django_capture_on_commit_callbacks(execute=True):
        register(network, actor=network.village_clerk)
    d = WebhookDelivery.objects.get()
    assert deliver(d.pk, now=now) == DeliveryStatus.PENDING
    d.refresh_from_db()
    assert d.last_status_code is None and d.last_error and d.attempts == 1


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 120, 480, 1920]
    assert backoff(20) == dt.timedelta(hours=12)


def test_subscriptions_choose_events_county_and_confidentiality(network, now, subscribed, django_capture_on_commit_callbacks):
    n = network
    every = subscribed("http://127.0.0.1:9/a", name="all")
    only_closing = subscribed("http://127.0.0.1:9/b", name="closing", events=["concern.close_unresolved"])
    with_secrets = subscribed("http://127.0.0.1:9/c", name="secrets", include_confidential=True)
    from huiying.network import services as net
    from huiying.network.models import Level

    other = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", code="451000000000", ref_prefix="LX")
    elsewhere = subscribed("http://127.0.0.1:9/d", name="elsewhere", county=other)
    with django_capture_on_commit_callbacks(execute=True):
        register(n, actor=n.village_clerk)
        register(n, actor=n.village_clerk, track="confidential")
    got = {(d.subscription.name, d.payload["concern"]["confidential"]) for d in WebhookDelivery.objects.select_related("subscription")}
    assert got == {("all", False), ("secrets", False), ("secrets", True)}
    secret = WebhookDelivery.objects.get(subscription=with_secrets, payload__concern__confidential=True)
    assert "summary" not in secret.payload["concern"]  # no content of a confidential concern, even to those allowed its events
    assert not WebhookDelivery.objects.filter(subscription__in=[only_closing, elsewhere]).exists()
    assert every.deliveries.get().payload["concern"]["summary"] == "测试关切"


def test_administrators_see_deliveries_and_can_send_one_again(network, now, subscribed, client, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x")
    subscribed("http://127.0.0.1:9/a")
    with django_capture_on_commit_callbacks(execute=True):
        register(network, actor=network.village_clerk)
    d = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.FAILED, attempts=8, last_error="HTTP 500")
    client.force_login(admin)
    page = client.get("/admin/api/webhookdelivery/")
    assert page.status_code == 200 and d.concern_reference in page.content.decode()
    assert client.get(f"/admin/api/webhookdelivery/{d.pk}/change/").status_code == 200
    r = client.post("/admin/api/webhookdelivery/", {"action": "send_again", "_selected_action": [d.pk]})
    assert r.status_code == 302
    d.refresh_from_db()
    assert (d.status, d.attempts) == (DeliveryStatus.PENDING, 0)
    assert client.get("/admin/api/webhooksubscription/").status_code == 200
    assert clock.now() == now
