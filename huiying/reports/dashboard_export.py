"""The dashboard's tables for the workbook.

The dashboard (`huiying.dashboard.selectors.dashboard_tables`) owns what its tables hold;
this module only hands them to `workbook.write`. Until that selector exists (the dashboard
is built on its own branch), the core figures of `huiying.stats.selectors.unit_stats` for
the unit and each of its sub-units are the tables.
"""
import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huiying import access
from huiying.network.models import Level, Unit
from huiying.stats.selectors import unit_stats

from .workbook import Table


def stats_tables(unit: Unit, *, start: dt.date, end: dt.date) -> list[Table]:
    """The core figures: the unit's own, then one row per sub-unit (departments aside)."""
    figures = [_("Visitors"), _("Concerns"), _("Resolved"), pgettext("figure", "Pending"), _("Other outcomes"), _("Overdue")]
    keys = ["visitors", "concerns", "resolved", "pending", "other", "overdue"]
    own = unit_stats(unit, date_from=start, date_to=end)
    tables = [Table(_("Figures"), [_("Figure"), _("Number")], [[label, own[k]] for label, k in zip(figures, keys)])]
    children = [c for c in unit.children.order_by("id") if c.level != Level.DEPARTMENT]
    if children:
        rows = []
        for child in children:
            s = unit_stats(child, date_from=start, date_to=end)
            rows.append([child.name, *[s[k] for k in keys]])
        tables.append(Table(_("By sub-unit"), [_("Unit"), *figures], rows))
    return tables


def tables_for(user, unit: Unit, *, start: dt.date, end: dt.date) -> list[Table]:
    access.check_unit_access(user, unit)
    try:
        from huiying.dashboard.selectors import dashboard_tables
    except ImportError:
        return stats_tables(unit, start=start, end=end)
    return [Table(t.title, list(t.columns), list(t.rows)) for t in dashboard_tables(user, unit, start=start, end=end)]
