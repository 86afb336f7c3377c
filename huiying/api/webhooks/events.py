"""From a concern event (`huiying.concerns.events.concern_event`, sent after commit) to
one delivery per matching subscription, each queued as a background task."""
import logging

from django.db import transaction

from huiying.concerns.models import Concern
from huiying.core import clock

from ..models import WebhookDelivery, WebhookSubscription

log = logging.getLogger("huiying.webhooks")


def payload(concern: Concern, *, event: str, from_state: str, to_state: str, delivery_id, at) -> dict:
    """What a receiver learns: the event and the concern's workflow position. No villager,
    no details; the summary only of a concern that is not confidential."""
    unit = lambda u: {"id": u.id, "code": u.code, "name": u.name}  # noqa: E731
    body = {
        "id": str(delivery_id),
        "event": event,
        "occurred_at": at.isoformat(),
        "from_state": from_state,
        "to_state": to_state,
        "concern": {
            "reference": concern.reference,
            "version": concern.version,
            "function": concern.function,
            "channel": concern.channel,
            "track": concern.track,
            "state": concern.state,
            "outcome": concern.outcome,
            "confidential": concern.confidential,
            "due_date": concern.due_date.isoformat(),
            "received_unit": unit(concern.received_unit),
            "handling_unit": unit(concern.handling_unit),
        },
    }
    if not concern.confidential:
        body["concern"]["summary"] = concern.summary
    return body


def subscriptions_for(concern: Concern, event: str):
    subs = WebhookSubscription.objects.filter(active=True)
    for sub in subs:
        if sub.county_id not in (None, concern.received_county_id):
            continue
        if sub.events and event not in sub.events:
            continue
        if concern.confidential and not sub.include_confidential:
            continue
        yield sub


def on_concern_event(sender, *, concern_id, action, from_state, to_state, **kwargs) -> list[WebhookDelivery]:
    from .delivery import deliver_webhook

    event = f"concern.{action}"
    concern = Concern.objects.select_related("received_unit", "handling_unit").filter(pk=concern_id).first()
    if concern is None:
        return []
    now = clock.now()
    deliveries = []
    with transaction.atomic():
        for sub in subscriptions_for(concern, event):
            d = WebhookDelivery(subscription=sub, event=event, concern_reference=concern.reference, created_at=now, next_attempt_at=now, payload={})
            d.payload = payload(concern, event=event, from_state=from_state, to_state=to_state, delivery_id=d.event_id, at=now)
            d.save()
            deliveries.append(d)
        for d in deliveries:
            # The task row commits with the delivery row: neither exists without the other.
            deliver_webhook.enqueue(d.pk)
    if deliveries:
        log.info("%s %s: %d webhook deliveries queued", event, concern.reference, len(deliveries))
    return deliveries
