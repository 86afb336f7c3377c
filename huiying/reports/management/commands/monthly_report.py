from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from huiying.core.errors import ServiceError
from huiying.network.models import Unit
from huiying.reports import monthly
from huiying.reports.forms import parse_month


class Command(BaseCommand):
    help = "Write a unit's monthly report as a PDF (figures, charts, rankings, overdue list)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="the unit's 12-digit code (e.g. the county's)")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument("--user", help="write it as this user sees it (default: every concern but confidential ones in the overdue list)")

    def handle(self, *args, unit, month, output, user=None, **options):
        u = Unit.objects.filter(code=unit).first()
        if u is None:
            raise CommandError(_("No unit with the code %(code)s.") % {"code": unit})
        m = parse_month(month)
        if m is None:
            raise CommandError(_("Give the month as YYYY-MM."))
        who = None
        if user:
            who = get_user_model().objects.filter(username=user).first()
            if who is None:
                raise CommandError(_("No user %(user)s.") % {"user": user})
        try:
            data = monthly.monthly_pdf(who, u, m)
        except ServiceError as e:
            raise CommandError(e.text) from None
        with open(output, "wb") as f:
            f.write(data)
        self.stdout.write(_("Written: %(file)s (%(size)s bytes)") % {"file": output, "size": len(data)})
