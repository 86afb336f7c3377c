"""Reads of the network."""
import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from huiying.core import clock

from .models import ANCESTOR_FIELD, Level, Unit


def subtree_q(unit: Unit, prefix: str = "") -> Q:
    """Rows (units, or concerns with `prefix="received_"`) inside `unit`'s subtree."""
    return Q(**{f"{prefix}{ANCESTOR_FIELD[Level(unit.level)]}": unit.id})


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(subtree_q(unit))


def on_duty(*, unit: Unit, day: dt.date | None = None) -> QuerySet:
    day = day or clock.today()
    return get_user_model().objects.filter(duty_shifts__unit=unit, duty_shifts__day=day).order_by("first_name", "username")
