"""huiying api-token create USERNAME [--name NAME] | revoke PREFIX | list [USERNAME]"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime

from huiying.core.errors import ServiceError

from ...models import ApiToken
from ...tokens import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, revoke and list staff API tokens. A new token is printed once and stored only as a hash; it acts with exactly its user's access."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="a new token for a user; prints it")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        sub.add_parser("revoke", help="revoke a token, given its prefix (see list) or id").add_argument("token")
        sub.add_parser("list", help="tokens, of one user or of everyone").add_argument("username", nargs="?")

    def handle(self, *args, verb: str, **options):
        try:
            if verb == "create":
                user = get_user_model().objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"username: no such user {options['username']}")
                token, raw = api_token_create(actor=None, user=user, name=options["name"])
                self.stdout.write(raw)
                self.stderr.write(f"API token for {user.get_username()} (shown this once; stored only as a hash).")
            elif verb == "revoke":
                ref = options["token"]
                qs = ApiToken.objects.filter(pk=int(ref)) if ref.isdigit() else ApiToken.objects.filter(prefix=ref.rstrip("…"))
                tokens = list(qs[:2])
                if len(tokens) != 1:
                    raise CommandError(f"token: {'no' if not tokens else 'more than one'} token matches {ref}")
                api_token_revoke(actor=None, token=tokens[0])
                self.stdout.write(f"revoked: {tokens[0].prefix}… of {tokens[0].user.get_username()}")
            else:
                qs = ApiToken.objects.select_related("user")
                if options.get("username"):
                    qs = qs.filter(user__username=options["username"])
                for t in qs:
                    state = f"revoked {localtime(t.revoked_at):%Y-%m-%d %H:%M}" if t.revoked_at else "active"
                    used = f"used {localtime(t.last_used_at):%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
                    self.stdout.write(f"{t.id}\t{t.prefix}…\t{t.user.get_username()}\t{t.name}\t{used}\t{state}")
        except ServiceError as e:
            raise CommandError(f"{e.field}: {e.text}") from None
