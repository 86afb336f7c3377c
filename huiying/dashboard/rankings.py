"""Rankings (排名) of a unit's sub-units: on the overdue share and on the three rates.

A unit with fewer concerns in the period than the minimum is not ranked — a station with two
concerns and one overdue is not "the worst in the county" — and is listed apart with the
reason. The minimum is `HUIYING_DASHBOARD_RANK_MIN_CONCERNS` (default 10), and a reader may
ask for another one on the page (`?min=`). Ties share a place (1, 2, 2, 4).
"""
import dataclasses
import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from huiying.core import clock
from huiying.network.models import Unit

from . import figures as fig
from . import rates
from .periods import period_check
from .selectors import children_of

MAX_MINIMUM = 100_000


def minimum_from(raw) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return settings.HUIYING_DASHBOARD_RANK_MIN_CONCERNS
    return min(max(value, 1), MAX_MINIMUM)


@dataclasses.dataclass
class Ranking:
    key: str
    title: str
    higher_is_better: bool
    ranked: list[dict]  # {place, unit, value, concerns}, best first
    unranked: list[dict]  # {unit, concerns, reason}


def _place(rows: list[dict], higher: bool) -> list[dict]:
    rows.sort(key=lambda r: (-r["value"] if higher else r["value"], r["unit"].id))
    for i, r in enumerate(rows):
        r["place"] = rows[i - 1]["place"] if i and rows[i - 1]["value"] == r["value"] else i + 1
    return rows


def unit_rankings(user, unit: Unit, *, start: dt.date | None, end: dt.date | None, minimum: int, today: dt.date | None = None) -> list[Ranking]:
    """`unit`'s children ranked; the caller has checked `user` may read `unit`'s dashboard."""
    today = today or clock.today()
    period = period_check(start, end, today=today)
    f = fig.unit_figures(unit, period, today=today)
    by_child = f.by("child")
    children = children_of(unit)
    counts = {c.id: by_child.get(c.id, fig.Counts()) for c in children}
    metrics = [("overdue_share", _("Overdue share"), False, {c.id: (counts[c.id].overdue * 100 / counts[c.id].concerns) if counts[c.id].concerns else None for c in children})]
    metrics += rates.child_rate_metrics(unit, children, f)
    out = []
    for key, title, higher, values in metrics:
        ranked, unranked = [], []
        for c in children:
            n = counts[c.id].concerns
            if n < minimum:
                unranked.append({"unit": c, "concerns": n, "reason": _("%(n)s concerns, fewer than the minimum of %(min)s") % {"n": n, "min": minimum}})
            elif values.get(c.id) is None:
                unranked.append({"unit": c, "concerns": n, "reason": _("too few to rate")})
            else:
                ranked.append({"unit": c, "concerns": n, "value": round(values[c.id], 1)})
        out.append(Ranking(key, title, higher, _place(ranked, higher), unranked))
    return out
