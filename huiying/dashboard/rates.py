"""The three rates (三率) and the workload spread on the dashboard, from the parts that define
them: `huiying.supervision.rates` (response, resolution and satisfaction rates, computed by its
`rates_from_counts` from the tally's counts in `figures`) and `huiying.stats.workload` (the
seed's 30/70 share). This module only adapts their results to the dashboard's tables and
rankings; it defines nothing.

The workload reads the record book directly (per staff member, no tally): the page loads it
in a second request.
"""
from django.utils.translation import gettext as _

from huiying.network.models import Level
from huiying.stats import workload as wl
from huiying.supervision import rates as sr

RATE_KEYS = ("response", "resolution", "satisfaction")


def _titles() -> dict:
    return {"response": _("Response rate"), "resolution": _("Resolution rate"), "satisfaction": _("Satisfaction rate")}


def _percent(rate) -> float | None:
    return None if rate.too_few or rate.value is None else round(rate.value * 100, 1)


def unit_rate_rows(figures) -> list[dict]:
    """The unit's three rates, as shown: title, percent (None: too few to rate), the
    numerator and denominator, and the definition shown beside it."""
    r = figures.rates()
    titles = _titles()
    return [{"key": k, "title": titles[k], "value": _percent(getattr(r, k)), "numerator": getattr(r, k).numerator,
             "denominator": getattr(r, k).denominator, "definition": str(sr.DEFINITIONS[k]), "empty": _("too few to rate")}
            for k in RATE_KEYS]


def child_rate_metrics(unit, children, figures) -> list:
    """[(key, title, higher_is_better, {child id: percent or None})] for the rankings."""
    if not children or unit.level in (Level.DEPARTMENT, Level.HAMLET):
        return []
    by_child = {c.id: figures.rates(c.id) for c in children}
    titles = _titles()
    return [(k, titles[k], True, {c.id: _percent(getattr(by_child[c.id], k)) for c in children}) for k in RATE_KEYS]


def workload_rows(user, unit, period) -> dict | None:
    """The workload spread as a table: the unit's own staff and each unit one level down
    (staff, concerns handled, share done by the busiest 30%). None for readers who may not
    see workload (supervisors)."""
    if not wl.can_see_workload(user, unit):
        return None
    rows = [(unit, wl.unit_workload(unit, start=period.start, end=period.end))]
    if unit.level not in (Level.HAMLET, Level.DEPARTMENT):
        rows += [(u.unit, u.workload) for u in wl.workload_spread(unit, start=period.start, end=period.end)]
    return {
        "title": _("Workload spread"),
        "columns": [_("Unit"), _("Staff"), _("Concerns handled"), _("Share of the busiest 30% (%)")],
        "rows": [[u.name, w.staff_count, w.handled_total, None if w.top30_share is None else round(w.top30_share * 100, 1)] for u, w in rows],
    }
