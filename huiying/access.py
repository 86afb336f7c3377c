"""Who may see and do what: the one place that knows the four levels, the confidential
rules and department dispatches. Every read that crosses the hierarchy goes through here;
nothing else loads a concern by id for a user.

Seeing:
- the county HQ's commanders and administrators see every concern of their county;
- staff of a unit see the concerns received in the unit's subtree, those it handles, and
  (for a department) those ever dispatched to it;
- supervisors see the finished concerns received in their unit's subtree;
- a confidential concern (涉密涉私) is seen only by its handlers and the county HQ — no one
  else, not in lists, counts or search.
A concern the user may not see is "not found", never "forbidden", so a refusal does not
confirm that it exists.
"""
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from huiying.concerns import workflow
from huiying.concerns.models import Concern, Escalation, State
from huiying.core.errors import Forbidden, NotFound
from huiying.network.models import STAFF_ROLES, Level, Membership, Role, Unit
from huiying.network.selectors import subtree_q

COUNTY_WIDE = {Role.COMMANDER, Role.ADMIN}


def memberships(user) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_huiying_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit"))
        user._huiying_memberships = cached
    return cached


def concern_visibility_q(user) -> Q:
    """A filter for Concern rows `user` may see. Empty (matches nothing) for strangers."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for m in memberships(user):
        unit = m.unit
        if m.role in COUNTY_WIDE:
            q |= Q(received_county=unit.county_id) | Q(handling_unit__county=unit.county_id)
            continue
        if m.role == Role.SUPERVISOR:
            seen = subtree_q(unit, "received_") & Q(state__in=workflow.FINISHED)
        else:
            seen = Q(handling_unit__in=Unit.objects.filter(subtree_q(unit)).values("id"))
            if unit.level == Level.DEPARTMENT:
                # Nothing is received at a department (concerns have no `received_department`):
                # it sees what it handles and what was ever dispatched to it.
                seen |= Q(pk__in=Escalation.objects.filter(to_unit=unit).values("concern_id"))
            else:
                seen |= subtree_q(unit, "received_")
        # Supervisors never see confidential concerns; staff only those they handle.
        if m.role == Role.SUPERVISOR:
            q |= seen & Q(confidential=False)
        else:
            q |= seen & (Q(confidential=False) | handled_by(user))
    return q


def handled_by(user) -> Q:
    # A subquery rather than a join, so a concern with several handlers is one row.
    return Q(pk__in=Concern.handlers.through.objects.filter(user_id=user.pk).values("concern_id"))


def visible_concerns(user) -> QuerySet[Concern]:
    return Concern.objects.filter(concern_visibility_q(user))


def concern_get(user, *, pk=None, reference=None) -> Concern:
    """The concern, if `user` may see it; NotFound otherwise (whether or not it exists)."""
    lookup = {"pk": pk} if pk is not None else {"reference": reference}
    concern = visible_concerns(user).filter(**lookup).first()
    if concern is None:
        raise NotFound("concern", _("No such concern."))
    return concern


def can_see_concern(user, concern: Concern) -> bool:
    return visible_concerns(user).filter(pk=concern.pk).exists()


def acting_membership(user, concern: Concern, t: workflow.Transition) -> Membership | None:
    """The membership under which `user` may take `t` on `concern`, if any (state aside)."""
    for m in memberships(user):
        if m.unit_id == concern.handling_unit_id and workflow.permits_role(t, role=m.role, level=m.unit.level):
            return m
    for m in memberships(user):
        if m.role == Role.COMMANDER and Role.COMMANDER in t.roles and m.unit.county_id == concern.received_county_id:
            return m
    if t.from_above:
        handling = concern.handling_unit
        for m in memberships(user):
            if m.unit_id != handling.id and handling.is_in_subtree_of(m.unit) and workflow.permits_role(t, role=m.role, level=m.unit.level):
                return m
    return None


def check_action(user, concern: Concern, action: str, *, seen: bool = False) -> Membership:
    """Raise unless `user` may take `action` on `concern` now. Returns the acting membership.

    `seen=True` when the caller has just checked that `user` sees `concern` (the query is
    the costliest part of a step, so a step runs it once)."""
    t = workflow.TRANSITIONS.get(action)
    if t is None:
        raise Forbidden("action", _("Unknown action %(action)s."), params={"action": action})
    if not seen and not can_see_concern(user, concern):
        raise NotFound("concern", _("No such concern."))
    m = acting_membership(user, concern, t)
    if m is None:
        raise Forbidden("action", _("You may not “%(action)s” on this concern."), params={"action": t.label})
    _check_state(t, concern)
    return m


def check_villager_action(concern: Concern, action: str) -> workflow.Transition:
    """Raise unless the villager may take `action` on `concern` themselves now. The caller has
    proved the villager's tie to this concern (the tracking page's reference and code); this
    checks the table: a public transition, the concern's state, track and conditions."""
    t = workflow.TRANSITIONS.get(action)
    if t is None or not t.public:
        raise Forbidden("action", _("You may not “%(action)s” on this concern."), params={"action": t.label if t else action})
    _check_state(t, concern)
    return t


def _check_state(t: workflow.Transition, concern: Concern) -> None:
    if concern.state not in t.sources:
        raise Forbidden(
            "action",
            _("“%(action)s” is not possible while the concern is “%(state)s”."),
            params={"action": t.label, "state": State(concern.state).label},
        )
    if t.tracks is not None and concern.track not in t.tracks:
        raise Forbidden("action", _("“%(action)s” does not apply to this concern's track."), params={"action": t.label})
    reason = t.failed_guard(concern)
    if reason is not None:
        raise Forbidden("action", reason)


def allowed_actions(user, concern: Concern) -> list[workflow.Transition]:
    """The transitions `user` may take on `concern` right now: what the UI shows as buttons."""
    if not can_see_concern(user, concern):
        return []
    return [
        t for t in workflow.TRANSITIONS.values()
        if workflow.permits_state(t, concern) and acting_membership(user, concern, t) is not None
    ]


def units_user_acts_in(user, *, roles=None) -> list[Unit]:
    return [m.unit for m in memberships(user) if roles is None or m.role in roles]


def check_unit_access(user, unit: Unit, *, field: str = "unit", roles=None) -> Membership:
    """Raise unless `user` is a member (with one of `roles`) of `unit` or of an ancestor."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    for m in memberships(user):
        if (roles is None or m.role in roles) and unit.is_in_subtree_of(m.unit):
            return m
    raise Forbidden(field, _("%(unit)s is outside your part of the network."), params={"unit": unit.name})


# --- units: profiles, staff phones, record books ---------------------------------------

def can_see_unit(user, unit: Unit) -> bool:
    """Unit profiles (address, hours, rules, staff, workflow chart) are open to everyone with a
    place in the same county's network, supervisors included: a clerk looks up the township
    center above them or the station next door. Another county's units are not found."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    return any(m.unit.county_id == unit.county_id for m in memberships(user))


def can_see_staff_phones(user, unit: Unit) -> bool:
    """Staff phone numbers are for colleagues: network staff and administrators of the county."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    roles = STAFF_ROLES | COUNTY_WIDE
    return any(m.role in roles and m.unit.county_id == unit.county_id for m in memberships(user))


def unit_get(user, pk) -> Unit:
    """The unit, if `user` may see its profile; NotFound otherwise (whether or not it exists)."""
    unit = Unit.objects.filter(pk=pk).select_related("parent").first()
    if unit is None or not can_see_unit(user, unit):
        raise NotFound("unit", _("No such unit."))
    return unit


def can_read_record_book(user, unit: Unit) -> bool:
    """A unit's record book is read by members of the unit or of a unit above it — staff,
    and supervisors of their own unit (PRODUCT §6). Entries of confidential concerns are
    filtered out by `records.selectors.record_book` for whoever may not see them."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    return any(unit.is_in_subtree_of(m.unit) for m in memberships(user))


def unit_roots(user) -> list[Unit]:
    """The top units of `user`'s part of the network: the units of their memberships (all
    counties for a superuser), without those inside another one."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return list(Unit.objects.filter(level=Level.COUNTY))
    units = {m.unit.id: m.unit for m in memberships(user)}.values()
    return [u for u in units if not any(o.id != u.id and u.is_in_subtree_of(o) for o in units)]


def unit_in_reach(user, unit: Unit) -> bool:
    """Is `unit` inside `user`'s part of the network (filters may narrow to it)?"""
    return any(unit.is_in_subtree_of(root) for root in unit_roots(user))
