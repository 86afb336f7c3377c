"""Writes of supervision: registering supervisors, their ratings, the township's review.

Rules (decided here, documented in docs/supervision.md):
- township center staff register supervisors for their township and the units below it; the
  county's commanders and administrators anywhere in the county. Network staff cannot be
  supervisors (they would rate their own work);
- a supervisor rates a finished (under supervision, posted or closed) and *resolved* concern
  received in their unit's subtree — a concern closed without resolution has no result to
  rate (the core's rule for villagers too) — once per result (`Concern.reopen_count`);
- a dissatisfied rating opens a review by the township of the receiving unit, if the concern
  was received below the township and is still handled inside it; otherwise (received at the
  township or the county, or now handled by the county or a department) by the county HQ,
  since a unit does not review its own result and only the county is above a township;
- the review is closed by that unit's center staff or a county commander: upheld with a
  reason, or sent back for rework through the core's `concern_reopen`.
"""
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns import services as concern_services
from huiying.concerns import workflow
from huiying.concerns.models import Concern, Outcome, Rating
from huiying.concerns.services.common import require_choice, require_text
from huiying.core import clock
from huiying.core.errors import Forbidden, NotFound, ServiceError
from huiying.network import services as network_services
from huiying.network.models import ANCESTOR_FIELD, ROLE_LEVELS, STAFF_ROLES, Level, Membership, Role, Unit
from huiying.records import book

from .models import Decision, Kind, Review, Supervisor, SupervisorRating

REGISTRARS = {Role.CENTER_STAFF, Role.COMMANDER, Role.ADMIN}
REVIEWERS = {Role.CENTER_STAFF, Role.COMMANDER}


def can_register_at(user, unit: Unit) -> bool:
    try:
        access.check_unit_access(user, unit, roles=REGISTRARS)
    except ServiceError:
        return False
    return True


@transaction.atomic
def supervisor_register(*, actor, unit: Unit, username: str, full_name: str, kind: str, phone: str = "", password: str | None = None) -> Supervisor:
    """Register a supervisor (监督员) at `unit`: a new account, or an existing person who is
    not network staff. Their kind is one of `Kind`."""
    if not isinstance(unit, Unit):
        raise ServiceError("unit", _("Choose a unit."), code="required")
    access.check_unit_access(actor, unit, roles=REGISTRARS)
    if unit.level not in ROLE_LEVELS[Role.SUPERVISOR]:
        raise ServiceError("unit", _("Supervisors serve at a county, township, village or hamlet point, not at a department."))
    require_choice(kind, Kind, "kind")
    username = require_text(username, "username", max_length=150)
    phone = (phone or "").strip()
    if len(phone) > 30:
        raise ServiceError("phone", _("At most %(n)s characters."), params={"n": 30})
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        full_name = require_text(full_name, "full_name", max_length=150)
        user = network_services.staff_create(username=username, full_name=full_name, unit=unit, role=Role.SUPERVISOR, phone=phone, password=password)
        membership = Membership.objects.get(user=user, unit=unit, role=Role.SUPERVISOR)
    else:
        if Membership.objects.filter(user=user, role__in=STAFF_ROLES).exists():
            raise ServiceError("username", _("%(username)s is network staff; staff cannot supervise their own work."), params={"username": username})
        membership = Membership.objects.filter(user=user, unit=unit, role=Role.SUPERVISOR).first()
        if membership is not None and Supervisor.objects.filter(membership=membership).exists():
            raise ServiceError("username", _("%(username)s is already a supervisor of %(unit)s."), params={"username": username, "unit": unit.name})
        if membership is None:
            membership = network_services.membership_add(user=user, unit=unit, role=Role.SUPERVISOR, phone=phone)
    now = clock.now()
    supervisor = Supervisor.objects.create(membership=membership, kind=kind, registered_at=now, registered_by=actor)
    book.append(
        county_id=unit.county_id, action="supervision.register", actor=actor, unit_id=unit.id, at=now,
        payload={"supervisor": user.get_full_name() or user.get_username(), "kind": kind},
    )
    return supervisor


def supervisor_membership(user, concern: Concern) -> Membership | None:
    """The supervisor membership under which `user` may rate `concern`, if any."""
    for m in access.memberships(user):
        if m.role == Role.SUPERVISOR and getattr(concern, "received_" + ANCESTOR_FIELD[Level(m.unit.level)] + "_id") == m.unit_id:
            return m
    return None


def review_unit_for(concern: Concern) -> Unit:
    """Who reviews a supervisor's dissatisfied rating of `concern` (see the module docstring)."""
    if concern.received_village_id is not None and concern.received_township_id is not None:
        township = Unit.objects.get(pk=concern.received_township_id)
        if concern.handling_unit.is_in_subtree_of(township):
            return township
    return Unit.objects.get(pk=concern.received_county_id)


@transaction.atomic
def supervision_rate(*, actor, concern: Concern, rating: str, comment: str, now=None) -> SupervisorRating:
    """A supervisor's rating of a finished concern's result, with a comment. Dissatisfied
    sends the result to review (复核) by the township; the concern itself does not change."""
    now = now or clock.now()
    c = Concern.objects.select_for_update().filter(pk=getattr(concern, "pk", None)).first()
    if c is None or not access.can_see_concern(actor, c):
        raise NotFound("concern", _("No such concern."))
    m = supervisor_membership(actor, c)
    if m is None:
        raise Forbidden("concern", _("Only a supervisor of the unit that received a concern rates it."))
    if c.state not in workflow.FINISHED:
        raise ServiceError("concern", _("Only a finished concern is rated."))
    if c.outcome != Outcome.RESOLVED:
        raise ServiceError("concern", _("Only a resolved result is rated; this concern was closed without one."))
    require_choice(rating, Rating, "rating")
    comment = require_text(comment, "comment", max_length=2000)
    if SupervisorRating.objects.filter(concern=c, rater=actor, round=c.reopen_count).exists():
        raise ServiceError("concern", _("You have already rated this result."))
    r = SupervisorRating.objects.create(concern=c, rater=actor, unit=m.unit, rating=rating, comment=comment, at=now, round=c.reopen_count)
    group = uuid.uuid4()
    book.append(
        county_id=c.received_county_id, action="supervision.rate", actor=actor, unit_id=m.unit_id, concern=c,
        from_state=c.state, to_state=c.state, at=now, group=group,
        payload={"reference": c.reference, "rating": rating, "comment": comment, "round": c.reopen_count},
    )
    if rating == Rating.DISSATISFIED and not Review.objects.filter(concern=c, round=c.reopen_count).exists():
        unit = review_unit_for(c)
        Review.objects.create(concern=c, round=c.reopen_count, rating=r, unit=unit, opened_at=now)
        book.append(
            county_id=c.received_county_id, action="supervision.review_open", actor=actor, unit_id=unit.id, concern=c,
            from_state=c.state, to_state=c.state, at=now, group=group,
            payload={"reference": c.reference, "review_unit": unit.name},
        )
    return r


def can_review(user, review: Review) -> bool:
    return any(m.role in REVIEWERS and review.unit.is_in_subtree_of(m.unit) for m in access.memberships(user))


@transaction.atomic
def supervision_review_close(*, actor, review: Review, decision: str, reason: str, now=None) -> Review:
    """Close a review: the result is upheld (with the reason), or sent back for rework —
    the concern goes back to on-site work through the core's `concern_reopen`."""
    now = now or clock.now()
    rv = Review.objects.select_for_update().filter(pk=getattr(review, "pk", None)).select_related("unit").first()
    if rv is None or not access.can_see_concern(actor, rv.concern):
        raise NotFound("review", _("No such review."))
    if not can_review(actor, rv):
        raise Forbidden("review", _("Only %(unit)s or the county HQ closes this review."), params={"unit": rv.unit.name})
    if rv.closed_at is not None:
        raise ServiceError("review", _("This review is already closed."))
    require_choice(decision, Decision, "decision")
    reason = require_text(reason, "reason", max_length=2000)
    c = Concern.objects.select_for_update().get(pk=rv.concern_id)
    group = uuid.uuid4()
    if decision == Decision.REWORK:
        if c.reopen_count != rv.round or c.state not in workflow.FINISHED:
            raise ServiceError("decision", _("This result has already been sent back; close the review as upheld."))
        c = concern_services.concern_reopen(actor=actor, concern=c, version=c.version, reason=reason, now=now, group=group)
    Review.objects.filter(pk=rv.pk).update(closed_at=now, closed_by=actor, decision=decision, reason=reason)
    book.append(
        county_id=c.received_county_id, action="supervision.review_close", actor=actor, unit_id=rv.unit_id, concern=c,
        from_state=c.state, to_state=c.state, at=now, group=group,
        payload={"reference": c.reference, "decision": decision, "upheld": decision == Decision.UPHELD, "reason": reason},
    )
    rv.refresh_from_db()
    return rv
