"""Reads of the command view (指挥看板): a unit's dashboard, its tables, its rankings.

`dashboard(user, unit, start=, end=)` is what the page, the API and the exports read;
`dashboard_tables(...)` is every table of the page as plain rows (the `reports` app's
export contract). Access: the reader must serve in the unit or a unit above it
(`access.check_unit_access`); another county's unit is not found (`access.unit_get`).
"""
import dataclasses
import datetime as dt
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from huiying import access
from huiying.concerns.models import Channel, Function, Track
from huiying.core import clock
from huiying.network.models import Level, Unit
from huiying.stats.selectors import staff_by_level

from . import figures as fig
from . import rates
from .periods import Period, month_end, period_check

OUTCOME_KEYS = ("concerns", "resolved", "pending", "other", "overdue")


@dataclasses.dataclass
class Table:
    """One table as shown: the export contract (`reports` writes these to .xlsx)."""

    title: str
    columns: list[str]
    rows: list[list]


@dataclasses.dataclass
class Cell:
    value: object
    url: str | None = None


def dashboard_unit(user, pk) -> Unit:
    """The unit whose dashboard `user` may read: NotFound for another county's, Forbidden for
    a unit outside the user's part of the network."""
    unit = access.unit_get(user, pk)
    access.check_unit_access(user, unit)
    return unit


def children_of(unit: Unit) -> list[Unit]:
    """The units one level down (departments are not part of the subtree's tiers)."""
    return [c for c in unit.children.order_by("id") if c.level != Level.DEPARTMENT]


def list_url(unit: Unit, period: Period, *, here: bool = False, **filters) -> str:
    """The staff concern list behind a figure: concerns received in `unit`'s subtree (or, with
    `here`, at the unit itself) in `period`."""
    # Built by hand, not urlencode(): a dashboard has hundreds of these, and every value is
    # an id, an ISO date or a choice's ASCII code (quoted all the same, to be sure).
    query = f"unit={unit.id}&received={'here' if here else 'subtree'}&date_from={period.start}&date_to={period.end}"
    for key, value in filters.items():
        if value:
            query += f"&{key}={quote(str(value))}"
    return _concerns_url() + "?" + query


def _concerns_url() -> str:
    # A dashboard has a few hundred links: resolve the list's address once per script prefix
    # (reverse() is the costliest part of building one).
    key = get_script_prefix()
    if key not in _CONCERNS_URL:
        _CONCERNS_URL[key] = reverse("web:concerns")
    return _CONCERNS_URL[key]


_CONCERNS_URL: dict = {}


def _outcome_filters(key: str) -> dict:
    if key == "concerns":
        return {}
    if key == "overdue":
        return {"outcome": "pending", "overdue": "on"}
    return {"outcome": key}


def _count_cells(counts: fig.Counts, unit: Unit, period: Period, *, here: bool = False, **filters) -> list[Cell]:
    return [Cell(getattr(counts, k), list_url(unit, period, here=here, **filters, **_outcome_filters(k)) if getattr(counts, k) else None)
            for k in OUTCOME_KEYS]


def dashboard(user, unit: Unit, *, start: dt.date | None = None, end: dt.date | None = None, today: dt.date | None = None) -> dict:
    """Everything the dashboard shows for `unit` (which the caller got from `dashboard_unit`)."""
    today = today or clock.today()
    period = period_check(start, end, today=today)
    f = fig.unit_figures(unit, period, today=today)
    total = f.counts()
    visits, visitors = f.visitors()
    children = children_of(unit) if unit.level != Level.DEPARTMENT else []
    by_child = f.by("child")
    child_rows = []
    for child in children + ([unit] if unit.id in by_child else []):
        c = by_child.get(child.id, fig.Counts())
        v = f.visitors(child=child.id)
        child_rows.append({
            "unit": child,
            "own": child.id == unit.id,
            "url": reverse("dashboard:unit", args=[child.id]) + f"?from={period.start}&to={period.end}" if child.id != unit.id else None,
            "visitors": v[1],
            "cells": _count_cells(c, child, period, here=child.id == unit.id),
            "counts": c,
        })

    def breakdown(attr, choices):
        got = f.by(attr)
        return [{"key": value, "label": label, "counts": got.get(value, fig.Counts()), "cells": _count_cells(got.get(value, fig.Counts()), unit, period, **{attr: value})}
                for value, label in choices]

    by_month = f.by("month")
    months = []
    for m in period.months():
        part = Period(max(m, period.start), min(month_end(m), period.end))
        c = by_month.get(m, fig.Counts())
        months.append({"month": m, "counts": c, "visitors": f.visitors(month=m)[1], "cells": _count_cells(c, unit, part)})
    return {
        "unit": unit,
        "period": period,
        "today": today,
        "visits": visits,
        "visitors": visitors,
        "totals": total,
        "total_cells": _count_cells(total, unit, period),
        "children": child_rows,
        "by_function": breakdown("function", Function.choices),
        "by_track": breakdown("track", Track.choices),
        "by_channel": breakdown("channel", Channel.choices),
        "by_month": months,
        "staff": staff_by_level(unit),
        "rates": rates.unit_rate_rows(f),
        # The workload reads the record book per staff member (no tally): the page loads it in
        # a second request (`workload`), the API and the exports include it (`dashboard_full`).
        "path": [u for u in unit.ancestors() if access.unit_in_reach(user, u)],
    }


STAFF_LEVELS = [("county", Level.COUNTY.label), ("township", Level.TOWNSHIP.label), ("village", Level.VILLAGE.label),
                ("hamlet", Level.HAMLET.label), ("department", Level.DEPARTMENT.label)]


def count_columns() -> list[str]:
    return [_("Concerns"), _("Resolved"), _("Pending"), _("Other outcome"), _("Overdue")]


def workload(user, unit: Unit, period: Period) -> dict | None:
    return rates.workload_rows(user, unit, period)


def dashboard_full(user, unit: Unit, *, start=None, end=None, today=None) -> dict:
    """The dashboard with its workload (what the API and the exports show)."""
    d = dashboard(user, unit, start=start, end=end, today=today)
    d["workload"] = workload(user, unit, d["period"])
    return d


def dashboard_tables(user, unit: Unit, *, start: dt.date | None = None, end: dt.date | None = None, today: dt.date | None = None) -> list[Table]:
    """Every table of `unit`'s dashboard, as shown, for `user` (access checked here too, so an
    export cannot reach further than the page)."""
    from . import rankings  # it reads this module's helpers

    unit = dashboard_unit(user, unit.pk)
    d = dashboard_full(user, unit, start=start, end=end, today=today)
    d["rankings"] = rankings.unit_rankings(user, unit, start=d["period"].start, end=d["period"].end,
                                           minimum=rankings.minimum_from(None), today=d["today"])
    return tables_of(d)


def tables_of(d: dict) -> list[Table]:
    t = d["totals"]
    period = f"{d['period'].start} – {d['period'].end}"
    tables = [
        Table(_("Figures of %(unit)s, %(period)s") % {"unit": d["unit"].name, "period": period},
              [_("Visitors"), *count_columns()], [[d["visitors"], t.concerns, t.resolved, t.pending, t.other, t.overdue]]),
        Table(_("By unit below"), [_("Unit"), _("Visitors"), *count_columns()],
              [[_("%(unit)s (received here)") % {"unit": r["unit"].name} if r["own"] else r["unit"].name, r["visitors"],
                *[getattr(r["counts"], k) for k in OUTCOME_KEYS]] for r in d["children"]]),
    ]
    for key, title, first in (("by_function", _("By function"), _("Function")), ("by_track", _("By track"), _("Track")), ("by_channel", _("By channel"), _("Channel"))):
        tables.append(Table(title, [first, *count_columns()], [[str(r["label"]), *[getattr(r["counts"], k) for k in OUTCOME_KEYS]] for r in d[key]]))
    tables.append(Table(_("By month"), [_("Month"), _("Visitors"), *count_columns()],
                        [[r["month"].strftime("%Y-%m"), r["visitors"], *[getattr(r["counts"], k) for k in OUTCOME_KEYS]] for r in d["by_month"]]))
    tables.append(Table(_("Staff by level"), [_("Level"), _("Staff")], [[str(label), d["staff"][key]] for key, label in STAFF_LEVELS]))
    tables.append(Table(_("The three rates"), [_("Rate"), "%", _("Counted"), _("Out of"), _("Definition")],
                        [[r["title"], r["empty"] if r["value"] is None else r["value"], r["numerator"], r["denominator"], r["definition"]] for r in d["rates"]]))
    if d.get("workload") is not None:
        w = d["workload"]
        tables.append(Table(w["title"], w["columns"], [[v if v is not None else "—" for v in row] for row in w["rows"]]))
    for rk in d.get("rankings", []):
        tables.append(Table(_("Ranking: %(title)s") % {"title": rk.title}, [_("Place"), _("Unit"), "%", _("Concerns")],
                            [[r["place"], r["unit"].name, r["value"], r["concerns"]] for r in rk.ranked]
                            + [["—", r["unit"].name, r["reason"], r["concerns"]] for r in rk.unranked]))
    return tables
