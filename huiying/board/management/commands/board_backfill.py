from django.core.management.base import BaseCommand

from huiying.board.services import board_backfill
from huiying.network.models import Level, Unit


class Command(BaseCommand):
    help = (
        "Take onto the public notice board the results posted before it existed: every posted, resolved, "
        "non-confidential concern without a board snapshot gets one (one batch per unit and posting day). "
        "Takes only what is missing, so it can run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="posting period in days (default: HUIYING_BOARD_DEFAULT_PERIOD_DAYS)")

    def handle(self, *args, days=None, **options):
        for county in Unit.objects.filter(level=Level.COUNTY).order_by("id"):
            batches = board_backfill(county=county, period_days=days)
            items = sum(b.items.count() for b in batches)
            self.stdout.write(f"{county.name}: {len(batches)} batches, {items} results")
