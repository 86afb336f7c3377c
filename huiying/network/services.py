"""Writes to the network. Every function validates everything before writing anything."""
import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from huiying.core.errors import ServiceError

from .models import ANCESTOR_FIELD, PARENT_LEVEL, ROLE_LEVELS, DutyShift, Employment, Hamlet, Level, Membership, Role, Unit

CODE_RE = re.compile(r"^\d{12}$")
PREFIX_RE = re.compile(r"^[A-Z]{1,6}$")


def _check_code(code: str, *, model, exclude_pk=None) -> str:
    code = (code or "").strip()
    if code and not CODE_RE.match(code):
        raise ServiceError("code", _("A division code has exactly 12 digits."))
    if code and model.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise ServiceError("code", _("Division code %(code)s is already used."), params={"code": code})
    return code


def ancestor_values(parent: Unit | None) -> dict:
    if parent is None:
        return {f: None for f in ANCESTOR_FIELD.values()}
    return {f: getattr(parent, f + "_id") for f in ANCESTOR_FIELD.values()}


def unit_validate(*, level: str, parent: Unit | None, name: str, code: str = "", ref_prefix: str = "") -> None:
    if level not in Level.values:
        raise ServiceError("level", _("Unknown level %(level)s."), params={"level": level})
    if not (name or "").strip():
        raise ServiceError("name", _("A unit needs a name."))
    if level == Level.COUNTY:
        if parent is not None:
            raise ServiceError("parent", _("A county HQ has no parent unit."))
        if not PREFIX_RE.match(ref_prefix or ""):
            raise ServiceError("ref_prefix", _("A county needs a reference prefix of 1–6 capital letters, such as NM."))
    else:
        if parent is None:
            raise ServiceError("parent", _("This unit needs a parent unit."))
        if parent.level != PARENT_LEVEL[level]:
            raise ServiceError(
                "parent",
                _("A %(level)s belongs to a %(expected)s, not a %(given)s."),
                params={"level": Level(level).label, "expected": PARENT_LEVEL[level].label, "given": Level(parent.level).label},
            )


@transaction.atomic
def unit_create(*, level: str, parent: Unit | None, name: str, code: str = "", address: str = "", opening_hours: str = "", phone: str = "", rules: str = "", ref_prefix: str = "") -> Unit:
    unit_validate(level=level, parent=parent, name=name, code=code, ref_prefix=ref_prefix)
    code = _check_code(code, model=Unit)
    unit = Unit.objects.create(
        level=level, parent=parent, name=name.strip(), code=code, address=address, opening_hours=opening_hours,
        phone=phone, rules=rules, ref_prefix=ref_prefix if level == Level.COUNTY else "", **{f + "_id": v for f, v in ancestor_values(parent).items()},
    )
    setattr(unit, ANCESTOR_FIELD[Level(level)] + "_id", unit.id)
    unit.save(update_fields=[ANCESTOR_FIELD[Level(level)]])
    return unit


def hamlet_validate(*, village: Unit | None, name: str) -> None:
    if not (name or "").strip():
        raise ServiceError("name", _("A hamlet needs a name."))
    if getattr(village, "level", None) != Level.VILLAGE:
        raise ServiceError("village", _("A hamlet belongs to a village station."))


@transaction.atomic
def hamlet_create(*, village: Unit, name: str, code: str = "", point: Unit | None = None) -> Hamlet:
    hamlet_validate(village=village, name=name)
    if point is not None and (point.level != Level.HAMLET or point.parent_id != village.id):
        raise ServiceError("point", _("The hamlet point must be a hamlet point of the same village station."))
    if Hamlet.objects.filter(village=village, name=name.strip()).exists():
        raise ServiceError("name", _("This village already has a hamlet named %(name)s."), params={"name": name})
    code = _check_code(code, model=Hamlet)
    return Hamlet.objects.create(village=village, name=name.strip(), code=code, point=point)


def membership_validate(*, unit: Unit, role: str, employment: str) -> None:
    if role not in Role.values:
        raise ServiceError("role", _("Unknown role %(role)s."), params={"role": role})
    if unit.level not in ROLE_LEVELS[Role(role)]:
        raise ServiceError(
            "role", _("A %(role)s cannot serve at a %(level)s."), params={"role": Role(role).label, "level": Level(unit.level).label}
        )
    if employment not in Employment.values:
        raise ServiceError("employment", _("Employment is full-time or part-time."))


@transaction.atomic
def staff_create(*, username: str, full_name: str, unit: Unit, role: str, employment: str = Employment.PART_TIME, phone: str = "", password: str | None = None):
    """A new user with a membership. `password=None` leaves the account without a usable password."""
    membership_validate(unit=unit, role=role, employment=employment)
    User = get_user_model()
    if not (username or "").strip():
        raise ServiceError("username", _("A username is required."))
    if User.objects.filter(username=username).exists():
        raise ServiceError("username", _("Username %(username)s is taken."), params={"username": username})
    user = User(username=username, first_name=full_name[:150], is_staff=role in (Role.ADMIN, Role.COMMANDER))
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, unit=unit, role=role, employment=employment, phone=phone)
    return user


@transaction.atomic
def membership_add(*, user, unit: Unit, role: str, employment: str = Employment.PART_TIME, phone: str = "") -> Membership:
    membership_validate(unit=unit, role=role, employment=employment)
    if Membership.objects.filter(user=user, unit=unit, role=role).exists():
        raise ServiceError("role", _("This person already has that role at this unit."))
    return Membership.objects.create(user=user, unit=unit, role=role, employment=employment, phone=phone)


@transaction.atomic
def duty_shift_add(*, unit: Unit, user, day: dt.date) -> DutyShift:
    if not Membership.objects.filter(unit=unit, user=user).exists():
        raise ServiceError("user", _("Only the unit's own staff can be on its duty roster."))
    shift, _created = DutyShift.objects.get_or_create(unit=unit, user=user, day=day)
    return shift
