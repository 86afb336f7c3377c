from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from huiying.core.errors import ServiceError
from huiying.core.tables import ImportFailed
from huiying.network.models import Unit
from huiying.registers import services


class Command(BaseCommand):
    help = "Import a paper register (.xlsx or CSV, the template of /registers/) into a unit, as USER. A file with any bad row imports nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="the unit's 12-digit code")
        parser.add_argument("--user", required=True, help="the staff member importing (their access applies; the record book names them)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--sheet", help="the Excel sheet to read (default: the first)")

    def handle(self, *args, file, unit, user, dry_run=False, sheet=None, **options):
        u = Unit.objects.filter(code=unit).first()
        if u is None:
            raise CommandError(_("No unit with the code %(code)s.") % {"code": unit})
        who = get_user_model().objects.filter(username=user, is_active=True).first()
        if who is None:
            raise CommandError(_("No user %(user)s.") % {"user": user})
        try:
            result = services.register_import(actor=who, unit=u, path=file, dry_run=dry_run, sheet=sheet)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(_("Nothing was imported: %(count)s error(s).") % {"count": len(failed.errors)}) from None
        except ServiceError as e:
            raise CommandError(e.text) from None
        self.stdout.write((_("Checked, nothing written (--dry-run):") if dry_run else _("Imported:")) + " " + services.describe(result))
