from django.core.management.base import BaseCommand

from huiying.concerns import deadlines


class Command(BaseCommand):
    help = "Flag overdue concerns and alert the unit above. Safe to run any number of times."

    def handle(self, *args, **options):
        result = deadlines.tick()
        self.stdout.write(f"flagged {result['flagged']} newly overdue concern(s)")
