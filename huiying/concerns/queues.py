"""Work queues and filters for staff lists (township and county especially).

Every queue and every filter narrows `access.visible_concerns(user)`: what a person may not
see (another township's concerns, someone else's confidential concern) never reaches a
list, a count or a search.

Queues:
- all: everything the user sees;
- unit: open concerns handled at the user's own units;
- incoming: concerns escalated to the user's units and not yet taken up (超出权限 上报);
- dispatched: concerns sent from the user's part of the network to a county department
  (the county HQ sees every dispatch of the county, a township its own);
- overdue: open concerns past their due date, across everything the user sees — the
  township sees its villages' and hamlets', the county all.
"""
import dataclasses
import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.network.models import STAFF_ROLES, Level, Unit
from huiying.network.selectors import subtree_q

from .models import OPEN_STATES, OTHER_OUTCOMES, Concern, Escalation, Outcome, State
from .search import concern_search

ALL, UNIT, INCOMING, DISPATCHED, OVERDUE = "all", "unit", "incoming", "dispatched", "overdue"
QUEUE_LABELS = {
    ALL: _("All"),
    UNIT: _("Open at my unit"),
    INCOMING: _("Escalated to us"),
    DISPATCHED: _("Sent to departments"),
    OVERDUE: _("Overdue"),
}


@dataclasses.dataclass
class Filters:
    """What the user narrowed the list to (all optional)."""

    q: str = ""
    state: str = ""
    track: str = ""
    function: str = ""
    channel: str = ""
    unit: Unit | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue_only: bool = False
    # For the dashboard's figures (docs/statistics.md): by outcome class, and only what was
    # received in `unit`'s subtree ("subtree") or at `unit` itself ("here").
    outcome: str = ""
    received: str = ""


OUTCOME_CLASSES = {
    "resolved": _("Resolved"),
    "pending": _("Pending"),
    "other": _("Ended otherwise"),
}
RECEIVED_SCOPES = {"subtree": _("Received in the unit's part of the network"), "here": _("Received at the unit itself")}


def _outcome_q(outcome: str) -> Q:
    if outcome == "pending":
        return Q(outcome="")
    if outcome == "resolved":
        return Q(outcome=Outcome.RESOLVED)
    return Q(outcome__in=OTHER_OUTCOMES)


def offered_queues(user) -> list[str]:
    """The queues that mean something for `user`'s units, in display order."""
    levels = {u.level for u in access.units_user_acts_in(user, roles=STAFF_ROLES)}
    queues = [ALL]
    if levels:
        queues.append(UNIT)
    # Hamlet points receive nothing from below; every other unit can be escalated to.
    if levels - {Level.HAMLET}:
        queues.append(INCOMING)
    if levels & {Level.TOWNSHIP, Level.COUNTY}:
        queues.append(DISPATCHED)
    if levels:
        queues.append(OVERDUE)
    return queues


def _overdue_q(today: dt.date) -> Q:
    return Q(state__in=OPEN_STATES, due_date__lt=today)


def queue_q(user, queue: str, *, today: dt.date) -> Q:
    """The filter of `queue` for `user`, applied on top of what the user sees."""
    units = access.units_user_acts_in(user, roles=STAFF_ROLES)
    ids = [u.id for u in units]
    if queue == UNIT:
        return Q(handling_unit__in=ids, state__in=OPEN_STATES)
    if queue == INCOMING:
        return Q(handling_unit__in=[u.id for u in units if u.level != Level.HAMLET], state=State.ESCALATED)
    if queue == DISPATCHED:
        senders = Q(pk__in=[])
        for u in units:
            if u.level in (Level.TOWNSHIP, Level.COUNTY):
                senders |= subtree_q(u, "from_unit__")
        sent = Escalation.objects.filter(senders, to_unit__level=Level.DEPARTMENT).values("concern_id")
        return Q(pk__in=sent)
    if queue == OVERDUE:
        return _overdue_q(today)
    return Q()


def unit_q(unit: Unit) -> Q:
    """Concerns of `unit`: received or handled in its subtree (a department: handled there
    or ever dispatched to it)."""
    if unit.level == Level.DEPARTMENT:
        return Q(handling_unit=unit) | Q(pk__in=Escalation.objects.filter(to_unit=unit).values("concern_id"))
    return subtree_q(unit, "received_") | Q(handling_unit__in=Unit.objects.filter(subtree_q(unit)).values("id"))


def _received_between(qs: QuerySet, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet:
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(received_at__gte=dt.datetime.combine(date_from, dt.time.min, tz))
    if date_to:
        qs = qs.filter(received_at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tz))
    return qs


def filtered_concerns(user, f: Filters, *, today: dt.date) -> QuerySet[Concern]:
    """What the user sees, narrowed by the filters and the search (no queue yet)."""
    qs = access.visible_concerns(user)
    exact = {k: v for k, v in (("state", f.state), ("track", f.track), ("function", f.function), ("channel", f.channel)) if v}
    if exact:
        qs = qs.filter(**exact)
    if f.unit is not None and f.received == "here":
        qs = qs.filter(received_unit=f.unit)
    elif f.unit is not None and f.received == "subtree":
        qs = qs.filter(subtree_q(f.unit, "received_"))
    elif f.unit is not None:
        qs = qs.filter(unit_q(f.unit))
    if f.outcome:
        qs = qs.filter(_outcome_q(f.outcome))
    if f.overdue_only:
        qs = qs.filter(_overdue_q(today))
    qs = _received_between(qs, f.date_from, f.date_to)
    return concern_search(qs, f.q)


def queue_counts(user, qs: QuerySet[Concern], queues: list[str], *, today: dt.date) -> dict[str, int]:
    """How many of `qs` each queue holds, in one query."""
    counts = qs.aggregate(**{name: Count("id", filter=queue_q(user, name, today=today)) for name in queues})
    return {name: counts[name] for name in queues}


def queue_listing(user, queue: str, qs: QuerySet[Concern], *, today: dt.date) -> QuerySet[Concern]:
    """`qs` narrowed to `queue`, newest first, ready to page through."""
    return (
        qs.filter(queue_q(user, queue, today=today))
        .select_related("handling_unit", "received_unit", "handler")
        .order_by("-received_at", "-id")
    )


def breakdown(qs: QuerySet[Concern], unit: Unit) -> list[tuple[Unit, int]]:
    """`unit`'s child units with how many of `qs` were received in each (one query), for
    drilling down. Departments receive nothing, so they are not listed."""
    children = [c for c in unit.children.order_by("id") if c.level != Level.DEPARTMENT]
    if not children:
        return []
    column = "received_" + {Level.COUNTY: "township", Level.TOWNSHIP: "village", Level.VILLAGE: "point"}.get(Level(unit.level), "point")
    rows = dict(qs.order_by().values_list(column).annotate(n=Count("id")).values_list(column, "n"))
    return [(c, rows.get(c.id, 0)) for c in children]
