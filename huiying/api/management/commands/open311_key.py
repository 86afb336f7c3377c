"""huiying open311-key create NAME | revoke NAME | list"""
from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime

from huiying.core.errors import ServiceError

from ...models import Open311Key
from ...open311.keys import open311_key_create, open311_key_revoke


class Command(BaseCommand):
    help = "Issue, revoke and list the api_keys of Open311 client applications. A new key is printed once and stored only as a hash."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("create", help="issue a key to a client application; prints it").add_argument("name")
        sub.add_parser("revoke", help="revoke a client application's key").add_argument("name")
        sub.add_parser("list", help="the keys, active and revoked")

    def handle(self, *args, verb: str, name: str = "", **options):
        try:
            if verb == "create":
                key, raw = open311_key_create(name=name)
                self.stdout.write(raw)
                self.stderr.write(f"Open311 api_key for “{key.name}” (shown this once; stored only as a hash).")
            elif verb == "revoke":
                key = open311_key_revoke(name=name)
                self.stdout.write(f"revoked: {key.name} ({key.prefix}…)")
            else:
                for key in Open311Key.objects.all():
                    state = f"revoked {localtime(key.revoked_at):%Y-%m-%d %H:%M}" if key.revoked_at else "active"
                    self.stdout.write(f"{key.name}\t{key.prefix}…\tcreated {localtime(key.created_at):%Y-%m-%d %H:%M}\t{state}")
        except ServiceError as e:
            raise CommandError(f"{e.field}: {e.text}") from None
