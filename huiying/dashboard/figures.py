"""The counts behind a dashboard: from the tally for whole months, from the concerns for the
days left at either end of the period (and for departments, which receive nothing and so
have no tally). Both give the same rows, so the two are added without caring which is which.

Definitions are those of `huiying.stats.selectors.unit_stats` (docs/statistics.md): concerns
by when they were received in the subtree, outcome classes resolved / pending / other, overdue
= pending with a due date before today, visitors = the sum of the visits' visitor counts. The
three rates are `huiying.supervision.rates`' own (`rates_from_counts`), fed with counts by
child: concerns decided and on time for the response rate (the tally's response class,
`models.Resp`), ratings by source and verdict for the satisfaction rate.
Confidential concerns are counted (figures name no one); lists show only what the reader
may see.
"""
import dataclasses
import datetime as dt
from collections import defaultdict

from django.db.models import Case, CharField, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from huiying.concerns.models import Concern, ConcernRating, Outcome, Rating, Visit
from huiying.network.models import Level, Unit
from huiying.supervision import rates as sr
from huiying.supervision.models import SupervisorRating

from .models import ConcernTally, Dim, OutcomeClass, RatingTally, Resp, TallyHorizon, VisitTally
from .tally_sql import RATING_COLUMNS
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
    decided: int = 0  # for the response rate: counted by child only
    on_time: int = 0

    def add(self, cls: str, n: int, overdue: int, decided: int = 0, on_time: int = 0) -> None:
        self.concerns += n
        setattr(self, cls, getattr(self, cls) + n)
        self.overdue += overdue
        self.decided += decided
        self.on_time += on_time


DIMENSIONS = ("child", "month", "function", "track", "channel")
ALL = object()  # Figures.rates(): every child


class Figures:
    """The counts by each dimension separately (the dashboard shows marginals, never the
    joint table), as the tally keeps them: a county's year is one query of a few thousand
    rows summed to a few hundred, however many concerns it holds."""

    def __init__(self):
        self.marginals: dict[str, dict] = {d: defaultdict(Counts) for d in DIMENSIONS}
        self.visits: dict = defaultdict(lambda: [0, 0])  # (child, month) → [visits, visitors]
        self.ratings: dict = defaultdict(lambda: dict.fromkeys(RATING_COLUMNS, 0))  # child → counts

    def add_rows(self, rows) -> None:
        """Joint rows (child, month, function, track, channel, cls, n, overdue, decided, on_time)."""
        for r in rows:
            self.marginals["child"][r[0]].add(*r[5:10])
            for i, d in enumerate(DIMENSIONS[1:], 1):
                self.marginals[d][r[i]].add(r[5], r[6], r[7])

    def add_ratings(self, child, counts: dict) -> None:
        r = self.ratings[child]
        for k in RATING_COLUMNS:
            r[k] += counts.get(k) or 0

    def add_visits(self, child, month, visits: int, visitors: int) -> None:
        v = self.visits[(child, month)]
        v[0] += visits
        v[1] += visitors

    def counts(self) -> Counts:
        total = Counts()
        for c in self.marginals["child"].values():
            for k in ("concerns", "resolved", "pending", "other", "overdue", "decided", "on_time"):
                setattr(total, k, getattr(total, k) + getattr(c, k))
        return total

    def rates(self, child=ALL) -> sr.UnitRates:
        """The three rates of one child, or of the whole unit."""
        keys = set(self.marginals["child"]) | set(self.ratings) if child is ALL else {child}
        c, r = Counts(), dict.fromkeys(RATING_COLUMNS, 0)
        for k in keys:
            got = self.marginals["child"].get(k)
            if got is not None:
                for a in ("concerns", "resolved", "decided", "on_time"):
                    setattr(c, a, getattr(c, a) + getattr(got, a))
            for a, v in self.ratings.get(k, {}).items():
                r[a] += v
        villager = {v: r["v_" + v] for v in Rating.values} | {"rated": r["rated"]}
        supervisor = {v: r["s_" + v] for v in Rating.values}
        return sr.rates_from_counts(dataclasses.asdict(c), villager, supervisor)

    def by(self, attr: str) -> dict:
        return self.marginals[attr]

    def visitors(self, child=None, month=None) -> tuple[int, int]:
        visits = visitors = 0
        for (c, m), (v, p) in self.visits.items():
            if (child is None or c == child) and (month is None or m == month):
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


def _direct(concerns, visits, child_column: str | None, start: dt.date, end: dt.date, today: dt.date, f: Figures) -> None:
    lo, hi = _bounds(start, end)
    child = Coalesce(F("received_" + child_column), F("received_unit")) if child_column else Value(None, output_field=IntegerField())
    concerns = concerns.filter(received_at__gte=lo, received_at__lt=hi)
    rates = sr.concern_aggregates(today)
    q = (
        concerns.order_by()
        .annotate(c=child, m=TruncMonth("received_at"), k=_cls())
        .values_list("c", "m", "function", "track", "channel", "k")
        .annotate(n=Count("id"), late=Count("id", filter=Q(outcome="", due_date__lt=today)), decided=rates["decided"], on_time=rates["on_time"])
    )
    f.add_rows((c, _month(m), fn, t, ch, k, n, late, d, ot) for c, m, fn, t, ch, k, n, late, d, ot in q)
    # The ratings of these concerns, by the same definition as `supervision.rates`.
    rchild = Coalesce(F("concern__received_" + child_column), F("concern__received_unit")) if child_column else Value(None, output_field=IntegerField())
    for model, src, aggregates in ((ConcernRating, "v", sr.rating_aggregates()), (SupervisorRating, "s", sr.rating_aggregates(supervisors=True))):
        rows = model.objects.filter(concern__in=concerns.values("id")).order_by().annotate(c=rchild).values("c").annotate(**aggregates)
        for row in rows:
            f.add_ratings(row["c"], {f"{src}_{v}": row[v] for v in Rating.values} | {"rated": row["rated"]})
    if visits is None:
        return
    vchild = Coalesce(F(child_column), F("unit")) if child_column else Value(None, output_field=IntegerField())
    vq = (
        visits.filter(visited_at__gte=lo, visited_at__lt=hi).order_by()
        .annotate(c=vchild, m=TruncMonth("visited_at")).values_list("c", "m")
        .annotate(v=Count("id"), p=Sum("visitor_count"))
    )
    for c, m, v, p in vq:
        f.add_visits(c, _month(m), v, p)


def unit_figures(unit: Unit, period: Period, *, today: dt.date) -> Figures:
    """Every count of `unit`'s dashboard for `period`, by child, month, function, track,
    channel and outcome class."""
    f = Figures()
    if unit.level == Level.DEPARTMENT:
        concerns = Concern.objects.filter(pk__in=Concern.objects.filter(escalations__to_unit=unit).values("id"))
        _direct(concerns, None, None, period.start, period.end, today, f)
        return f
    level = Level(unit.level)
    months, edges = split(period)
    if months and today < TallyHorizon.current():
        # A reader before the horizon (a clock set back) cannot tell folded due dates apart.
        months, edges = None, [(period.start, period.end)]
    if months:
        cells = ConcernTally.objects.filter(scope=unit, month__gte=months[0], month__lte=months[1]).order_by()
        late = Sum(Case(When(Q(cls=OutcomeClass.PENDING, due__lt=today), then=F("n")), default=Value(0)))
        decided = Sum(Case(When(Q(resp__in=(Resp.LATE, Resp.ON_TIME, Resp.WHILE_DUE)) | Q(resp=Resp.PENDING, due__lt=today), then=F("n")), default=Value(0)))
        on_time = Sum(Case(When(Q(resp=Resp.ON_TIME) | Q(resp=Resp.WHILE_DUE, due__gte=today), then=F("n")), default=Value(0)))
        rows = cells.values_list("dim", "value", "month", "cls").annotate(total=Sum("n"), late=late, decided=decided, on_time=on_time)
        for dim, value, month, cls, n, late_n, decided_n, on_time_n in rows:
            if not n:
                continue
            if dim == Dim.CHILD:
                f.marginals["child"][int(value)].add(cls, n, late_n, decided_n, on_time_n)
                f.marginals["month"][month].add(cls, n, late_n)  # each concern has one child
            else:
                f.marginals[dim][value].add(cls, n, late_n)
        ratings = RatingTally.objects.filter(scope=unit, month__gte=months[0], month__lte=months[1]).order_by()
        for row in ratings.values("child_id").annotate(**{k + "_": Sum(k) for k in RATING_COLUMNS}):
            f.add_ratings(row["child_id"], {k: row[k + "_"] for k in RATING_COLUMNS})
        for c, m, v, p in VisitTally.objects.filter(scope=unit, month__gte=months[0], month__lte=months[1]).values_list("child_id", "month", "visits", "visitors"):
            if v:
                f.add_visits(c, m, v, p)
    scope = SCOPE_COLUMN[level]
    for start, end in edges:
        _direct(Concern.objects.filter(**{f"received_{scope}": unit.id}), Visit.objects.filter(**{scope: unit.id}),
                CHILD_COLUMN[level], start, end, today, f)
    return f
