"""api_keys for Open311 client applications: one per application, shown once, stored as a
SHA-256 hash, revocable. Issued by the server's operator (`huiying open311-key`)."""
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError

from ..keys import display_prefix, key_hash, new_key
from ..models import Open311Key

KEY_PREFIX = "o311_"


@transaction.atomic
def open311_key_create(*, name: str, now: dt.datetime | None = None) -> tuple[Open311Key, str]:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ServiceError("name", _("Name the client application (at most 100 characters)."), code="required")
    if Open311Key.objects.filter(name=name, revoked_at__isnull=True).exists():
        raise ServiceError("name", _("A key named %(name)s exists already; revoke it first or choose another name."), params={"name": name})
    raw = new_key(KEY_PREFIX)
    key = Open311Key.objects.create(name=name, prefix=display_prefix(raw), key_hash=key_hash(raw), created_at=now or clock.now())
    return key, raw


@transaction.atomic
def open311_key_revoke(*, name: str, now: dt.datetime | None = None) -> Open311Key:
    key = Open311Key.objects.filter(name=name, revoked_at__isnull=True).first()
    if key is None:
        raise NotFound("name", _("No active key named %(name)s.") % {"name": name})
    key.revoked_at = now or clock.now()
    key.save(update_fields=["revoked_at"])
    return key


def key_authenticate(raw: str) -> Open311Key | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    return Open311Key.objects.filter(key_hash=key_hash(raw), revoked_at__isnull=True).first()
