import datetime as dt
import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from huiying.network.models import Level, Unit
from huiying.stats.selectors import unit_stats


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{field}: not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Figures for a unit's subtree over a period: visitors, concerns, resolved, pending, other, overdue, units, staff."

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="division code of the unit (default: the county HQ)")
        parser.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, unit=None, date_from=None, date_to=None, json=False, **options):
        if unit:
            target = Unit.objects.filter(code=unit).first()
            if target is None:
                raise CommandError(f"unit: no unit with division code {unit}")
        else:
            counties = list(Unit.objects.filter(level=Level.COUNTY)[:2])
            if len(counties) != 1:
                raise CommandError("unit: give --unit CODE" if counties else "unit: the network is empty; run `huiying seed-demo` or `huiying import-network FILE`")
            target = counties[0]
        d_from = _date(date_from, "from") if date_from else None
        d_to = _date(date_to, "to") if date_to else None
        if d_from and d_to and d_from > d_to:
            raise CommandError("from: the first day is after the last day")
        figures = unit_stats(target, date_from=d_from, date_to=d_to)
        if json:
            self.stdout.write(jsonlib.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(f"{target.name} ({target.get_level_display()})")
        for key in ("visitors", "concerns", "resolved", "pending", "other", "overdue"):
            self.stdout.write(f"  {key:10} {figures[key]}")
        self.stdout.write("  units      " + ", ".join(f"{k} {v}" for k, v in figures["units"].items()))
        self.stdout.write("  staff      " + ", ".join(f"{k} {v}" for k, v in figures["staff"].items()))
