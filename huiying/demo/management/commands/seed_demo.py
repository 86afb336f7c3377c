import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from huiying.demo.seed import DemoRefused, demo_logins, login_lines, seed_demo
from huiying.stats.selectors import unit_stats


class Command(BaseCommand):
    help = (
        "Load the Ningming county (宁明县) demo: the real network's shape with generated names, 1,214 staff, "
        "the duty roster and a year of history through the real workflow. Refuses a database that already "
        "holds a county unless --reset is given. Migrates the database first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the last day of the demo year, YYYY-MM-DD (default: today); the same day gives the same data")
        parser.add_argument("--reset", action="store_true", help="first DELETE EVERYTHING in the database (flush), then load the demo")

    def handle(self, *args, today=None, reset=False, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"today: not a date (YYYY-MM-DD): {today!r}") from None
        # A fresh data directory works straight away: bring the schema up to date first.
        call_command("migrate", interactive=False, verbosity=0)
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("database flushed")
        try:
            result = seed_demo(today=day)
        except DemoRefused as e:
            raise CommandError(f"{e}. Use --reset to delete everything and load the demo, or another database (HUIYING_DATA_DIR / DATABASE_URL).") from None
        s = unit_stats(result.county, today=result.plan.today)
        self.stdout.write(
            f"loaded {result.county.name}: {s['units']['township']} townships, {s['units']['village']} villages, "
            f"{s['units']['hamlet']} hamlets ({s['units']['point']} points), staff {s['staff']['county']}/{s['staff']['township']}/"
            f"{s['staff']['village']}/{s['staff']['hamlet']}"
        )
        self.stdout.write(
            f"history {result.plan.first_day} – {result.plan.today}: {s['visitors']} visitors, {s['concerns']} concerns, "
            f"{s['resolved']} resolved, {s['pending']} pending ({s['overdue']} overdue), {s['other']} other; "
            f"{result.steps} workflow steps in {result.seconds:.1f} s"
        )
        for line in login_lines(demo_logins()):
            self.stdout.write(line)
