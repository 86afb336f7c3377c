"""A service request from an Open311 client becomes a concern like any other: registered
through `concern_register`, received by the unit serving the hamlet it names, written to
the record book, due by its track's limit.

Routing: the hamlet (attribute[hamlet], or address_id — a hamlet's id or division code)
decides the receiving unit: the hamlet's response point, else its village station. With
only coordinates or an address text, the county HQ receives it and routes it (our units
have no coordinates to match against); the location goes into the concern's details.

Who registers it: the user named by settings.HUIYING_OPEN311_USER, or else a per-county
system account "open311-<prefix>" made on first use — a commander membership at the county
HQ, so that the ordinary access rules let it register anywhere in the county; inactive, so
nobody can sign in as it or hold a token for it. No villager record is made from what a
client sends (it is unverified): the contact details go into the concern's details, and
staff add the villager (joining) once they have spoken to them.
"""
import datetime as dt
import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from huiying.concerns.models import Channel, Concern, Function, RiskLevel, Track
from huiying.concerns.services import concern_register
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.network.system_accounts import system_account as shared_system_account
from huiying.network.models import Hamlet, Unit

from ..models import Open311Key, Open311Request
from .catalogue import CLIENT_TRACKS, SERVICES

MAX_DESCRIPTION = 4000  # the spec's limit
MAX_FIELD = 200
CONTACT_FIELDS = ("first_name", "last_name", "phone", "email", "account_id", "device_id", "media_url", "address_string")


def system_account(county: Unit):
    """The account that registers Open311 requests for `county` (see the module docstring)."""
    User = get_user_model()
    if settings.HUIYING_OPEN311_USER:
        user = User.objects.filter(username=settings.HUIYING_OPEN311_USER).first()
        if user is None:
            raise ServiceError("service", _("The Open311 service is not set up (HUIYING_OPEN311_USER names no user)."))
        return user
    return shared_system_account(county, purpose="open311", full_name=f"Open311 {county.name}")


def find_hamlet(county: Unit, value: str, field: str) -> Hamlet:
    """A hamlet of `county` by id or 12-digit division code."""
    value = (value or "").strip()
    qs = Hamlet.objects.filter(village__county=county).select_related("village", "point")
    hamlet = None
    if value.isdigit():
        hamlet = qs.filter(code=value).first() if len(value) == 12 else qs.filter(pk=int(value)).first() if int(value) < 2**63 else None
    if hamlet is None:
        raise ServiceError(field, _("No such hamlet in this jurisdiction: %(value)s."), params={"value": value[:50]})
    return hamlet


def _coordinates(lat: str, long: str) -> tuple[float, float] | None:
    if not lat and not long:
        return None
    try:
        la, lo = float(lat), float(long)
    except ValueError:
        raise ServiceError("lat", _("lat and long are both needed, as decimal degrees (WGS84).")) from None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        raise ServiceError("lat", _("lat and long are both needed, as decimal degrees (WGS84)."))
    return la, lo


def _summary(description: str, service_name: str) -> str:
    line = next((ln.strip() for ln in description.splitlines() if ln.strip()), "")
    if not line:
        return f"{service_name} (Open311)"
    return line if len(line) <= 200 else line[:199] + "…"


def _person(first: str, last: str) -> str:
    """张 + 三 → 张三 (family name first, no space); John Smith stays as it is."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return last + first
    return " ".join(p for p in (first, last) if p)


def _details(description: str, key: Open311Key, fields: dict, coords) -> str:
    # Written in the site's language, whatever language the client asked in: staff read it.
    with translation.override(settings.LANGUAGE_CODE):
        lines = [description.strip(), "", str(_("Submitted through Open311 by %(client)s.") % {"client": key.name})]
        for label, value in [
            (_("Name"), _person(fields["first_name"], fields["last_name"])), (_("Phone"), fields["phone"]), (_("Email"), fields["email"]),
            (_("Address"), fields["address_string"]), (_("Coordinates"), f"{coords[0]}, {coords[1]}" if coords else ""),
            (_("Media"), fields["media_url"]), (_("Account"), fields["account_id"]), (_("Device"), fields["device_id"]),
        ]:
            if value:
                lines.append(f"{label}: {value}")
    return "\n".join(lines).strip()


@transaction.atomic
def open311_request_create(*, key: Open311Key, county: Unit, service_code: str, attributes: dict, lat: str = "", long: str = "",
                           address_id: str = "", description: str = "", now: dt.datetime | None = None, **contact) -> Concern:
    """Register the concern an Open311 client sends. Raises ServiceError naming the field."""
    if not service_code:
        raise ServiceError("service_code", _("service_code was not provided."), code="required")
    service = SERVICES.get(service_code)
    if service is None:
        raise NotFound("service_code", _("service_code %(code)s was not found.") % {"code": service_code[:50]})
    fields = {name: (contact.get(name) or "").strip() for name in CONTACT_FIELDS}
    for name, value in fields.items():
        if len(value) > MAX_FIELD:
            raise ServiceError(name, _("At most %(n)s characters."), params={"n": MAX_FIELD})
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise ServiceError("description", _("At most %(n)s characters."), params={"n": MAX_DESCRIPTION})
    coords = _coordinates((lat or "").strip(), (long or "").strip())
    hamlet = None
    if attributes.get("hamlet"):
        hamlet = find_hamlet(county, attributes["hamlet"], "attribute[hamlet]")
    elif (address_id or "").strip():
        hamlet = find_hamlet(county, address_id, "address_id")
    if hamlet is None and coords is None and not fields["address_string"]:
        raise ServiceError("location", _("A location is required: attribute[hamlet], address_id, lat and long, or address_string."), code="required")
    track = attributes.get("track") or service.default_track
    if track not in CLIENT_TRACKS:
        raise ServiceError("attribute[track]", _("“%(value)s” is not a valid choice."), params={"value": str(track)[:50]})
    risk_level = RiskLevel.LOW
    if service.function == Function.SENTIMENT and attributes.get("risk_level"):
        risk_level = attributes["risk_level"]
    if risk_level not in RiskLevel.values:
        raise ServiceError("attribute[risk_level]", _("“%(value)s” is not a valid choice."), params={"value": str(risk_level)[:50]})
    now = now or clock.now()
    concern = concern_register(
        actor=system_account(county), unit=hamlet.receiving_unit if hamlet else county, function=service.function,
        channel=Channel.ONLINE, summary=_summary(description, service.name), track=Track(track),
        details=_details(description, key, fields, coords), hamlet=hamlet, risk_level=risk_level, now=now,
    )
    submitted = {k: v for k, v in fields.items() if v}
    if coords:
        submitted["lat"], submitted["long"] = coords
    Open311Request.objects.create(concern=concern, key=key, submitted=submitted, created_at=now)
    return concern


def service_notice(concern: Concern) -> str:
    return str(_("Received by %(unit)s; to be answered by %(date)s.") % {"unit": concern.handling_unit.name, "date": concern.due_date.isoformat()})
