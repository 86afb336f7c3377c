"""Writes of cadres' visits (预约下站): book, cancel, record the outcome. Each is one
transaction; the record book gets one entry per concern the visit serves (so the visit is
on each concern's timeline), or one for the visit alone when it serves none."""
import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns.models import Concern
from huiying.core import clock
from huiying.core.errors import Forbidden, NotFound, ServiceError
from huiying.network.models import Unit
from huiying.network.selectors import subtree_q
from huiying.records import book

from . import selectors as sel
from .models import CadreVisit, VisitConcern, VisitStatus

MAX_CONCERNS = 20


def _text(value, field: str, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise ServiceError(field, _("Give a text."))
    if required and not value:
        raise ServiceError(field, _("This field is required."), code="required")
    if len(value) > max_length:
        raise ServiceError(field, _("At most %(n)s characters."), params={"n": max_length})
    return value


def _who(visit: CadreVisit) -> str:
    name = visit.cadre.get_full_name() or visit.cadre.get_username()
    return " ".join(x for x in (visit.cadre_unit.name, visit.cadre_title, name) if x)


def _record(action: str, visit: CadreVisit, *, actor, at, payload: dict, notes: dict | None = None) -> None:
    """One entry per concern served (`notes` gives each its own note), else one for the visit."""
    group = uuid.uuid4()
    base = {"visit": visit.id, "date": visit.date.isoformat(), "cadre": _who(visit), **payload}
    served = list(visit.served.select_related("concern"))
    for vc in served:
        extra = {"note": notes[vc.concern_id]} if notes and vc.concern_id in notes else {}
        book.append(county_id=visit.county_id, action=action, actor=actor, unit_id=visit.unit_id, concern=vc.concern, at=at, group=group,
                    payload={**base, "reference": vc.concern.reference, **extra})
    if not served:
        book.append(county_id=visit.county_id, action=action, actor=actor, unit_id=visit.unit_id, at=at, group=group, payload=base)


def _concerns(actor, unit: Unit, concerns) -> list[Concern]:
    concerns = list(dict.fromkeys(concerns or []))
    if len(concerns) > MAX_CONCERNS:
        raise ServiceError("concerns", _("At most %(n)s concerns per visit."), params={"n": MAX_CONCERNS})
    if any(not isinstance(c, Concern) for c in concerns):
        raise ServiceError("concerns", _("Give concerns."))
    ids = [c.pk for c in concerns]
    visible = {c.pk: c for c in access.visible_concerns(actor).filter(pk__in=ids)}
    for c in concerns:
        # An invisible concern (a confidential one the cadre may not see) is "not found".
        if c.pk not in visible:
            raise NotFound("concerns", _("No such concern."))
    inside = set(Concern.objects.filter(subtree_q(unit, "received_"), pk__in=ids).values_list("pk", flat=True))
    for c in concerns:
        c = visible[c.pk]
        if c.pk not in inside:
            raise ServiceError("concerns", _("%(ref)s was not received at %(unit)s or below it."), params={"ref": c.reference, "unit": unit.name})
        if c.outcome:
            raise ServiceError("concerns", _("%(ref)s has already ended."), params={"ref": c.reference})
    return [visible[c.pk] for c in concerns]


@transaction.atomic
def cadre_visit_book(*, actor, unit: Unit, date: dt.date, purpose: str, concerns=(), title: str = "", now=None) -> CadreVisit:
    """`actor` books a day at `unit` (预约下站), for `purpose` and the `concerns` they come for."""
    now = now or clock.now()
    membership = sel.booking_membership(actor, unit)
    if isinstance(date, dt.datetime) or not isinstance(date, dt.date):
        raise ServiceError("date", _("Give a date."))
    if date < timezone.localdate(now):
        raise ServiceError("date", _("The visit's date, today or later."))
    purpose = _text(purpose, "purpose", max_length=500)
    title = _text(title, "title", max_length=50, required=False)
    served = _concerns(actor, unit, concerns)
    visit = CadreVisit.objects.create(
        unit=unit, date=date, purpose=purpose, cadre=actor, cadre_unit=membership.unit, cadre_title=title, booked_by=actor, booked_at=now,
        county_id=unit.county_id, township_id=unit.township_id, village_id=unit.village_id, point_id=unit.point_id,
    )
    VisitConcern.objects.bulk_create([VisitConcern(visit=visit, concern=c) for c in served])
    # The purpose stays on the visit (shown to whoever sees all its concerns): on each concern's
    # timeline it could speak of another, confidential concern of the same visit.
    _record("cadres.visit_book", visit, actor=actor, at=now, payload={} if served else {"note": purpose})
    return visit


def _managed(actor, visit: CadreVisit) -> CadreVisit:
    """The visit, locked, if `actor` may cancel it or record its outcome."""
    if not isinstance(visit, CadreVisit):
        raise NotFound("visit", _("No such visit."))
    row = sel.visible_visits(actor).filter(pk=visit.pk).first()
    if row is None:
        raise NotFound("visit", _("No such visit."))
    if not sel.may_manage(actor, row):
        raise Forbidden("visit", _("Only the cadre, whoever booked the visit and the county HQ may change it."))
    row = CadreVisit.objects.select_for_update().select_related("unit", "cadre", "cadre_unit").get(pk=row.pk)
    if row.status != VisitStatus.BOOKED:
        raise ServiceError("visit", _("This visit is already %(status)s."), params={"status": VisitStatus(row.status).label})
    return row


@transaction.atomic
def cadre_visit_cancel(*, actor, visit: CadreVisit, reason: str, now=None) -> CadreVisit:
    now = now or clock.now()
    visit = _managed(actor, visit)
    reason = _text(reason, "reason", max_length=200)
    CadreVisit.objects.filter(pk=visit.pk).update(status=VisitStatus.CANCELLED, cancel_reason=reason, closed_at=now)
    visit.refresh_from_db()
    _record("cadres.visit_cancel", visit, actor=actor, at=now, payload={"reason": reason})
    return visit


@transaction.atomic
def cadre_visit_record_outcome(*, actor, visit: CadreVisit, summary: str, outcomes: dict | None = None, now=None) -> CadreVisit:
    """What the visit did (`summary`), and for each concern it served what came of it
    (`outcomes`: concern id → text, one for every concern). Each concern's outcome is entered
    in the record book against that concern, so it is on the concern's timeline. The concern's
    own state and outcome are the workflow's: this records, it does not close anything."""
    now = now or clock.now()
    visit = _managed(actor, visit)
    if visit.date > timezone.localdate(now):
        raise ServiceError("date", _("The visit is on %(date)s: record its outcome on that day or after."), params={"date": visit.date})
    summary = _text(summary, "summary", max_length=2000)
    outcomes = outcomes or {}
    if not isinstance(outcomes, dict):
        raise ServiceError("outcomes", _("Give one outcome for each concern of the visit."))
    served = list(visit.served.select_related("concern"))
    unknown = set(outcomes) - {vc.concern_id for vc in served}
    if unknown:
        raise ServiceError("outcomes", _("Only the concerns this visit came for have an outcome here."))
    texts = {}
    for vc in served:
        texts[vc.concern_id] = _text(outcomes.get(vc.concern_id), f"outcomes.{vc.concern.reference}", max_length=2000)
    for vc in served:
        VisitConcern.objects.filter(pk=vc.pk).update(outcome=texts[vc.concern_id])
    CadreVisit.objects.filter(pk=visit.pk).update(status=VisitStatus.DONE, summary=summary, closed_at=now)
    visit.refresh_from_db()
    _record("cadres.visit_outcome", visit, actor=actor, at=now, payload={"note": summary} if not served else {}, notes=texts)
    return visit
