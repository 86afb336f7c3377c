from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from huiying.network import importer


class Command(BaseCommand):
    help = "Load units, hamlets and staff from a CSV or .xlsx file (docs/import-network.md). A file with any bad row imports nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (UTF-8 or GBK) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--sheet", help="the Excel sheet to read (default: the first)")

    def handle(self, *args, file, dry_run=False, sheet=None, **options):
        try:
            counts = importer.network_import(path=file, sheet=sheet, dry_run=dry_run)
        except importer.ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(_("Nothing was imported: %(count)s error(s).") % {"count": len(failed.errors)}) from None
        self.stdout.write(_("Checked, nothing written (--dry-run):") if dry_run else _("Imported:"))
        for kind, count in counts.items():
            self.stdout.write(f"  {importer.kind_label(kind)}: {count}")
