"""The six printables, one entry point each, with who may print what and the parameters
they take. The web views, the API and `huiying print` are thin over `make()`.

Who may print (the rules themselves are in `huiying.access`):
- public, no sign-in: the unit's contact card, its notice-board poster, its workflow chart —
  they carry nothing that is not on the unit's public page;
- signed-in people who may see the unit (`access.can_see_unit`): staff contact cards and the
  duty roster. A staff member's phone is printed when the reader may see staff phones
  (`access.can_see_staff_phones`) or the card is their own; otherwise the unit's phone is
  printed in its place;
- readers of the unit's record book (`access.can_read_record_book`): the record book, with
  the web page's confidential rule.
Anything else is "not found" (`NotFound`), like a unit that does not exist.

`viewer=OPERATOR` is the command line's operator: any unit, phones printed, and — since no
person is reading — no entry of a confidential concern (`--as USERNAME` prints as someone).
"""
import datetime as dt
import re
from dataclasses import dataclass
from typing import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huiying import access
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Membership
from huiying.records.selectors import book_period
from huiying.web.views.units import ROLE_ORDER

from . import cards, chart, recordbook, roster

OPERATOR = object()
PUBLIC_KINDS = ("card", "poster", "workflow")
KINDS = ("card", "cards", "staff_card", "poster", "roster", "records", "workflow")
FALLBACK_BASE_URL = "http://127.0.0.1:8000"


@dataclass
class Printable:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


def public_url(unit, base_url: str) -> str:
    """The absolute address of `unit`'s public page (`board:unit`): what a QR code carries."""
    return base_url.rstrip("/") + reverse("board:unit", args=[unit.pk])


def configured_base_url() -> str:
    return getattr(settings, "HUIYING_PUBLIC_URL", "") or ""


# --- parameters ----------------------------------------------------------------------

def parse_month(value: str | None) -> dt.date:
    """The first day of the month "YYYY-MM"; this month when empty."""
    if not value:
        return clock.today().replace(day=1)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not m or not 1 <= int(m[2]) <= 12 or int(m[1]) < 1:
        raise ServiceError("month", gettext_lazy("Give the month as YYYY-MM, e.g. 2026-03 (not “%(value)s”)."), params={"value": value})
    return dt.date(int(m[1]), int(m[2]), 1)


def parse_date(field: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ServiceError(field, gettext_lazy("Give the date as YYYY-MM-DD, e.g. 2026-03-01 (not “%(value)s”)."), params={"value": value}) from None


def parse_period(date_from: str | None, date_to: str | None) -> tuple[dt.date, dt.date]:
    """A period from "YYYY-MM-DD" strings, by the record book's rule (this month unless
    asked otherwise, at most a year)."""
    start, end = parse_date("from", date_from), parse_date("to", date_to)
    if start and end and end < start:
        raise ServiceError("to", gettext_lazy("The end of the period is before its start."))
    return book_period(start, end)


# --- access --------------------------------------------------------------------------

def _is_operator(viewer) -> bool:
    return viewer is OPERATOR


def check_access(viewer, unit, kind: str) -> None:
    """Raise NotFound unless `viewer` may print `kind` for `unit`."""
    if kind in PUBLIC_KINDS or _is_operator(viewer):
        return
    if kind == "records":
        allowed = access.can_see_unit(viewer, unit) and access.can_read_record_book(viewer, unit)
    else:
        allowed = access.can_see_unit(viewer, unit)
    if not allowed:
        raise NotFound("unit", gettext_lazy("No such unit."))


# --- the printables ------------------------------------------------------------------

def unit_card(unit, *, base_url: str) -> Printable:
    text = cards.unit_card_text(unit, url=public_url(unit, base_url))
    content = cards.cards_pdf([text] * (cards.COLUMNS * 4), title=_("Contact card"), unit=unit)
    return Printable(f"card-{unit.pk}.pdf", content)


def _members(unit, username: str | None) -> list[Membership]:
    qs = unit.memberships.select_related("user")
    if username is not None:
        qs = qs.filter(user__username=username)
    members = sorted(qs, key=lambda m: (ROLE_ORDER.index(m.role) if m.role in ROLE_ORDER else 99, m.user.get_full_name(), m.user.username))
    if username is not None and not members:
        raise NotFound("staff", gettext_lazy("No such staff member in this unit."))
    return members


def staff_cards(viewer, unit, *, base_url: str, username: str | None = None) -> Printable:
    """A sheet of the unit's staff cards, one per person (their roles in the unit on one
    card); with `username`, a sheet of that person's card, for cutting out eight."""
    members = _members(unit, username)
    phones_visible = _is_operator(viewer) or access.can_see_staff_phones(viewer, unit)
    by_user: dict[int, list[Membership]] = {}
    for m in members:
        by_user.setdefault(m.user_id, []).append(m)
    url = public_url(unit, base_url)
    texts = []
    for ms in by_user.values():
        user = ms[0].user
        own = not _is_operator(viewer) and viewer.pk == user.pk
        phone = next((m.phone for m in ms if m.phone), "") if (phones_visible or own) else ""
        texts.append(cards.staff_card_text(
            unit, name=user.get_full_name() or user.username, roles=[str(m.get_role_display()) for m in ms], phone=phone or unit.phone, url=url,
        ))
    if username is not None:
        return Printable(f"staff-card-{unit.pk}-{username}.pdf", cards.cards_pdf(texts * (cards.COLUMNS * 4), title=_("Contact card"), unit=unit))
    return Printable(f"staff-cards-{unit.pk}.pdf", cards.cards_pdf(texts, title=_("Staff contact cards"), unit=unit))


def poster(unit, *, start: dt.date, end: dt.date) -> Printable:
    from . import poster as poster_pdf

    return Printable(f"poster-{unit.pk}-{start:%Y%m%d}-{end:%Y%m%d}.pdf", poster_pdf.poster_pdf(unit, start=start, end=end))


def duty_roster(unit, *, month: dt.date) -> Printable:
    return Printable(f"roster-{unit.pk}-{month:%Y-%m}.pdf", roster.roster_pdf(unit, month=month))


def record_book(viewer, unit, *, start: dt.date, end: dt.date) -> Printable:
    reader = None if _is_operator(viewer) else viewer
    return Printable(f"records-{unit.pk}-{start:%Y%m%d}-{end:%Y%m%d}.pdf", recordbook.records_pdf(reader, unit, start=start, end=end))


def workflow(unit) -> Printable:
    return Printable(f"workflow-{unit.pk}.pdf", chart.workflow_pdf(unit))


def make(kind: str, *, viewer, unit, base_url: str, params: Mapping[str, str] | None = None, username: str | None = None) -> Printable:
    """Check access, read the parameters (`from`, `to`, `month`) and print. Bad parameters
    raise ServiceError naming the field before anything is drawn."""
    params = params or {}
    if kind not in KINDS:
        raise ServiceError("kind", gettext_lazy("Unknown printable “%(kind)s”."), params={"kind": kind})
    check_access(viewer, unit, kind)
    if kind == "card":
        return unit_card(unit, base_url=base_url)
    if kind in ("cards", "staff_card"):
        return staff_cards(viewer, unit, base_url=base_url, username=username if kind == "staff_card" else None)
    if kind == "roster":
        return duty_roster(unit, month=parse_month(params.get("month")))
    if kind == "workflow":
        return workflow(unit)
    start, end = parse_period(params.get("from") or params.get("date_from"), params.get("to") or params.get("date_to"))
    if kind == "poster":
        return poster(unit, start=start, end=end)
    return record_book(viewer, unit, start=start, end=end)


def unit_by_id_or_code(value: str):
    """The unit with this id or 12-digit division code (for the command line)."""
    from huiying.network.models import Unit

    value = (value or "").strip()
    unit = Unit.objects.filter(code=value).first() if len(value) == 12 else None
    if unit is None and value.isdigit():
        unit = Unit.objects.filter(pk=int(value)).first()
    if unit is None:
        raise ServiceError("unit", gettext_lazy("No unit with id or division code “%(value)s”."), params={"value": value})
    return unit


def user_by_username(value: str):
    user = get_user_model().objects.filter(username=value).first()
    if user is None:
        raise ServiceError("as", gettext_lazy("No user “%(value)s”."), params={"value": value})
    return user

