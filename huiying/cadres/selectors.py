"""Reads of cadres' visits (预约下站).

Staff see the visits of their part of the network (`visible_visits`); the concerns a visit
serves are shown to each reader through `access.visible_concerns`, and its purpose only to
a reader who sees all of them (a purpose may name the people of a confidential concern).
Villagers and the public get `upcoming_for_unit` / `upcoming_for_concern`: the date, the
station and the cadre's unit and title — never the purpose, the cadre's phone, nor any visit
that serves a confidential concern.
"""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns.models import Concern
from huiying.core import clock
from huiying.core.errors import Forbidden, NotFound
from huiying.network.models import Level, Membership, Role, Unit
from huiying.network.selectors import subtree_q

from .models import CadreVisit, VisitStatus

# Who goes down (下站): the county HQ's commanders and administrators and the departments'
# liaisons, anywhere in their county; a township center's staff, to the stations and points
# of their own township (the township's cadres going down to its villages).
COUNTY_CADRES = {Role.COMMANDER, Role.ADMIN, Role.LIAISON}
TOWNSHIP_CADRES = {Role.CENTER_STAFF}
STATION_LEVELS = {Level.TOWNSHIP, Level.VILLAGE, Level.HAMLET}
# Who sees the staff lists: the county-wide roles everywhere, station and center staff in their subtree.
LOCAL_READERS = {Role.CLERK, Role.CENTER_STAFF}


def booking_membership(user, unit: Unit) -> Membership:
    """The membership under which `user` books a visit to `unit`; raises otherwise.
    Another county's unit is "not found"; one of this county outside the cadre's reach is refused."""
    if not isinstance(unit, Unit) or not access.can_see_unit(user, unit):
        raise NotFound("unit", _("No such unit."))
    if unit.level not in STATION_LEVELS:
        raise Forbidden("unit", _("Visits are booked at a township center, a village station or a hamlet point."))
    mine = access.memberships(user)
    for m in sorted(mine, key=lambda m: m.role not in COUNTY_CADRES):
        if m.role in COUNTY_CADRES and m.unit.county_id == unit.county_id:
            return m
        if m.role in TOWNSHIP_CADRES and unit.level != Level.TOWNSHIP and unit.is_in_subtree_of(m.unit):
            return m
    raise Forbidden("unit", _("%(unit)s is outside your part of the network."), params={"unit": unit.name})


def may_book(user, unit: Unit) -> bool:
    try:
        booking_membership(user, unit)
    except (NotFound, Forbidden):
        return False
    return True


def may_manage(user, visit: CadreVisit) -> bool:
    """Cancel it or record its outcome: the cadre, whoever booked it, the county HQ."""
    if user is None or not user.is_authenticated:
        return False
    if user.pk in (visit.cadre_id, visit.booked_by_id) or user.is_superuser:
        return True
    return any(m.role in (Role.COMMANDER, Role.ADMIN) and m.unit.county_id == visit.county_id for m in access.memberships(user))


def visibility_q(user) -> Q:
    if user is not None and user.is_authenticated and user.is_superuser:
        return Q()
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(cadre=user) | Q(booked_by=user)
    for m in access.memberships(user):
        if m.role in COUNTY_CADRES:
            q |= Q(county=m.unit.county_id)
        elif m.role in LOCAL_READERS:
            q |= subtree_q(m.unit)
    return q


def visible_visits(user) -> QuerySet[CadreVisit]:
    return CadreVisit.objects.filter(visibility_q(user)).select_related("unit", "cadre", "cadre_unit")


def visit_get(user, pk) -> CadreVisit:
    visit = visible_visits(user).filter(pk=pk).first() if isinstance(pk, int) and 0 < pk < 2**63 else None
    if visit is None:
        raise NotFound("visit", _("No such visit."))
    return visit


def unit_visits(user, unit: Unit, *, upcoming: bool | None = None, today: dt.date | None = None) -> QuerySet[CadreVisit]:
    """Visits at `unit` and below that `user` may see; `upcoming`: booked, today or later."""
    qs = visible_visits(user).filter(subtree_q(unit)) if unit.level != Level.DEPARTMENT else visible_visits(user).filter(cadre_unit=unit)
    if upcoming:
        qs = qs.filter(status=VisitStatus.BOOKED, date__gte=today or clock.today())
    return qs


def upcoming_for_units(user, units: list[Unit], *, today: dt.date | None = None, limit: int = 10) -> list[CadreVisit]:
    """The staff home page's panel: booked visits ahead in the subtrees of `units`."""
    if not units:
        return []
    q = Q(pk__in=[])
    for u in units:
        q |= subtree_q(u) if u.level != Level.DEPARTMENT else Q(cadre_unit=u)
    qs = visible_visits(user).filter(q, status=VisitStatus.BOOKED, date__gte=today or clock.today())
    return list(qs.order_by("date", "id")[:limit])


def served(user, visit: CadreVisit) -> list[dict]:
    """The concerns `visit` serves that `user` may see, with what the visit did about each."""
    seen = set(access.visible_concerns(user).filter(cadre_visits=visit).values_list("pk", flat=True))
    return [{"concern": vc.concern, "outcome": vc.outcome} for vc in visit.served.select_related("concern") if vc.concern_id in seen]


def readable(user, visits) -> list[dict]:
    """Each visit as `user` may read it: the concerns they see, the purpose if shown, and
    whether they may still cancel it or record its outcome (lists and panels use this)."""
    return [
        {"visit": v, "served": served(user, v), "purpose": purpose_shown(user, v),
         "manage": v.status == VisitStatus.BOOKED and may_manage(user, v)}
        for v in visits
    ]


def purpose_shown(user, visit: CadreVisit) -> str | None:
    """The purpose, if `user` sees every concern the visit serves; None otherwise."""
    ids = set(visit.served.values_list("concern_id", flat=True))
    if ids and access.visible_concerns(user).filter(pk__in=ids).count() != len(ids):
        return None
    return visit.purpose


def may_see_list(user, unit: Unit) -> bool:
    """The staff list of a unit's visits: staff of the county's network (supervisors and the
    public have the public view)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    return access.can_see_unit(user, unit) and any(m.role in COUNTY_CADRES | LOCAL_READERS for m in access.memberships(user))


# --- what villagers and the public see ------------------------------------------------------

@dataclass(frozen=True)
class PublicVisit:
    """An upcoming visit as a villager may read it: when, where, who (by post, not by name)."""

    date: dt.date
    unit: str  # the station visited
    cadre_unit: str  # 县指挥部, 县民政局, 城中镇回应中心, …
    cadre_title: str  # 副局长; empty when none was given


def _public(qs) -> list[PublicVisit]:
    qs = qs.filter(status=VisitStatus.BOOKED).exclude(served__concern__confidential=True).select_related("unit", "cadre_unit")
    return [PublicVisit(v.date, v.unit.name, v.cadre_unit.name, v.cadre_title) for v in qs.order_by("date", "id").distinct()]


def upcoming_for_unit(unit: Unit, *, today: dt.date | None = None) -> list[PublicVisit]:
    """Booked visits to `unit` and the units below it, today or later, for the public unit
    page. A visit serving a confidential concern is left out altogether."""
    return _public(CadreVisit.objects.filter(subtree_q(unit), date__gte=today or clock.today()))


def upcoming_for_concern(concern: Concern, *, today: dt.date | None = None) -> list[PublicVisit]:
    """Booked visits, today or later, that come for `concern`, for the villager's tracking
    page. Nothing for a confidential concern (its feedback is given in person)."""
    if concern.confidential:
        return []
    return _public(CadreVisit.objects.filter(served__concern=concern, date__gte=today or clock.today()))
