"""Writes of the command view: only the tally's maintenance. The tally is derived data (the
concerns are the truth), so rebuilding it writes no record-book entry."""
from django.db import connection, transaction

from . import tally_sql
from .models import FOLDED, TallyHorizon


def tally_rebuild() -> None:
    """Recount the tallies from the concerns, visits and ratings, in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in tally_sql.rebuild_sql(connection.vendor):
            cursor.execute(sql)


def tally_triggers_drop() -> None:
    """For bulk loads only (the benchmark): drop the triggers; `tally_triggers_install` and
    `tally_rebuild` afterwards."""
    with connection.cursor() as cursor:
        for sql in tally_sql.drop_sql(connection.vendor):
            cursor.execute(sql)


def tally_triggers_install() -> None:
    with connection.cursor() as cursor:
        for sql in tally_sql.drop_sql(connection.vendor) + tally_sql.install_sql(connection.vendor):
            cursor.execute(sql)


def tally_fold(today) -> None:
    """Move the horizon to `today` and fold the pending rows due before it (see
    `models.TallyHorizon`). Run with every deadline tick; it works once a day, when the date
    has moved on. On PostgreSQL the tally is locked against writers for the moment the fold
    takes (a day's rows), so no trigger writes a row under the old horizon meanwhile."""
    if TallyHorizon.current() >= today:
        return
    TallyHorizon.objects.get_or_create(id=1, defaults={"day": FOLDED})
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE dashboard_concerntally IN SHARE ROW EXCLUSIVE MODE")
        if not TallyHorizon.objects.filter(id=1, day__lt=today).update(day=today):
            return  # another worker folded first
        for sql in tally_sql.fold_sql(connection.vendor, today):
            cursor.execute(sql)
