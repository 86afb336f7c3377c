"""Reception (热情接待) and registration (受理登记): villagers, visits, new concerns."""
import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from huiying import access
from huiying.core import clock
from huiying.core.errors import ServiceError
from huiying.network.models import Hamlet, Level, Unit
from huiying.records import book

from .. import deadlines, events
from ..models import Channel, Concern, Function, RiskLevel, State, Track, Villager, Visit
from ..validators import clean_id_number, clean_phone
from ..workflow import HANDLERS
from .common import next_reference, received_ancestors, require_choice, require_member, require_text

RECEIVING_LEVELS = {Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.HAMLET}


def pinyin_initials(name: str) -> str:
    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p).lower()[:50]


@transaction.atomic
def villager_create(*, actor, name: str, hamlet: Hamlet, phone: str = "", id_number: str = "", now: dt.datetime | None = None) -> Villager:
    name = require_text(name, "name", max_length=50)
    if not isinstance(hamlet, Hamlet):
        raise ServiceError("hamlet", _("Choose the villager's hamlet."), code="required")
    access.check_unit_access(actor, hamlet.point or hamlet.village, field="hamlet", roles=HANDLERS)
    phone = clean_phone(phone)
    id_number = clean_id_number(id_number)
    if id_number and Villager.objects.filter(id_number=id_number).exists():
        raise ServiceError("id_number", _("A villager with this ID card number is already registered."), code="duplicate")
    now = now or clock.now()
    villager = Villager.objects.create(name=name, phone=phone, id_number=id_number, hamlet=hamlet, initials=pinyin_initials(name), created_at=now)
    # The record names the villager by id only: the book is shown to supervisors.
    book.append(county_id=hamlet.village.county_id, action="villager.register", actor=actor, unit_id=hamlet.village_id, at=now, payload={"villager": villager.id, "hamlet": hamlet.id})
    return villager


def _check_villagers(villagers, unit: Unit, field: str = "villagers") -> list[Villager]:
    villagers = list(villagers or [])
    for v in villagers:
        if not isinstance(v, Villager) or v.hamlet.village.county_id != unit.county_id:
            raise ServiceError(field, _("Each villager must be registered in this county."))
    return villagers


@transaction.atomic
def visit_log(*, actor, unit: Unit, visitor_count: int, villagers=(), staff=None, visited_at: dt.datetime | None = None, note: str = "", concerns: list[dict] = (), now: dt.datetime | None = None) -> Visit:
    """Log a reception and register the concerns it brought (zero or more), as one action."""
    now = now or clock.now()
    if not isinstance(unit, Unit) or unit.level not in RECEIVING_LEVELS:
        raise ServiceError("unit", _("Visits are received at a hamlet point, village station, township center or the county HQ."))
    access.check_unit_access(actor, unit, roles=HANDLERS)
    if not isinstance(visitor_count, int) or isinstance(visitor_count, bool) or visitor_count < 1:
        raise ServiceError("visitor_count", _("At least one visitor."))
    villagers = _check_villagers(villagers, unit)
    if len(villagers) > visitor_count:
        raise ServiceError("visitor_count", _("Fewer visitors than villagers met."))
    staff = staff or actor
    require_member(staff, unit, "staff", roles=HANDLERS)
    visited_at = visited_at or now
    if visited_at > now + dt.timedelta(minutes=5):
        raise ServiceError("visited_at", _("A visit cannot be in the future."))
    visit = Visit.objects.create(
        unit=unit, visited_at=visited_at, staff=staff, visitor_count=visitor_count, note=note or "",
        county_id=unit.county_id, township_id=unit.township_id, village_id=unit.village_id, point_id=unit.point_id,
    )
    visit.villagers.set(villagers)
    group = uuid.uuid4()
    book.append(county_id=unit.county_id, action="visit.log", actor=actor, unit_id=unit.id, visit=visit, at=now, group=group,
                payload={"visitor_count": visitor_count, "villagers": [v.id for v in villagers]})
    for i, spec in enumerate(concerns or []):
        try:
            concern_register(actor=actor, unit=unit, visit=visit, channel=Channel.VISIT, now=now, received_at=visited_at, group=group, **spec)
        except ServiceError as e:
            # Name which of the visit's concerns was wrong: "concerns.1.summary".
            raise ServiceError(f"concerns.{i}.{e.field}", e.text, code=e.code) from e
    return visit


@transaction.atomic
def concern_register(
    *, actor, unit: Unit, function: str, channel: str, summary: str, track: str, details: str = "",
    villagers=(), hamlet: Hamlet | None = None, visit: Visit | None = None, confidential: bool = False,
    risk_level: str = RiskLevel.LOW, handler=None, answer: str | None = None,
    received_at: dt.datetime | None = None, now: dt.datetime | None = None, group: uuid.UUID | None = None,
) -> Concern:
    """Register a concern (受理登记). A policy question answered on the spot (`answer=`)
    is closed at once, the same day (政策咨询当面答复)."""
    now = now or clock.now()
    received_at = received_at or now
    if not isinstance(unit, Unit) or unit.level not in RECEIVING_LEVELS:
        raise ServiceError("unit", _("Concerns are received at a hamlet point, village station, township center or the county HQ."))
    access.check_unit_access(actor, unit, roles=HANDLERS)
    require_choice(function, Function, "function")
    require_choice(channel, Channel, "channel")
    require_choice(track, Track, "track")
    require_choice(risk_level, RiskLevel, "risk_level")
    summary = require_text(summary, "summary", max_length=200)
    villagers = _check_villagers(villagers, unit)
    if channel == Channel.VISIT and visit is None:
        raise ServiceError("visit", _("A concern brought by a visit is registered with its visit."))
    if visit is not None and visit.unit_id != unit.id:
        raise ServiceError("visit", _("The visit was received at another unit."))
    if hamlet is None and villagers:
        hamlet = villagers[0].hamlet
    if hamlet is not None and hamlet.village.county_id != unit.county_id:
        raise ServiceError("hamlet", _("The hamlet is not in this county."))
    if handler is not None:
        require_member(handler, unit, "handler", roles=HANDLERS)
    if answer is not None:
        if track != Track.POLICY:
            raise ServiceError("answer", _("Only a policy consultation is answered at registration."))
        answer = require_text(answer, "answer")
    if track == Track.CONFIDENTIAL:
        confidential = True
    county = Unit.objects.get(pk=unit.county_id)
    concern = Concern.objects.create(
        reference=next_reference(county, timezone.localdate(received_at).year),
        function=function, channel=channel, summary=summary, details=details or "", hamlet=hamlet, visit=visit,
        confidential=bool(confidential), risk_level=risk_level, track=track, state=State.REGISTERED,
        received_unit=unit, received_at=received_at, registered_by=actor, handling_unit=unit, handler=handler,
        due_date=deadlines.due_date_for(track, timezone.localdate(received_at)), **received_ancestors(unit),
    )
    concern.villagers.set(villagers)
    concern.handlers.add(*{u for u in (actor, handler) if u is not None})
    group = group or uuid.uuid4()
    book.append(
        county_id=unit.county_id, action="concern.register", actor=actor, unit_id=unit.id, concern=concern, visit=visit,
        to_state=State.REGISTERED, at=now, group=group,
        payload={"reference": concern.reference, "function": function, "channel": channel, "track": track,
                 "confidential": concern.confidential, "risk_level": risk_level, "villagers": [v.id for v in villagers],
                 "due_date": concern.due_date.isoformat(), "handler": handler.pk if handler else None},
    )
    # Integrations (webhooks) learn of new concerns as of every later step.
    events.emit(concern, "register", from_state="", to_state=State.REGISTERED)
    if answer is not None:
        from .steps import concern_answer

        # Return the closed concern, not the stale registered copy (its version moved on).
        concern = concern_answer(actor=actor, concern=concern, version=concern.version, answer=answer, now=now, group=group)
    return concern
