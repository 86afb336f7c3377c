"""Working days on China's official calendar (法定节假日 and 调休 adjusted weekends).

The calendar comes from the maintained `chinesecalendar` package. For a year it does not
cover yet (the State Council publishes each year's schedule in late autumn), we fall back to
Monday–Friday and a system check warns the administrator to upgrade the package.
"""
import datetime as dt
import functools
import logging

import chinese_calendar

log = logging.getLogger("huiying.workdays")


@functools.lru_cache(maxsize=8192)
def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        _warn_uncovered(day.year)
        return day.weekday() < 5


@functools.lru_cache(maxsize=None)
def _warn_uncovered(year: int) -> None:
    log.warning("chinesecalendar has no official schedule for %s: counting Monday-Friday; upgrade the package", year)


def covered_years() -> range:
    years = [d.year for d in chinese_calendar.constants.holidays]
    return range(min(years), max(years) + 1)


def next_workday(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start`.

    A limit of 0 means "the same working day": a concern received on a holiday is due on
    the next working day. Counting starts the day after `start`, as the seed's 限时 limits do.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    day = next_workday(start)
    while days:
        day += dt.timedelta(days=1)
        if is_workday(day):
            days -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -workdays_between(end, start)
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        n += is_workday(day)
    return n
