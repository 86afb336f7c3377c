"""Staff API tokens: created and revoked by their user or an administrator, stored hashed.

A token carries no rights of its own: a request made with it is a request by its user, so
it sees and does exactly what the user would in the web app (`huiying.access`).
`actor=None` is the server's operator at the command line (`huiying api-token`).
"""
import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Membership, Role

from .keys import display_prefix, key_hash, new_key
from .models import ApiToken

TOKEN_PREFIX = "hy_"
# last_used_at is a hint for people reviewing their tokens, not an audit trail: writing it
# at most this often keeps a busy client from turning every read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def may_manage_tokens(actor, user) -> bool:
    """The user themselves, a superuser, or an administrator of a county the user serves in."""
    if actor is None:
        return True
    if not actor.is_authenticated:
        return False
    if actor.pk == user.pk or actor.is_superuser:
        return True
    admin_counties = {m.unit.county_id for m in access.memberships(actor) if m.role == Role.ADMIN}
    return bool(admin_counties) and Membership.objects.filter(user=user, unit__county__in=admin_counties).exists()


def manageable_tokens(actor) -> QuerySet[ApiToken]:
    """Tokens `actor` may list and revoke."""
    qs = ApiToken.objects.select_related("user")
    if actor.is_superuser:
        return qs
    admin_counties = {m.unit.county_id for m in access.memberships(actor) if m.role == Role.ADMIN}
    if not admin_counties:
        return qs.filter(user=actor)
    users = Membership.objects.filter(unit__county__in=admin_counties).values("user_id")
    return qs.filter(user__in=users) | qs.filter(user=actor)


@transaction.atomic
def api_token_create(*, actor, user, name: str = "", now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`. Returns the row and the key, which is never shown again."""
    if not isinstance(user, get_user_model()) or not user.is_active:
        raise ServiceError("user", _("Choose an active user."), code="required")
    if not may_manage_tokens(actor, user):
        raise NotFound("user", _("No such user."))
    name = (name or "").strip()
    if len(name) > 100:
        raise ServiceError("name", _("At most %(n)s characters."), params={"n": 100})
    raw = new_key(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=display_prefix(raw), key_hash=key_hash(raw), created_at=now or clock.now(),
        created_by=actor if actor is not None and actor.pk else None,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken, now: dt.datetime | None = None) -> ApiToken:
    if not may_manage_tokens(actor, token.user):
        raise NotFound("token", _("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now or clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The active token with this key, or None. Marks it used."""
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = now or clock.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
