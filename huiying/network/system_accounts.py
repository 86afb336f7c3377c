"""Accounts that register concerns arriving without a member of staff: Open311 clients, the
villager's own submissions on a public page. One per county and purpose ("open311-cs",
"selfservice-cs"), made on first use: a commander membership at the county HQ, so the
ordinary access rules let it register anywhere in the county; inactive and without a
password, so nobody can sign in as it or hold a token for it."""
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from huiying.core.errors import ServiceError

from . import services as net
from .models import Role, Unit


def system_account(county: Unit, *, purpose: str, full_name: str):
    User = get_user_model()
    username = f"{purpose}-{county.ref_prefix.lower()}"
    user = User.objects.filter(username=username).first()
    if user is None:
        try:
            with transaction.atomic():
                user = net.staff_create(username=username, full_name=full_name, unit=county, role=Role.COMMANDER, password=None)
                User.objects.filter(pk=user.pk).update(is_active=False, is_staff=False)
        except (IntegrityError, ServiceError):  # made meanwhile by a concurrent first request
            user = User.objects.get(username=username)
    return user
