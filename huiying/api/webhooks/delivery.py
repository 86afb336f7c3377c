"""Sending one delivery: a signed POST, retried with exponential backoff.

Signature: `X-Huiying-Signature: sha256=<hex>`, the HMAC-SHA256 of
`<X-Huiying-Timestamp>.<body>` under the subscription's secret. A receiver recomputes it,
compares in constant time, and refuses old timestamps, so a captured delivery cannot be
replayed later. The delivery id (`X-Huiying-Delivery`, also the body's `id`) lets it
ignore a delivery it has already processed: a retry after a lost answer repeats the same id.

Retries: any answer but 2xx (redirects included), a timeout or a network error counts as a
failed attempt; the next one is queued with `run_after` after 30 s, 2 min, 8 min, … (×4,
at most 12 h), until settings.HUIYING_WEBHOOK_MAX_ATTEMPTS have failed. The schedule lives
in the task table, so a restarted worker loses nothing. Administrators see every delivery,
its attempts and last error in the admin, and can send a failed one again.
"""
import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db.models import F
from django_tasks import task

from huiying.core import clock

from ..models import DeliveryStatus, WebhookDelivery

log = logging.getLogger("huiying.webhooks")
FIRST_RETRY = dt.timedelta(seconds=30)
MAX_BACKOFF = dt.timedelta(hours=12)
USER_AGENT = "huiying-webhooks/1"


def backoff(failed_attempts: int) -> dt.timedelta:
    return min(FIRST_RETRY * 4 ** (failed_attempts - 1), MAX_BACKOFF)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer other than 2xx: a failed attempt


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str]:
    """(HTTP status or None, error text). The one place that touches the network."""
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(req, timeout=timeout) as resp:
            return resp.status, ""
    except urllib.error.HTTPError as e:
        return e.code, f"HTTP {e.code}"
    except (urllib.error.URLError, OSError, ValueError) as e:
        return None, str(getattr(e, "reason", e))[:500]


def deliver(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Make one attempt at a pending delivery; schedule the next if it fails. Returns the
    delivery's status afterwards."""
    now = now or clock.now()
    d = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if d is None or d.status != DeliveryStatus.PENDING:
        return d.status if d else "missing"
    if d.next_attempt_at is not None and d.next_attempt_at > now + dt.timedelta(seconds=1):
        return DeliveryStatus.PENDING  # a stale duplicate task: the scheduled one will come
    # Claim this attempt: of two workers holding the same delivery, one sends it.
    claimed = WebhookDelivery.objects.filter(pk=d.pk, status=DeliveryStatus.PENDING, attempts=d.attempts).update(attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        return DeliveryStatus.PENDING
    attempts = d.attempts + 1
    body = body_of(d)
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Huiying-Event": d.event,
        "X-Huiying-Delivery": str(d.event_id),
        "X-Huiying-Timestamp": timestamp,
        "X-Huiying-Signature": signature(d.subscription.secret, timestamp, body),
    }
    status, error = post(d.subscription.url, body, headers, settings.HUIYING_WEBHOOK_TIMEOUT)
    changes = {"last_status_code": status, "last_error": error}
    if status is not None and 200 <= status < 300:
        changes.update(status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None, last_error="")
    elif attempts >= settings.HUIYING_WEBHOOK_MAX_ATTEMPTS:
        changes.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
        log.warning("webhook %s to %s failed for good after %d attempts: %s", d.event_id, d.subscription, attempts, error or status)
    else:
        changes["next_attempt_at"] = now + backoff(attempts)
    WebhookDelivery.objects.filter(pk=d.pk).update(**changes)
    if changes.get("next_attempt_at"):
        deliver_webhook.using(run_after=changes["next_attempt_at"]).enqueue(d.pk)
    return changes.get("status", DeliveryStatus.PENDING)


def retry_now(delivery: WebhookDelivery) -> None:
    """An administrator sends a failed (or waiting) delivery again, with a fresh allowance of attempts."""
    now = clock.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).exclude(status=DeliveryStatus.DELIVERED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now,
    )
    deliver_webhook.enqueue(delivery.pk)


@task()
def deliver_webhook(delivery_id: int) -> str:
    return deliver(delivery_id)
