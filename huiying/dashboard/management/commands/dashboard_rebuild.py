"""huiying dashboard-rebuild: re-install the tally triggers and recount the tally from the
concerns and visits (after a bulk load with the triggers dropped, or a change of TIME_ZONE)."""
from django.core.management.base import BaseCommand

from huiying.dashboard import services


class Command(BaseCommand):
    help = "Re-install the dashboard's tally triggers and recount the tally from the concerns and visits."

    def handle(self, *args, **options):
        services.tally_triggers_install()
        services.tally_rebuild()
        self.stdout.write("dashboard tally rebuilt")
