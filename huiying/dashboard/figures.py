"""The counts behind a dashboard: from the tally for whole months, from the concerns for the
days left at either end of the period (and for departments, which receive nothing and so
have no tally). Both give the same rows, so the two are added without caring which is which.

Definitions are those of `huiying.stats.selectors.unit_stats` (docs/statistics.md): concerns
by when they were received in the subtree, outcome classes resolved / pending / other, overdue
= pending with a due date before today, visitors = the sum of the visits' visitor counts.
Confidential concerns are counted (figures name no one); lists show only what the reader
may see.
"""
import dataclasses
import datetime as dt
from collections import defaultdict

from django.db.models import Case, CharField, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from huiying.concerns.models import Concern, Outcome, Visit
from huiying.network.models import Level, Unit

from .models import ConcernTally, OutcomeClass, VisitTally
from .periods import Period, split

# The column naming the child a concern or visit came through, for a scope of each level.
CHILD_COLUMN = {Level.COUNTY: "township", Level.TOWNSHIP: "village", Level.VILLAGE: "point", Level.HAMLET: "point"}
SCOPE_COLUMN = {Level.COUNTY: "county", Level.TOWNSHIP: "township", Level.VILLAGE: "village", Level.HAMLET: "point"}


@dataclasses.dataclass
class Counts:
    concerns: int = 0
    resolved: int = 0
    pending: int = 0
    other: int = 0
    overdue: int = 0

    def add(self, cls: str, n: int, overdue: int) -> None:
        self.concerns += n
        setattr(self, cls, getattr(self, cls) + n)
        self.overdue += overdue


@dataclasses.dataclass
class Row:
    """`n` concerns with these keys, `overdue` of them pending past their due date."""

    child: int | None
    month: dt.date
    function: str
    track: str
    channel: str
    cls: str
    n: int
    overdue: int


@dataclasses.dataclass
class Figures:
    rows: list[Row]
    visits: dict[int | None, dict[dt.date, tuple[int, int]]]  # child → month → (visits, visitors)

    def counts(self, **match) -> Counts:
        c = Counts()
        for r in self.rows:
            if all(getattr(r, k) == v for k, v in match.items()):
                c.add(r.cls, r.n, r.overdue)
        return c

    def by(self, attr: str) -> dict:
        out: dict = defaultdict(Counts)
        for r in self.rows:
            out[getattr(r, attr)].add(r.cls, r.n, r.overdue)
        return out

    def visitors(self, child=None, month=None) -> tuple[int, int]:
        visits = visitors = 0
        for c, months in self.visits.items():
            if child is not None and c != child:
                continue
            for m, (v, p) in months.items():
                if month is None or m == month:
                    visits, visitors = visits + v, visitors + p
        return visits, visitors


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(start, dt.time.min, tz), dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz)


def _cls():
    return Case(When(outcome="", then=Value(OutcomeClass.PENDING)), When(outcome=Outcome.RESOLVED, then=Value(OutcomeClass.RESOLVED)),
                default=Value(OutcomeClass.OTHER), output_field=CharField())


def _month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date().replace(day=1) if timezone.is_aware(value) else value.date().replace(day=1)
    return value.replace(day=1)


def _direct(concerns, visits, child_column: str | None, start: dt.date, end: dt.date, today: dt.date, rows: list, vt: dict) -> None:
    lo, hi = _bounds(start, end)
    child = Coalesce(F("received_" + child_column), F("received_unit")) if child_column else Value(None, output_field=IntegerField())
    q = (
        concerns.filter(received_at__gte=lo, received_at__lt=hi).order_by()
        .annotate(c=child, m=TruncMonth("received_at"), k=_cls())
        .values_list("c", "m", "function", "track", "channel", "k")
        .annotate(n=Count("id"), late=Count("id", filter=Q(outcome="", due_date__lt=today)))
    )
    rows.extend(Row(c, _month(m), f, t, ch, k, n, late) for c, m, f, t, ch, k, n, late in q)
    if visits is None:
        return
    vchild = Coalesce(F(child_column), F("unit")) if child_column else Value(None, output_field=IntegerField())
    vq = (
        visits.filter(visited_at__gte=lo, visited_at__lt=hi).order_by()
        .annotate(c=vchild, m=TruncMonth("visited_at")).values_list("c", "m")
        .annotate(v=Count("id"), p=Sum("visitor_count"))
    )
    for c, m, v, p in vq:
        old = vt[c].get(_month(m), (0, 0))
        vt[c][_month(m)] = (old[0] + v, old[1] + p)


def unit_figures(unit: Unit, period: Period, *, today: dt.date) -> Figures:
    """Every count of `unit`'s dashboard for `period`, by child, month, function, track,
    channel and outcome class."""
    rows: list[Row] = []
    vt: dict = defaultdict(dict)
    if unit.level == Level.DEPARTMENT:
        concerns = Concern.objects.filter(pk__in=Concern.objects.filter(escalations__to_unit=unit).values("id"))
        _direct(concerns, None, None, period.start, period.end, today, rows, vt)
        return Figures(rows, vt)
    level = Level(unit.level)
    months, edges = split(period)
    if months:
        q = (
            ConcernTally.objects.filter(scope=unit, month__gte=months[0], month__lte=months[1])
            .values_list("child_id", "month", "function", "track", "channel", "cls")
            .annotate(total=Sum("n"), late=Sum(Case(When(Q(cls=OutcomeClass.PENDING, due__lt=today), then=F("n")), default=Value(0))))
        )
        rows.extend(Row(c, m, f, t, ch, k, n, late) for c, m, f, t, ch, k, n, late in q if n)
        for c, m, v, p in VisitTally.objects.filter(scope=unit, month__gte=months[0], month__lte=months[1]).values_list("child_id", "month", "visits", "visitors"):
            if v:
                old = vt[c].get(m, (0, 0))
                vt[c][m] = (old[0] + v, old[1] + p)
    scope = SCOPE_COLUMN[level]
    for start, end in edges:
        _direct(Concern.objects.filter(**{f"received_{scope}": unit.id}), Visit.objects.filter(**{scope: unit.id}),
                CHILD_COLUMN[level], start, end, today, rows, vt)
    return Figures(rows, vt)
