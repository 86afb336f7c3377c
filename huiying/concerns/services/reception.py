"""Reception and registration as one action (热情接待 + 受理登记): what a clerk saves from the
reception screen — a visit with the concerns it brought, or concerns that came in without
a visit — including the open concerns the villagers join instead of registering anew.
All of it is written in one transaction, or none of it."""
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from huiying.core import clock
from huiying.core.errors import ServiceError
from huiying.network.models import Unit

from ..models import Channel, Concern, Visit
from .common import require_choice
from .intake import concern_register, visit_log
from .joining import concern_join


@dataclass
class Reception:
    visit: Visit | None
    registered: list[Concern] = field(default_factory=list)
    joined: list[Concern] = field(default_factory=list)


def _at(index: int, error: ServiceError) -> ServiceError:
    """The same refusal, naming which of the submitted concerns it is about."""
    return ServiceError(f"concerns.{index}.{error.field}", error.text, code=error.code)


@transaction.atomic
def reception_record(*, actor, unit: Unit, channel: str, concerns: list[dict] = (), visitor_count: int | None = None,
                     villagers=(), now: dt.datetime | None = None) -> Reception:
    """Save one reception. With `channel="visit"` a visit is logged (`visit_log`) and every
    new concern is registered with it; otherwise each is registered on its own with that
    channel (phone, online, suggestion box, hamlet point) and at least one is needed.

    Each item of `concerns` is either `concern_register`'s arguments, or `{"join": concern,
    "version": n, "villagers": [...]}` to add those villagers (and the visit) to an open
    concern. A refusal names the item by its position: "concerns.2.summary"."""
    now = now or clock.now()
    require_choice(channel, Channel, "channel")
    concerns = list(concerns or [])
    new = [(i, spec) for i, spec in enumerate(concerns) if "join" not in spec]
    joins = [(i, spec) for i, spec in enumerate(concerns) if "join" in spec]
    result = Reception(visit=None)
    if channel == Channel.VISIT:
        try:
            result.visit = visit_log(actor=actor, unit=unit, visitor_count=visitor_count, villagers=villagers,
                                     concerns=[spec for _i, spec in new], now=now)
        except ServiceError as e:
            if e.field.startswith("concerns."):
                _prefix, k, rest = e.field.split(".", 2)
                raise ServiceError(f"concerns.{new[int(k)][0]}.{rest}", e.text, code=e.code) from e
            raise
        result.registered = list(result.visit.concerns.order_by("id"))
    else:
        if not concerns:
            raise ServiceError("concerns", _("Without a visit, register at least one concern."), code="required")
        for i, spec in new:
            try:
                result.registered.append(concern_register(actor=actor, unit=unit, channel=channel, now=now, **spec))
            except ServiceError as e:
                raise _at(i, e) from e
    for i, spec in joins:
        try:
            result.joined.append(concern_join(actor=actor, concern=spec["join"], version=spec["version"],
                                              villagers=spec.get("villagers", ()), visit=result.visit, now=now))
        except ServiceError as e:
            raise _at(i, e) from e
    return result
