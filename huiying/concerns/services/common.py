"""Pieces shared by the intake and step services."""
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from huiying.core.errors import ServiceError
from huiying.network.models import Membership, Unit

from ..models import ReferenceCounter


def require_text(value: str, field: str, *, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(field, _("This field is required."), code="required")
    if max_length and len(value) > max_length:
        raise ServiceError(field, _("At most %(n)s characters."), params={"n": max_length})
    return value


def require_choice(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise ServiceError(field, _("“%(value)s” is not a valid choice."), params={"value": value})
    return value


def require_member(user, unit: Unit, field: str, roles=None) -> None:
    qs = Membership.objects.filter(user=user, unit=unit)
    if roles is not None:
        qs = qs.filter(role__in=roles)
    if user is None or not qs.exists():
        raise ServiceError(field, _("%(user)s is not staff of %(unit)s."), params={"user": user, "unit": unit.name})


def next_reference(county: Unit, year: int) -> str:
    """NM-2026-000123: county prefix, year, a number read out easily over the phone."""
    assert transaction.get_connection().in_atomic_block
    counter, _created = ReferenceCounter.objects.get_or_create(county=county, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{county.ref_prefix}-{year}-{counter.last:06d}"


def received_ancestors(unit: Unit) -> dict:
    return {
        "received_county_id": unit.county_id,
        "received_township_id": unit.township_id,
        "received_village_id": unit.village_id,
        "received_point_id": unit.point_id,
    }


def as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value

