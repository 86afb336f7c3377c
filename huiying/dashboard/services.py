"""Writes of the command view: only the tally's maintenance. The tally is derived data (the
concerns are the truth), so rebuilding it writes no record-book entry."""
from django.db import connection, transaction

from . import tally_sql


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
    """Fold the pending rows due before `today` (see `models.TallyHorizon`); run daily with
    the deadline tick, harmless to run again or late."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in tally_sql.fold_sql(connection.vendor, today):
            cursor.execute(sql)
