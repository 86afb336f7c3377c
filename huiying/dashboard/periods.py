"""The dashboard's periods: this year (the default), a month, a quarter, or any days."""
import dataclasses
import datetime as dt

from django.utils.translation import gettext_lazy as _

from huiying.core.errors import ServiceError

YEAR, PAST_YEAR, QUARTER, MONTH, CUSTOM = "year", "12m", "quarter", "month", "custom"
KINDS = {YEAR: _("This year"), PAST_YEAR: _("The past 12 months"), QUARTER: _("This quarter"), MONTH: _("This month"), CUSTOM: _("Chosen days")}
# A dashboard covers at most this many years: long enough for any comparison a commander
# makes, short enough that a mistyped year does not ask for a millennium of months.
MAX_DAYS = 366 * 10


@dataclasses.dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included

    def months(self) -> list[dt.date]:
        """The first day of every month the period touches, in order."""
        out, m = [], self.start.replace(day=1)
        while m <= self.end:
            out.append(m)
            m = next_month(m)
        return out


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return next_month(day) - dt.timedelta(days=1)


def period_of(kind: str, today: dt.date) -> Period:
    if kind == MONTH:
        return Period(today.replace(day=1), month_end(today))
    if kind == QUARTER:
        first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        return Period(first, month_end(first.replace(month=first.month + 2)))
    if kind == PAST_YEAR:
        # Twelve calendar months: this one and the eleven before it, whole (as the monthly
        # trend shows them; nothing is received after today, and whole months are read from
        # the tally alone).
        first = today.replace(day=1)
        for _ in range(11):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        return Period(first, month_end(today))
    return Period(today.replace(month=1, day=1), today.replace(month=12, day=31))


def period_check(start: dt.date | None, end: dt.date | None, *, today: dt.date) -> Period:
    """A chosen period, both days included; this year when neither end is given."""
    if start is None and end is None:
        return period_of(YEAR, today)
    if start is None or end is None:
        raise ServiceError("from" if start is None else "to", _("Give both the start and the end of the period."))
    if end < start:
        raise ServiceError("to", _("The end of the period is before its start."))
    if (end - start).days > MAX_DAYS:
        raise ServiceError("to", _("A dashboard covers at most ten years."))
    return Period(start, end)


def split(p: Period) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The whole months inside `p` (first and last month, as first days) and the days left at
    either end. Whole months are read from the tally; the days left over from the concerns."""
    first = p.start if p.start.day == 1 else next_month(p.start)
    after = next_month(p.end) if p.end == month_end(p.end) else p.end.replace(day=1)
    if first >= after:
        return None, [(p.start, p.end)]
    edges = []
    if p.start < first:
        edges.append((p.start, first - dt.timedelta(days=1)))
    if after <= p.end:
        edges.append((after, p.end))
    last = (after - dt.timedelta(days=1)).replace(day=1)
    return (first, last), edges
