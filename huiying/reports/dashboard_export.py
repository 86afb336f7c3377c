"""The dashboard's tables for the workbook: what `huiying.dashboard.selectors.dashboard_tables`
shows (it checks access, so an export reaches no further than the page), one sheet each."""
import datetime as dt

from huiying.dashboard.selectors import dashboard_tables
from huiying.network.models import Unit

from .workbook import Table


def tables_for(user, unit: Unit, *, start: dt.date, end: dt.date) -> list[Table]:
    return [Table(t.title, list(t.columns), list(t.rows)) for t in dashboard_tables(user, unit, start=start, end=end)]
