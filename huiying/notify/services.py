"""Queueing and sending text messages to villagers.

A concern event (`huiying.concerns.events.concern_event`, sent only after the step's
transaction commits) queues one `Notification` per phone and enqueues its sending as a
django-tasks task. Nothing here runs inside a workflow step, so a failing gateway — or a bug
here — can never undo or block one: the step has already committed, and the signal is sent
with `send_robust`.

Sending: one attempt per task; a failure schedules the next attempt with `run_after` after
30 s, 2 min, 8 min, … (×4, at most 12 h) until `HUIYING_NOTIFY_MAX_ATTEMPTS` have failed,
then the message is marked failed for staff to see and send again. The schedule lives in
the task table: a restarted worker loses nothing.
"""
import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from huiying import access
from huiying.concerns.models import Concern, Outcome
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import STAFF_ROLES

from . import backends, messages, recipients
from .models import Kind, Notification, Status

log = logging.getLogger("huiying.notify")
FIRST_RETRY = dt.timedelta(seconds=30)
MAX_BACKOFF = dt.timedelta(hours=12)

# Workflow actions → what the villager is told.
EVENT_KINDS = {
    "register": Kind.REGISTERED,
    "book_appointment": Kind.APPOINTMENT,
    "resolve": Kind.RESULT,
    "feedback": Kind.RATING_REQUEST,
}


def backoff(failed_attempts: int) -> dt.timedelta:
    return min(FIRST_RETRY * 4 ** (failed_attempts - 1), MAX_BACKOFF)


def _round(concern: Concern, kind: str) -> int:
    # A reopened concern's next result is news again; so is a second booked visit.
    if kind == Kind.APPOINTMENT:
        return concern.appointments.count()
    return concern.reopen_count


def on_concern_event(sender, *, concern_id, action, **kwargs) -> list[Notification]:
    kind = EVENT_KINDS.get(action)
    if kind is None:
        return []
    concern = Concern.objects.select_related("handling_unit").filter(pk=concern_id).first()
    if concern is None:
        return []
    if kind == Kind.RATING_REQUEST and (concern.outcome != Outcome.RESOLVED or concern.ratings.filter(round=concern.reopen_count).exists()):
        return []  # nothing to rate, or already rated at the counter
    return notifications_queue(concern=concern, kind=kind)


def notifications_queue(*, concern: Concern, kind: str, now=None) -> list[Notification]:
    """Queue `kind` for each of the concern's phones, once per phone and round; returns the
    new ones. Their sending starts after the surrounding transaction (if any) commits."""
    if kind not in Kind.values:
        raise ServiceError("kind", _("Unknown kind of notification."))
    now = now or clock.now()
    phones = recipients.phones_for(concern)
    if not phones:
        return []
    text = messages.text(kind, concern)
    round_ = _round(concern, kind)
    queued = []
    for phone in phones:
        try:
            with transaction.atomic():
                n = Notification.objects.create(concern=concern, kind=kind, round=round_, phone=phone, text=text, created_at=now, next_attempt_at=now)
        except IntegrityError:
            continue  # already queued for this phone and round
        queued.append(n)
        transaction.on_commit(lambda pk=n.pk: send_notification.enqueue(pk))
    return queued


def deliver(notification_id: int, *, now=None) -> str:
    """One attempt at a pending message; schedules the next if it fails. Returns its status."""
    now = now or clock.now()
    n = Notification.objects.filter(pk=notification_id).first()
    if n is None or n.status != Status.PENDING:
        return n.status if n else "missing"
    if n.next_attempt_at is not None and n.next_attempt_at > now + dt.timedelta(seconds=1):
        return Status.PENDING  # a stale duplicate task: the scheduled one will come
    # Claim this attempt: of two workers holding the same message, one sends it.
    if not Notification.objects.filter(pk=n.pk, status=Status.PENDING, attempts=n.attempts).update(attempts=F("attempts") + 1, last_attempt_at=now):
        return Status.PENDING
    attempts = n.attempts + 1
    b = backends.backend()
    try:
        b.send(to=n.phone, text=n.text, message_id=f"hy-{n.pk}")
    except Exception as e:  # any failure of any backend is a failed attempt, never a crash
        error = str(e)[:500] or e.__class__.__name__
        changes = {"last_error": error, "backend": b.name}
        if attempts >= settings.HUIYING_NOTIFY_MAX_ATTEMPTS:
            changes.update(status=Status.FAILED, next_attempt_at=None)
            log.warning("notification %s failed for good after %d attempts: %s", n.pk, attempts, error)
        else:
            changes["next_attempt_at"] = now + backoff(attempts)
    else:
        changes = {"status": Status.SENT, "sent_at": now, "next_attempt_at": None, "last_error": "", "backend": b.name}
    Notification.objects.filter(pk=n.pk).update(**changes)
    if changes.get("next_attempt_at"):
        send_notification.using(run_after=changes["next_attempt_at"]).enqueue(n.pk)
    return changes.get("status", Status.PENDING)


def may_manage(user, notification: Notification) -> bool:
    """Staff of the network who see the concern may send its messages again."""
    if not access.can_see_concern(user, notification.concern):
        return False
    return user.is_superuser or any(m.role in STAFF_ROLES | access.COUNTY_WIDE for m in access.memberships(user))


def notification_retry(*, actor, notification: Notification, now=None) -> Notification:
    """Staff send a failed (or waiting) message again, with a fresh allowance of attempts."""
    if not may_manage(actor, notification):
        raise NotFound("notification", _("No such notification."))
    if notification.status == Status.SENT:
        raise ServiceError("notification", _("This message has already been sent."))
    now = now or clock.now()
    Notification.objects.filter(pk=notification.pk).update(status=Status.PENDING, attempts=0, next_attempt_at=now, last_error="")
    transaction.on_commit(lambda: send_notification.enqueue(notification.pk))
    notification.refresh_from_db()
    return notification


@task()
def send_notification(notification_id: int) -> str:
    return deliver(notification_id)
