import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from huiying import access
from huiying.core.errors import ServiceError
from huiying.network.models import Unit
from huiying.reports import services
from huiying.reports.models import ExportStatus


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise CommandError(_("Give dates as YYYY-MM-DD.")) from None


class Command(BaseCommand):
    help = "Export the concern register to .xlsx as USER may see it (masked as for them): huiying export register --user U -o FILE.xlsx"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["register"])
        parser.add_argument("--user", required=True, help="whose view of the register (access and masking)")
        parser.add_argument("--unit", help="narrow to a unit's subtree (its 12-digit code)")
        parser.add_argument("--from", dest="date_from", help="received from YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="received until YYYY-MM-DD")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args, what, user, output, unit=None, date_from=None, date_to=None, **options):
        who = get_user_model().objects.filter(username=user).first()
        if who is None:
            raise CommandError(_("No user %(user)s.") % {"user": user})
        params = {}
        if unit:
            u = Unit.objects.filter(code=unit).first()
            if u is None:
                raise CommandError(_("No unit with the code %(code)s.") % {"code": unit})
            if not access.unit_in_reach(who, u):
                raise CommandError(_("%(unit)s is outside your part of the network.") % {"unit": u.name})
            params["unit"] = str(u.pk)
        if date_from:
            params["date_from"] = _date(date_from)
        if date_to:
            params["date_to"] = _date(date_to)
        try:
            job = services.export_run(services.export_register_create(actor=who, params=params))
        except ServiceError as e:
            raise CommandError(e.text) from None
        if job.status != ExportStatus.DONE:
            raise CommandError(job.error)
        with open(output, "wb") as f:
            f.write(services.export_path(job).read_bytes())
        self.stdout.write(_("Written: %(file)s (%(rows)s concerns)") % {"file": output, "rows": job.done})
