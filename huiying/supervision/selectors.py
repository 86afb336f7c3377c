"""Reads of supervision: what a supervisor may rate and has rated, the reviews a township
(or the county HQ) has to close, a unit's supervisors. Concerns come through
`huiying.access`, so a supervisor never sees a confidential concern nor another unit's."""
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns import workflow
from huiying.concerns.models import Concern, Outcome
from huiying.core.errors import NotFound
from huiying.network.models import Membership, Role, Unit
from huiying.network.selectors import subtree_q

from .models import Review, SupervisorRating
from .services import REVIEWERS


def supervisor_units(user) -> list[Unit]:
    return access.units_user_acts_in(user, roles={Role.SUPERVISOR})


def finished_concerns(user) -> QuerySet[Concern]:
    """The finished concerns of the supervisor's units (non-confidential: `access` says so)."""
    units = supervisor_units(user)
    if not units:
        return Concern.objects.none()
    q = Q(pk__in=[])
    for unit in units:
        q |= subtree_q(unit, "received_")
    return access.visible_concerns(user).filter(q, state__in=workflow.FINISHED).select_related("handling_unit")


def results_to_rate(user) -> QuerySet[Concern]:
    """Resolved results of the supervisor's units they have not rated yet (this round)."""
    rated = SupervisorRating.objects.filter(concern=OuterRef("pk"), rater=user, round=OuterRef("reopen_count"))
    return finished_concerns(user).filter(outcome=Outcome.RESOLVED).exclude(Exists(rated)).order_by("-resolved_at", "-id")


def my_ratings(user) -> QuerySet[SupervisorRating]:
    # Through `access` too: a concern that became confidential (or moved out of reach) drops out.
    return SupervisorRating.objects.filter(rater=user, concern__in=access.visible_concerns(user).values("id")).select_related("concern").order_by("-at")


def reviewing_units(user) -> list[Unit]:
    return access.units_user_acts_in(user, roles=REVIEWERS)


def reviews(user, *, open: bool | None = True) -> QuerySet[Review]:
    """Reviews of the units `user` reviews for (a commander: the whole county)."""
    units = reviewing_units(user)
    if not units:
        return Review.objects.none()
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(unit__in=Unit.objects.filter(subtree_q(unit)).values("id"))
    qs = Review.objects.filter(q, concern__in=access.visible_concerns(user).values("id"))
    if open is not None:
        qs = qs.filter(closed_at__isnull=open)
    return qs.select_related("concern", "concern__handling_unit", "rating", "rating__rater", "rating__unit", "unit", "closed_by").order_by(
        "opened_at" if open else "-closed_at", "id"
    )


def review_get(user, pk) -> Review:
    review = reviews(user, open=None).filter(pk=pk).first()
    if review is None:
        raise NotFound("review", _("No such review."))
    return review


def unit_supervisors(unit: Unit) -> list[Membership]:
    return list(
        Membership.objects.filter(unit=unit, role=Role.SUPERVISOR).select_related("user", "supervisor").order_by("user__first_name", "user__username")
    )


def home_panels(user) -> dict:
    """The home page's supervision panels: a supervisor's results to rate and ratings; a
    reviewing unit's open reviews."""
    panels = {"is_supervisor": bool(supervisor_units(user)), "is_reviewer": bool(reviewing_units(user))}
    if panels["is_supervisor"]:
        to_rate = results_to_rate(user)
        panels["to_rate"] = list(to_rate[:10])
        panels["to_rate_count"] = to_rate.count()
        panels["my_ratings"] = list(my_ratings(user)[:10])
    if panels["is_reviewer"]:
        open_reviews = reviews(user)
        panels["reviews"] = list(open_reviews[:10])
        panels["reviews_count"] = open_reviews.count()
    return panels
