"""Writes of the public notice board (公示牌): posting a batch (集中公示), taking over results
posted before the board existed, and a villager's objection (公示异议).

Each is one transaction with its record-book entry. The concern's own state changes go
through the core's steps (`concern_post`, `concern_object_by_villager`), which check the
transition table; a refusal of any one concern of a batch posts none of them.
"""
import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns.models import Concern, Outcome, State
from huiying.concerns.services import concern_object_by_villager, concern_post
from huiying.concerns.validators import clean_phone
from huiying.concerns.workflow import TRANSITIONS
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Unit
from huiying.records import book
from huiying.records.models import RecordEntry

from . import anonymise
from .models import Objection, PostedItem, PostingBatch

OBJECTION_MAX_LENGTH = 500


def _snapshot(batch: PostingBatch, concern: Concern, *, posted_on: dt.date, scrubber: anonymise.Scrubber) -> PostedItem:
    pattern = scrubber.pattern(concern)
    return PostedItem.objects.create(
        batch=batch, concern=concern, reference=concern.reference, function=concern.function, track=concern.track,
        summary=anonymise.scrub(concern.summary, pattern=pattern)[:400],
        result=anonymise.scrub(concern.result, pattern=pattern),
        hamlet_name=concern.hamlet.name if concern.hamlet_id else "",
        posted_on=posted_on,
    )


def _check_period(period_start, period_end, objection_until, *, today: dt.date, past_ok: bool = False) -> None:
    for field, value in (("period_start", period_start), ("period_end", period_end), ("objection_until", objection_until)):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ServiceError(field, _("A date is required."), code="required")
    if not past_ok and period_start < today:
        raise ServiceError("period_start", _("The posting starts today or later."))
    if period_end < period_start:
        raise ServiceError("period_end", _("The posting ends on or after the day it starts."))
    if (period_end - period_start).days > settings.HUIYING_BOARD_MAX_PERIOD_DAYS:
        raise ServiceError("period_end", _("A posting lasts at most %(n)s days."), params={"n": settings.HUIYING_BOARD_MAX_PERIOD_DAYS})
    if not period_start <= objection_until <= period_end:
        raise ServiceError("objection_until", _("The objection deadline falls within the posting period."))


def board_batch_post(*, actor, unit: Unit, concerns, period_start: dt.date, period_end: dt.date, objection_until: dt.date, now=None) -> PostingBatch:
    """Post results under supervision as one batch on `unit`'s board (集中公示).

    Each concern must be handled by `unit`, under supervision and not confidential; each is
    posted through `concern_post` (the table decides who may), its anonymised snapshot
    stored. All or nothing."""
    now = now or clock.now()
    today = timezone.localdate(now)
    if not isinstance(unit, Unit):
        raise NotFound("unit", _("No such unit."))
    access.check_unit_access(actor, unit, roles=TRANSITIONS["post"].roles)
    _check_period(period_start, period_end, objection_until, today=today)
    concerns = list(concerns or [])
    if not concerns:
        raise ServiceError("concerns", _("Choose at least one result to post."), code="required")
    if len({c.pk for c in concerns}) != len(concerns):
        raise ServiceError("concerns", _("A result is chosen twice."))
    group = uuid.uuid4()
    with transaction.atomic():
        batch = PostingBatch.objects.create(unit=unit, period_start=period_start, period_end=period_end, objection_until=objection_until, posted_at=now, posted_by=actor)
        scrubber = anonymise.Scrubber()
        for concern in concerns:
            # Checked here, before the core step, so the refusal names the board's rule.
            fresh = Concern.objects.filter(pk=concern.pk).select_related("hamlet").first()
            if fresh is None or not access.can_see_concern(actor, fresh):
                raise NotFound("concerns", _("No such concern."))
            if fresh.confidential:
                raise ServiceError("concerns", _("Confidential concerns are never posted."))
            if fresh.handling_unit_id != unit.id:
                raise ServiceError("concerns", _("%(reference)s is not handled by this unit."), params={"reference": fresh.reference})
            if fresh.state != State.SUPERVISION:
                raise ServiceError("concerns", _("%(reference)s is not a result under supervision."), params={"reference": fresh.reference})
            posted = concern_post(actor=actor, concern=fresh, version=concern.version, now=now)
            _snapshot(batch, posted, posted_on=today, scrubber=scrubber)
        book.append(
            county_id=unit.county_id, action="board.batch_post", actor=actor, unit_id=unit.id, at=now, group=group,
            payload={"batch": batch.id, "items": len(concerns), "references": [c.reference for c in concerns],
                     "period_start": period_start, "period_end": period_end, "objection_until": objection_until},
        )
    return batch


def board_backfill(*, county: Unit, period_days: int | None = None, now=None) -> list[PostingBatch]:
    """Take onto the board the results posted before it existed (the core's `concern_post`
    alone): every posted, resolved, non-confidential concern of `county` without a snapshot
    gets one, in one batch per handling unit and posting day, posted for `period_days` from
    that day (objections until its end). Safe to run again: it takes only what is missing."""
    now = now or clock.now()
    days = period_days if period_days is not None else settings.HUIYING_BOARD_DEFAULT_PERIOD_DAYS
    posts = (
        RecordEntry.objects.filter(county_id=county.id, action="concern.post", concern__confidential=False, concern__outcome=Outcome.RESOLVED)
        .exclude(concern__board_items__isnull=False)
        .order_by("at", "id").values_list("concern_id", "at")
    )
    # The last posting of each concern (a reworked result is posted again).
    posted_at = {}
    for concern_id, at in posts:
        posted_at[concern_id] = at
    groups: dict[tuple[int, dt.date], list[Concern]] = {}
    concerns = Concern.objects.filter(pk__in=posted_at).select_related("hamlet").order_by("id")
    for c in concerns:
        groups.setdefault((c.handling_unit_id, timezone.localdate(posted_at[c.id])), []).append(c)
    batches = []
    with transaction.atomic():
        units = Unit.objects.in_bulk({u for u, _day in groups})
        scrubber = anonymise.Scrubber()
        for (unit_id, day), items in sorted(groups.items()):
            end = day + dt.timedelta(days=days)
            batch = PostingBatch.objects.create(unit_id=unit_id, period_start=day, period_end=end, objection_until=end, posted_at=now, backfilled=True)
            for c in items:
                _snapshot(batch, c, posted_on=day, scrubber=scrubber)
            book.append(
                county_id=county.id, action="board.backfill", unit_id=unit_id, at=now,
                payload={"batch": batch.id, "items": len(items), "references": [c.reference for c in items], "period_start": day, "period_end": end},
            )
            batch.unit = units[unit_id]
            batches.append(batch)
    return batches


def board_object(*, item: PostedItem, reason: str, phone: str = "", now=None) -> Objection:
    """A villager objects to a posted result during its objection window: the result goes
    back to its handler (`concern_object_by_villager`) and the objection is kept for staff."""
    now = now or clock.now()
    today = timezone.localdate(now)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason", _("Say briefly what is wrong with this result."), code="required")
    if len(reason) > OBJECTION_MAX_LENGTH:
        raise ServiceError("reason", _("At most %(n)s characters."), params={"n": OBJECTION_MAX_LENGTH})
    phone = clean_phone(phone, "phone")
    with transaction.atomic():
        locked = PostedItem.objects.select_for_update().filter(pk=getattr(item, "pk", None), concern__confidential=False).select_related("batch").first()
        if locked is None:
            raise NotFound("item", _("No such posted result."))
        if locked.objected_at is not None:
            raise ServiceError("item", _("An objection to this result has already been received; it is being handled again."), code="objected")
        if not locked.batch.period_start <= today <= locked.batch.objection_until:
            raise ServiceError("item", _("The objection period for this result ended on %(date)s."), params={"date": locked.batch.objection_until}, code="closed")
        concern = Concern.objects.get(pk=locked.concern_id)
        if concern.state != State.POSTED:
            raise ServiceError("item", _("This result has already been answered back to the villager; to object, please call the station."), code="closed")
        concern_object_by_villager(concern=concern, version=concern.version, reason=reason, now=now)
        locked.objected_at = now
        locked.save(update_fields=["objected_at"])
        return Objection.objects.create(item=locked, concern=concern, reason=reason, phone=phone, at=now)
