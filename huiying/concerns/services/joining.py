"""Joining an open concern (集体关切): more villagers raise a matter already registered from
their hamlet. They are added to that concern instead of a duplicate being registered, so
the figures count the matter once and its handler answers everyone."""
import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.core import clock
from huiying.core.errors import Conflict, Forbidden, NotFound, ServiceError
from huiying.records import book

from .. import events
from ..models import OPEN_STATES, Concern, Villager, Visit
from ..workflow import HANDLERS


def _acting_unit_id(actor, concern: Concern) -> int:
    """The unit `actor` acts for: staff of the handling unit (or above it), else of the
    receiving unit (or above it) — a hamlet point still joins villagers to a concern it
    sent up. Raises Forbidden otherwise."""
    for unit in (concern.handling_unit, concern.received_unit):
        try:
            m = access.check_unit_access(actor, unit, field="concern", roles=HANDLERS)
        except Forbidden:
            continue
        return m.unit_id if m is not None else unit.id
    raise Forbidden("concern", _("Only staff of the unit handling or receiving this concern may add villagers to it."))


@transaction.atomic
def concern_join(*, actor, concern: Concern, version: int, villagers, visit: Visit | None = None,
                 now: dt.datetime | None = None, group: uuid.UUID | None = None) -> Concern:
    """Add `villagers` (and, when they came in person, their `visit`) to an open concern."""
    now = now or clock.now()
    pk = concern.pk if isinstance(concern, Concern) else None
    # Lock the bare row, then check visibility on its own (see steps._Step for why).
    c = Concern.objects.select_for_update().select_related("handling_unit", "received_unit").filter(pk=pk).first() if pk else None
    if c is None or not access.can_see_concern(actor, c):
        raise NotFound("concern", _("No such concern."))
    if not isinstance(version, int) or isinstance(version, bool):
        raise ServiceError("version", _("The concern's version is required."), code="required")
    if c.version != version:
        raise Conflict(c.version)
    unit_id = _acting_unit_id(actor, c)
    if c.outcome or c.state not in OPEN_STATES:
        raise ServiceError("concern", _("Only an open concern can be joined; register a new one instead."), code="closed")
    villagers = list(villagers or [])
    for v in villagers:
        if not isinstance(v, Villager) or v.hamlet.village.county_id != c.received_county_id:
            raise ServiceError("villagers", _("Each villager must be registered in this county."))
    if visit is not None:
        if not isinstance(visit, Visit) or visit.county_id != c.received_county_id:
            raise ServiceError("visit", _("The visit was received in another county."))
        access.check_unit_access(actor, visit.unit, field="visit", roles=HANDLERS)
    if not villagers and visit is None:
        raise ServiceError("villagers", _("Name at least one villager who joins this concern."), code="required")
    already = set(c.villagers.values_list("pk", flat=True))
    added = [v for v in villagers if v.pk not in already]
    n = Concern.objects.filter(pk=c.pk, version=version).update(version=version + 1)
    if n != 1:
        raise Conflict(Concern.objects.values_list("version", flat=True).get(pk=c.pk))
    c.villagers.add(*added)
    c.refresh_from_db()
    # Villagers by id only: the record book is shown to supervisors.
    book.append(
        county_id=c.received_county_id, action="concern.join", actor=actor, unit_id=unit_id, concern=c, visit=visit,
        from_state=c.state, to_state=c.state, at=now, group=group or uuid.uuid4(),
        payload={"reference": c.reference, "villagers": [v.pk for v in added], "visit": visit.pk if visit else None},
    )
    # The handler hears that more people wait for the answer.
    events.emit(c, "join", from_state=c.state, to_state=c.state)
    return c
