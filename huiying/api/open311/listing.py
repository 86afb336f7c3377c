"""What Open311 shows of a county's concerns — to anyone, since the spec's GET methods take
no key: every concern that is not confidential, whichever channel brought it, with its
service (function), status, handling unit and dates. Never a villager, a phone number, the
details or the result: a concern's summary is its description here.

Status: `closed` once the concern has an outcome (resolved, or ended otherwise), `open`
while it is pending — a concern reopened by a dissatisfied rating is open again.
"""
import datetime as dt

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from huiying.concerns.models import Concern, Function, Outcome, State, Track
from huiying.core import clock
from huiying.core.errors import ServiceError
from huiying.network.models import Unit

from huiying.board.anonymise import Scrubber

from .catalogue import hamlet_label
from .render import w3_datetime

WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000
STATUSES = ("open", "closed")


def public_concerns(county: Unit) -> QuerySet[Concern]:
    """The county's concerns as the public may know of them: confidential ones (涉密涉私)
    never, whatever else is asked. Should move to `huiying.access` with the public board."""
    return (
        Concern.objects.filter(received_county=county, confidential=False).exclude(track=Track.CONFIDENTIAL)
        .select_related("handling_unit", "hamlet__village__parent").annotate(last_record_at=Max("records__at"))
    )


def _when(value: str, field: str) -> dt.datetime:
    parsed = None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        pass
    if parsed is None or not 1900 <= parsed.year <= 2999:
        raise ServiceError(field, _("%(field)s must be a date and time in w3 format, such as 2026-03-01T00:00:00+08:00.") % {"field": field})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _list(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def search(county: Unit, params, *, now: dt.datetime | None = None) -> list[Concern]:
    """GET requests: the spec's filters and its default window (90 days, 1,000 requests)."""
    qs = public_concerns(county)
    ids = _list(params.get("service_request_id", ""))
    if ids:
        # "This overrides all other arguments."
        return list(qs.filter(reference__in=ids[:MAX_RESULTS]).order_by("-received_at", "-id"))
    codes = _list(params.get("service_code", ""))
    if codes:
        qs = qs.filter(function__in=codes)
    statuses = _list(params.get("status", ""))
    if any(s not in STATUSES for s in statuses):
        raise ServiceError("status", _("status is open or closed (comma-separated for both)."))
    if statuses == ["open"]:
        qs = qs.filter(outcome="")
    elif statuses == ["closed"]:
        qs = qs.exclude(outcome="")
    start = _when(params["start_date"], "start_date") if params.get("start_date") else None
    end = _when(params["end_date"], "end_date") if params.get("end_date") else None
    if start is None and end is None:
        end = now or clock.now()
    if start is None:
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if end < start:
        raise ServiceError("end_date", _("end_date is before start_date."))
    if end - start > WINDOW:
        raise ServiceError("end_date", _("A search may not span more than 90 days."))
    qs = qs.filter(received_at__gte=start, received_at__lte=end)
    return list(qs.order_by("-received_at", "-id")[:MAX_RESULTS])


def find(county: Unit, service_request_id: str) -> Concern | None:
    return public_concerns(county).filter(reference=service_request_id).first()


def _status_notes(c: Concern) -> str:
    if c.outcome:
        return str(Outcome(c.outcome).label)
    return str(State(c.state).label)


def _expected(c: Concern) -> str | None:
    if c.outcome:
        return None
    end_of_day = dt.datetime.combine(c.due_date, dt.time(23, 59, 59), timezone.get_current_timezone())
    return w3_datetime(end_of_day)


def as_request(c: Concern, *, scrubber=None) -> dict:
    # The summary is free text staff typed: public here, so scrubbed like the board's
    # (names, phone and ID numbers out; huiying.board.anonymise).
    scrubber = scrubber or Scrubber()
    if c.outcome:
        updated = c.closed_at or c.resolved_at or c.last_record_at
    else:
        updated = c.last_record_at
    return {
        "service_request_id": c.reference,
        "status": "closed" if c.outcome else "open",
        "status_notes": _status_notes(c),
        "service_name": str(Function(c.function).label),
        "service_code": c.function,
        "description": scrubber(c, c.summary),
        "agency_responsible": c.handling_unit.name,
        "service_notice": None,
        "requested_datetime": w3_datetime(c.received_at),
        "updated_datetime": w3_datetime(updated or c.received_at),
        "expected_datetime": _expected(c),
        "address": hamlet_label(c.hamlet) if c.hamlet_id else None,
        "address_id": str(c.hamlet_id) if c.hamlet_id else None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }
