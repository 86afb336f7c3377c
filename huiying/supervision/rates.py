"""The three rates (三率) of a unit's subtree over a period: response, resolution, satisfaction.

Contract (other parts — the dashboard, the rankings, the monthly report — code against it):

    unit_rates(unit, *, start: date, end: date) -> UnitRates
    rates_by_unit(root, *, start: date, end: date, level: str | None = None) -> dict[int, UnitRates]

`UnitRates` has `response`, `resolution` and `satisfaction`, each a
`Rate(numerator: int, denominator: int, value: float | None, too_few: bool)`, and
`rated_concerns` (the satisfaction rate's sample). `value` is numerator / denominator in
[0, 1], or None when `too_few` (then pages show "too few to rate", 样本不足, never a
percentage). `rates_by_unit` returns an entry for EVERY unit of `level` under `root`
(default: the level just below `root`: county → townships → villages → hamlet points),
zeros included, keyed by unit id; it runs four queries whatever the number of units.
`DEFINITIONS` holds the one-line definition shown beside each figure.

Definitions (docs/statistics.md has them in full, with examples). The concerns counted are
those RECEIVED in the unit's subtree in [start, end] (local dates, both included) — the
same concerns as the statistics' "concerns" figure (`huiying.stats.selectors`):
- response (按时响应率): of the concerns whose response is decided — ended (any outcome),
  reopened at least once, or pending past their due date — those handled within the limit:
  never flagged overdue (`overdue_since` empty) and finished (`resolved_at`, else
  `closed_at`, as a local date) by the due date; a pending one counts as in time only while
  its current due date has not passed.
- resolution (办结率): resolved concerns (outcome "resolved" now; a reopened concern counts
  once it is resolved again) out of all concerns received.
- satisfaction (满意率): every rating of those concerns — villagers' (`ConcernRating`) and
  supervisors' (`SupervisorRating`), every round — scored by `HUIYING_SATISFACTION_POINTS`
  (satisfied 2, basically satisfied 1, dissatisfied 0) and weighted per rating by
  `HUIYING_SATISFACTION_WEIGHT_VILLAGER` / `_SUPERVISOR`: numerator Σ weight × points,
  denominator Σ weight × the "satisfied" points. Too few when fewer than
  `HUIYING_RATES_MIN_RATED` concerns have a rating; the other two are too few below
  `HUIYING_RATES_MIN_CONCERNS` concerns counted.

Queries and indexes: every query filters concerns by the root's ancestor column and the
period — `received_<level>_id = root AND received_at BETWEEN …`, served by the concern
indexes (received_county|township|village, received_at) — and groups by the ancestor
column of the requested level (`received_village_id`, …). Ratings are joined to their
concern through the ratings' concern foreign-key indexes. Departments receive nothing:
`unit_rates` of a department counts the concerns dispatched to it (as the statistics do);
`rates_by_unit` does not group by department.
"""
import dataclasses
import datetime as dt

from django.conf import settings
from django.db.models import Count, DateField, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from huiying.concerns.models import Concern, ConcernRating, Escalation, Outcome, Rating
from huiying.core import clock
from huiying.network.models import ANCESTOR_FIELD, TIERS, Level, Unit
from huiying.network.selectors import subtree_q
from huiying.stats.selectors import _period

from .models import SupervisorRating


@dataclasses.dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    value: float | None
    too_few: bool

    @property
    def percent(self) -> float | None:
        return None if self.value is None else self.value * 100


@dataclasses.dataclass(frozen=True)
class UnitRates:
    response: Rate
    resolution: Rate
    satisfaction: Rate
    rated_concerns: int = 0


DEFINITIONS = {
    "response": _(
        "Response rate: of the concerns received in the period that have ended, were reopened or are past their due date, "
        "the share finished by the due date and never flagged overdue."
    ),
    "resolution": _("Resolution rate: of the concerns received in the period, the share resolved."),
    "satisfaction": _(
        "Satisfaction rate: every villager's and supervisor's rating of the concerns received in the period, "
        "satisfied 2 points, basically satisfied 1, dissatisfied 0, each weighted by who rated; "
        "points earned out of the most possible."
    ),
}


def _rate(numerator: int, denominator: int, *, sample: int, minimum: int) -> Rate:
    too_few = denominator == 0 or sample < minimum
    return Rate(numerator, denominator, None if too_few else numerator / denominator, too_few)


def concern_aggregates(today: dt.date) -> dict:
    # A response is "decided" once the concern ended, was reopened (it had a result) or its
    # due date passed; until then a pending concern is left out of the response rate.
    decided = ~Q(outcome="") | Q(reopen_count__gt=0) | Q(due_date__lt=today)
    finished_on = Coalesce(TruncDate("resolved_at"), TruncDate("closed_at"), Value(today, output_field=DateField()))
    on_time = decided & Q(overdue_since__isnull=True) & Q(due_date__gte=finished_on)
    return {
        "concerns": Count("id"),
        "resolved": Count("id", filter=Q(outcome=Outcome.RESOLVED)),
        "decided": Count("id", filter=decided),
        "on_time": Count("id", filter=on_time),
    }


def rating_aggregates(*, supervisors: bool = False) -> dict:
    """Ratings by verdict, and the concerns rated. The rated concerns of both kinds are
    counted without a probe per concern of the period: the villagers' query counts its
    distinct concerns, the supervisors' only those no villager rated (a probe per
    supervisor's rating, the smallest table)."""
    counts = {r: Count("id", filter=Q(rating=r)) for r in Rating.values}
    if supervisors:
        counts["rated"] = Count("concern", distinct=True, filter=~Q(Exists(ConcernRating.objects.filter(concern=OuterRef("concern")))))
    else:
        counts["rated"] = Count("concern", distinct=True)
    return counts


def _points(counts: dict) -> tuple[int, int]:
    """(points earned, points possible) of one source's rating counts, unweighted."""
    points = settings.HUIYING_SATISFACTION_POINTS
    top = points[Rating.SATISFIED]
    earned = sum(counts.get(r, 0) * points[r] for r in Rating.values)
    return earned, sum(counts.get(r, 0) for r in Rating.values) * top


def rates_from_counts(c: dict, villager: dict, supervisor: dict) -> UnitRates:
    """The rates from counts: `c` of the concerns (`concerns`, `resolved`, `decided`,
    `on_time`, as `concern_aggregates` counts them), `villager` and `supervisor` of the ratings
    (per verdict, and `rated`: the concerns rated, each counted in one of the two only).
    The dashboard calls this with the counts of its tally."""
    wv, ws = settings.HUIYING_SATISFACTION_WEIGHT_VILLAGER, settings.HUIYING_SATISFACTION_WEIGHT_SUPERVISOR
    ve, vp = _points(villager)
    se, sp = _points(supervisor)
    min_concerns = settings.HUIYING_RATES_MIN_CONCERNS
    rated = villager.get("rated", 0) + supervisor.get("rated", 0)
    return UnitRates(
        response=_rate(c.get("on_time", 0), c.get("decided", 0), sample=c.get("decided", 0), minimum=min_concerns),
        resolution=_rate(c.get("resolved", 0), c.get("concerns", 0), sample=c.get("concerns", 0), minimum=min_concerns),
        satisfaction=_rate(wv * ve + ws * se, wv * vp + ws * sp, sample=rated, minimum=settings.HUIYING_RATES_MIN_RATED),
        rated_concerns=rated,
    )


def _cohort(unit: Unit, start: dt.date, end: dt.date):
    if unit.level == Level.DEPARTMENT:
        concerns = Concern.objects.filter(pk__in=Escalation.objects.filter(to_unit=unit).values("concern_id"))
    else:
        concerns = Concern.objects.filter(subtree_q(unit, "received_"))
    return _period(concerns, "received_at", start, end)


def unit_rates(unit: Unit, *, start: dt.date, end: dt.date) -> UnitRates:
    """The three rates of `unit`'s subtree for concerns received from `start` to `end`."""
    concerns = _cohort(unit, start, end)
    c = concerns.aggregate(**concern_aggregates(clock.today()))
    ids = concerns.values("id")
    villager = ConcernRating.objects.filter(concern__in=ids).aggregate(**rating_aggregates())
    supervisor = SupervisorRating.objects.filter(concern__in=ids).aggregate(**rating_aggregates(supervisors=True))
    return rates_from_counts(c, villager, supervisor)


def _child_level(level: str) -> str | None:
    i = TIERS.index(Level(level))
    return TIERS[i + 1] if i + 1 < len(TIERS) else None


def rates_by_unit(root: Unit, *, start: dt.date, end: dt.date, level: str | None = None) -> dict[int, UnitRates]:
    """The rates of every unit of `level` (default: the level below `root`) under `root`,
    keyed by unit id, in four grouped queries. A hamlet point has no level below: {}."""
    if root.level == Level.DEPARTMENT:
        raise ValueError("a department has no units below it")
    level = level or _child_level(root.level)
    if level is None:
        return {}
    if Level(level) not in TIERS or TIERS.index(Level(level)) < TIERS.index(Level(root.level)):
        raise ValueError(f"{level} is not a level at or below {root.level}")
    units = list(Unit.objects.filter(subtree_q(root), level=level).values_list("id", flat=True))
    group = "received_" + ANCESTOR_FIELD[Level(level)]
    concerns = _cohort(root, start, end)

    def grouped(qs, key: str, aggregates: dict) -> dict[int, dict]:
        return {row.pop(key): row for row in qs.values(key).order_by().annotate(**aggregates) if row[key] is not None}

    c = grouped(concerns, group, concern_aggregates(clock.today()))
    # The ratings' queries join their concern and filter it there (the same index), rather
    # than an IN over the period's concern ids.
    def ratings(model):
        qs = model.objects.filter(**{f"concern__received_{ANCESTOR_FIELD[Level(root.level)]}": root.id})
        return _period(qs, "concern__received_at", start, end)

    v = grouped(ratings(ConcernRating), f"concern__{group}", rating_aggregates())
    s = grouped(ratings(SupervisorRating), f"concern__{group}", rating_aggregates(supervisors=True))
    return {uid: rates_from_counts(c.get(uid, {}), v.get(uid, {}), s.get(uid, {})) for uid in units}
