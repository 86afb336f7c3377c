"""`huiying print card|cards|poster|roster|records|workflow --unit U [-o FILE]`: the
printables from the shell, through the same functions as the web's downloads."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from huiying.core.errors import ServiceError
from huiying.printing import printables

# The command's words for the printables (`card` is the unit's card; `card --staff` one
# person's; `cards` all of a unit's staff cards on sheets).
COMMAND_KINDS = ("card", "cards", "poster", "roster", "records", "workflow")
ARGUMENT = {"unit": "--unit", "staff": "--staff", "from": "--from", "to": "--to", "month": "--month", "as": "--as", "kind": "kind"}


class Command(BaseCommand):
    help = "Print a unit's contact card(s), notice-board poster, duty roster, record book or workflow chart as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=COMMAND_KINDS)
        parser.add_argument("--unit", required=True, help="the unit's id or 12-digit division code")
        parser.add_argument("--staff", metavar="USERNAME", help="card: the card of this staff member of the unit")
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="poster, records: first day (default: this month)")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="poster, records: last day")
        parser.add_argument("--month", metavar="YYYY-MM", help="roster: the month (default: this month)")
        parser.add_argument("-o", "--output", metavar="FILE", help="where to write the PDF (default: its usual name, here)")
        parser.add_argument("--base-url", help="the site's public address for QR codes (default: HUIYING_PUBLIC_URL)")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="print as this person, with their access (default: the operator)")

    def handle(self, *args, kind, unit, staff=None, date_from=None, date_to=None, month=None, output=None, base_url=None, as_user=None, **options):
        base_url = base_url or printables.configured_base_url()
        if not base_url and kind in ("card", "cards"):
            base_url = printables.FALLBACK_BASE_URL
            self.stderr.write(f"warning: HUIYING_PUBLIC_URL is not set and no --base-url given; QR codes point at {base_url}")
        if staff and kind != "card":
            raise CommandError("--staff: only for `card` (one staff member's card)")
        try:
            target = printables.unit_by_id_or_code(unit)
            viewer = printables.user_by_username(as_user) if as_user else printables.OPERATOR
            name = "staff_card" if kind == "card" and staff else kind
            params = {"from": date_from, "to": date_to, "month": month}
            printable = printables.make(name, viewer=viewer, unit=target, base_url=base_url or printables.FALLBACK_BASE_URL, params=params, username=staff)
        except ServiceError as e:
            raise CommandError(f"{ARGUMENT.get(e.field, e.field)}: {e.text}") from None
        path = Path(output or printable.filename)
        path.write_bytes(printable.content)
        self.stdout.write(f"{path} ({len(printable.content)} bytes)")
