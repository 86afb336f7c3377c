"""Time limits in working days, and the tick that flags overdue concerns.

Due dates are stored on the concern, so a restart loses nothing: the tick only compares
them with today. Flagging is idempotent — a concern is flagged once, when it first becomes
overdue — so running the tick twice (or from two workers) changes nothing more.
"""
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from huiying.core import clock, workdays
from huiying.records import book

from . import events
from .models import OPEN_STATES, Concern, Track


def track_limit(track: str) -> int:
    return int(settings.HUIYING_TRACK_LIMITS[Track(track).value])


def due_date_for(track: str, start: dt.date) -> dt.date:
    return workdays.add_workdays(start, track_limit(track))


def tick(*, now: dt.datetime | None = None) -> dict:
    """Flag open concerns past their due date and alert the handling unit's parent
    (township sees overdue village items; the county sees everything via its subtree).

    The flag means "overdue and still open": the services that extend the due date or
    finish the concern clear it in the same write. Returns {"flagged": n}.
    """
    now = now or clock.now()
    today = timezone.localdate(now)
    flagged = 0
    due = Concern.objects.filter(state__in=OPEN_STATES, overdue=False, due_date__lt=today).select_related("handling_unit")
    for concern in list(due):
        with transaction.atomic():
            # Not a workflow step, so the version is left alone (an open form stays valid);
            # `overdue=False` in the filter makes a second tick, or a second worker, a no-op.
            alert_unit_id = concern.handling_unit.parent_id or concern.handling_unit_id
            n = Concern.objects.filter(pk=concern.pk, overdue=False, state__in=OPEN_STATES, due_date__lt=today).update(
                overdue=True, overdue_since=today, alert_unit_id=alert_unit_id
            )
            if n:
                book.append(
                    county_id=concern.received_county_id, action="concern.overdue", unit_id=concern.handling_unit_id, concern=concern,
                    from_state=concern.state, to_state=concern.state, at=now,
                    payload={"due_date": concern.due_date.isoformat(), "alert_unit": alert_unit_id},
                )
                flagged += 1
    events.ticked.send(sender=Concern, today=today)
    return {"flagged": flagged}
