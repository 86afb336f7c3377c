"""The statistics core: read-only counts for a unit's subtree over a period.

Definitions (the same at every level, so figures add up up the tree):
- visitors: people received at visits (接待来访群众) at units of the subtree in the period;
- concerns: concerns received by units of the subtree in the period;
- resolved: of those, the ones whose outcome is "resolved";
- other: those ended otherwise (withdrawn, merged, transferred out, cannot be resolved);
- pending: those with no outcome yet — so concerns = resolved + pending + other, always;
- overdue: pending concerns whose due date is before `today`;
- units: townships, village stations, hamlets and hamlet points in the subtree;
- staff: network staff (clerks, center staff, commanders) by the level of their unit,
  plus department liaisons under "department" (supervisors are not staff, nor are inactive
  accounts such as the Open311 system account).

Confidential concerns are counted (they are received like any other); the figures name no one.
"""
import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils import timezone

from huiying.concerns.models import OTHER_OUTCOMES, Concern, Outcome, Visit
from huiying.core import clock
from huiying.network.models import ANCESTOR_FIELD, STAFF_ROLES, Hamlet, Level, Membership, Unit
from huiying.network.selectors import subtree_q


def _period(qs, field: str, date_from: dt.date | None, date_to: dt.date | None):
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(**{f"{field}__gte": dt.datetime.combine(date_from, dt.time.min, tz)})
    if date_to:
        qs = qs.filter(**{f"{field}__lt": dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tz)})
    return qs


def unit_stats(unit: Unit, *, date_from: dt.date | None = None, date_to: dt.date | None = None, today: dt.date | None = None) -> dict:
    today = today or clock.today()
    field = ANCESTOR_FIELD[Level(unit.level)]
    if unit.level == Level.DEPARTMENT:
        concerns = Concern.objects.filter(escalations__to_unit=unit).distinct()
        visits = Visit.objects.none()
    else:
        concerns = Concern.objects.filter(subtree_q(unit, "received_"))
        visits = Visit.objects.filter(**{field: unit.id})
    concerns = _period(concerns, "received_at", date_from, date_to)
    visits = _period(visits, "visited_at", date_from, date_to)
    c = concerns.aggregate(
        concerns=Count("id"),
        resolved=Count("id", filter=Q(outcome=Outcome.RESOLVED)),
        other=Count("id", filter=Q(outcome__in=OTHER_OUTCOMES)),
        pending=Count("id", filter=Q(outcome="")),
        overdue=Count("id", filter=Q(outcome="", due_date__lt=today)),
    )
    units = Unit.objects.filter(subtree_q(unit)).aggregate(
        township=Count("id", filter=Q(level=Level.TOWNSHIP)),
        village=Count("id", filter=Q(level=Level.VILLAGE)),
        point=Count("id", filter=Q(level=Level.HAMLET)),
    )
    units["hamlet"] = Hamlet.objects.filter(village__in=Unit.objects.filter(subtree_q(unit), level=Level.VILLAGE)).count() if unit.level != Level.HAMLET else 1
    return {
        "unit": {"id": unit.id, "code": unit.code, "name": unit.name, "level": unit.level},
        "period": {"from": date_from.isoformat() if date_from else None, "to": date_to.isoformat() if date_to else None},
        "visitors": visits.aggregate(n=Sum("visitor_count"))["n"] or 0,
        "visits": visits.count(),
        **c,
        "units": units,
        "staff": staff_by_level(unit),
    }


def staff_by_level(unit: Unit) -> dict[str, int]:
    """Network staff of `unit`'s subtree by the level of their unit (see the module's docstring)."""
    staff_rows = (
        Membership.objects.filter(role__in=STAFF_ROLES, user__is_active=True, unit__in=Unit.objects.filter(subtree_q(unit)).values("id"))
        .values("unit__level").annotate(n=Count("user", distinct=True))
    )
    by_level = {r["unit__level"]: r["n"] for r in staff_rows}
    return {level: by_level.get(level, 0) for level in ("county", "township", "village", "hamlet", "department")}
