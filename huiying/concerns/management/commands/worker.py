from django.core.management import call_command
from django.core.management.base import BaseCommand

from huiying.concerns.tasks import ensure_scheduled


class Command(BaseCommand):
    help = "Run the background worker (deadline ticks, notifications) on the database task queue."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is due, then exit")

    def handle(self, *args, batch=False, **options):
        if ensure_scheduled():
            self.stdout.write("queued the deadline tick")
        call_command("db_worker", batch=batch, reload=False, startup_delay=False)
