"""Workload (工作量): who carries a unit's work, and how concentrated it is.

The seed's "30/70 phenomenon" — 30% of the cadres do 70% of the work (PRODUCT.md §7) — is
measured here; `docs/statistics.md` gives the definitions shown next to the figures.

**Handled.** A staff member *handled* a concern in a period when they took at least one
workflow step on it (a `concern.*` entry of the record book with them as the actor: register,
assign, answer, resolve, feedback, rate, attach, …) while acting for the unit (the entry's
unit), during the period. Each concern counts once per person, however many steps they took.
Entries without an actor (the nightly overdue flag) count for no one.

Contract (other parts code against it):

    unit_workload(unit, *, start: date, end: date) -> Workload
    workload_spread(root, *, start: date, end: date, level: str | None = None) -> list[UnitWorkload]
    least_loaded(unit, *, candidates=None) -> User | None
    open_loads(user_ids) -> dict[int, int]

- `Workload.per_staff`: list of `StaffLoad(user_id, name, handled)`, busiest first (ties by
  name, then id), every staff member of the unit, those who handled nothing included;
  `staff_count`, `handled_total` (the sum over staff of `handled`), `top30_share`: the share
  of `handled_total` done by the busiest ceil(0.3 × staff_count) people — `None` (undefined)
  when the unit has fewer than two staff or nothing was handled.
- `workload_spread` returns one `UnitWorkload(unit, workload)` per unit of `level` (default:
  the level below `root`) in `root`'s subtree, ordered by unit id, in three queries whatever
  the number of units.
- Staff of a unit: active users with a staff role (`network.models.STAFF_ROLES`) there.
- `start` and `end` are days, both included, in local time.
"""
import dataclasses
import datetime as dt
import math

from django.contrib.auth import get_user_model
from django.db.models import Count

from huiying.concerns.models import OPEN_STATES, Concern
from huiying.concerns.workflow import HANDLERS
from huiying.network.models import PARENT_LEVEL, STAFF_ROLES, Level, Membership, Unit
from huiying.network.selectors import subtree_q
from huiying.records.models import RecordEntry

from .selectors import _period

TOP_SHARE = 0.3


@dataclasses.dataclass(frozen=True)
class StaffLoad:
    user_id: int
    name: str
    handled: int


@dataclasses.dataclass(frozen=True)
class Workload:
    per_staff: list[StaffLoad]
    staff_count: int
    handled_total: int
    top30_share: float | None

    @property
    def top_count(self) -> int:
        """How many people make up "the busiest 30%"."""
        return math.ceil(TOP_SHARE * self.staff_count)

    @property
    def busiest(self) -> int:
        return self.per_staff[0].handled if self.per_staff else 0


@dataclasses.dataclass(frozen=True)
class UnitWorkload:
    unit: Unit
    workload: Workload


def _workload(staff: dict[int, str], counts: dict[int, int]) -> Workload:
    per_staff = sorted(
        (StaffLoad(uid, name, counts.get(uid, 0)) for uid, name in staff.items()),
        key=lambda s: (-s.handled, s.name, s.user_id),
    )
    total = sum(s.handled for s in per_staff)
    top = math.ceil(TOP_SHARE * len(per_staff))
    share = None
    if len(per_staff) >= 2 and total:
        share = sum(s.handled for s in per_staff[:top]) / total
    return Workload(per_staff=per_staff, staff_count=len(per_staff), handled_total=total, top30_share=share)


def _staff(unit_ids) -> dict[int, dict[int, str]]:
    """unit id → {user id: display name} of its staff (one query)."""
    rows = (
        Membership.objects.filter(unit_id__in=unit_ids, role__in=STAFF_ROLES, user__is_active=True)
        .values_list("unit_id", "user_id", "user__first_name", "user__last_name", "user__username")
        .distinct()
    )
    staff: dict[int, dict[int, str]] = {}
    for unit_id, user_id, first, last, username in rows:
        staff.setdefault(unit_id, {})[user_id] = f"{first} {last}".strip() or username
    return staff


def _handled(unit_ids, start: dt.date, end: dt.date) -> dict[int, dict[int, int]]:
    """unit id → {actor id: distinct concerns stepped on} (one grouped query).

    Served by the record book's (unit, at) index: one range scan per unit over the period,
    then a group by (unit, actor)."""
    entries = _period(RecordEntry.objects.filter(unit_id__in=unit_ids), "at", start, end)
    rows = (
        entries.filter(action__startswith="concern.", actor__isnull=False, concern__isnull=False)
        .values_list("unit_id", "actor_id")
        .annotate(n=Count("concern_id", distinct=True))
        .order_by()
    )
    handled: dict[int, dict[int, int]] = {}
    for unit_id, actor_id, n in rows:
        handled.setdefault(unit_id, {})[actor_id] = n
    return handled


def unit_workload(unit: Unit, *, start: dt.date, end: dt.date) -> Workload:
    return _workload(_staff([unit.id]).get(unit.id, {}), _handled([unit.id], start, end).get(unit.id, {}))


def child_level(unit: Unit) -> str | None:
    for level, parent in PARENT_LEVEL.items():
        if parent == unit.level and level != Level.DEPARTMENT:
            return level
    return None


def workload_spread(root: Unit, *, start: dt.date, end: dt.date, level: str | None = None) -> list[UnitWorkload]:
    level = level or child_level(root)
    if level is None:
        return []
    in_scope = Unit.objects.filter(subtree_q(root), level=level)
    units = list(in_scope.order_by("id"))
    # The units go in as a subquery, not a list of ids: a province has more units than
    # SQLite accepts parameters in one statement.
    id_query = in_scope.values("id")
    staff, handled = _staff(id_query), _handled(id_query, start, end)
    return [UnitWorkload(u, _workload(staff.get(u.id, {}), handled.get(u.id, {}))) for u in units]


def open_loads(user_ids) -> dict[int, int]:
    """user id → open concerns (registered, in analysis, escalated, on site) they handle now."""
    rows = (
        Concern.objects.filter(handler_id__in=list(user_ids), state__in=OPEN_STATES)
        .values_list("handler_id").annotate(n=Count("id")).order_by()
    )
    loads = {uid: 0 for uid in user_ids}
    loads.update(dict(rows))
    return loads


def eligible_handlers(unit: Unit):
    """People with a handler role at `unit`."""
    return (
        get_user_model().objects.filter(memberships__unit=unit, memberships__role__in=HANDLERS, is_active=True)
        .distinct().order_by("first_name", "username")
    )


def least_loaded(unit: Unit, *, candidates=None):
    """The eligible staff member of `unit` with the fewest open concerns now; ties go to the
    lowest user id, so the same state always gives the same suggestion. None if nobody."""
    people = list(candidates if candidates is not None else eligible_handlers(unit))
    if not people:
        return None
    loads = open_loads([p.pk for p in people])
    return min(people, key=lambda p: (loads[p.pk], p.pk))


def can_see_workload(user, unit: Unit) -> bool:
    """Workload names staff and their counts: it is read by staff (and administrators) of the
    unit or of a unit above it — a village clerk their own station, a township its villages,
    the county HQ everything. Supervisors do not rate people's workload."""
    from huiying import access

    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    roles = STAFF_ROLES | access.COUNTY_WIDE
    return any(m.role in roles and unit.is_in_subtree_of(m.unit) for m in access.memberships(user))


def spread_levels(root: Unit) -> list[str]:
    """The levels below `root` whose spread can be read from it, nearest first."""
    below = {
        Level.COUNTY: [Level.TOWNSHIP, Level.VILLAGE, Level.HAMLET, Level.DEPARTMENT],
        Level.TOWNSHIP: [Level.VILLAGE, Level.HAMLET],
        Level.VILLAGE: [Level.HAMLET],
    }
    return below.get(root.level, [])
