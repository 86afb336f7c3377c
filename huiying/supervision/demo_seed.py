"""Demo content of supervision, for `huiying seed-demo`: the demo's supervisors get their
kinds, and the showcase village's supervisor (login `supervisor`) and the first township's
rate some finished results of 城中镇 — a few dissatisfied, so `township_staff` has one review
open and one closed as upheld. Nothing is sent back: that would change an outcome (and the
demo's tested figures). Deterministic for a given `today`; everything goes through the
services, with the clock frozen after the record book's last entry."""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from huiying.concerns.models import Concern, Outcome
from huiying.concerns import workflow
from huiying.core import clock
from huiying.network.models import Level, Membership, Role, Unit
from huiying.records.models import RecordEntry

from . import services
from .models import Decision, Kind, Review, Supervisor

# Kinds in the order the demo network lists its supervisors (showcase village, township,
# county, another township's village).
KINDS = [Kind.VILLAGE_COMMITTEE, Kind.PC_DEPUTY, Kind.PARTY_REP, Kind.FORMER_CADRE]
# Verdicts of the results rated, in order (most recently resolved first); 'dissatisfied'
# opens a review.
VERDICTS = ["satisfied", "dissatisfied", "satisfied", "basic", "satisfied", "dissatisfied", "satisfied", "basic", "satisfied", "satisfied"]
COMMENTS = {
    "satisfied": "现场核实，问题已解决，群众认可。",
    "basic": "基本解决，建议持续跟进。",
    "dissatisfied": "回访村民，反映问题仍未彻底解决，请乡镇复核。",
}


def seed(*, county: Unit, today: dt.date) -> None:
    # The record book is in time order: everything here happens after its last entry (the
    # history, and the extensions seeded before this one), a minute apart.
    last = RecordEntry.objects.filter(county=county).order_by("-seq").values_list("at", flat=True).first()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 5)))
    start = max(start, last + dt.timedelta(minutes=1)) if last else start
    commander = Membership.objects.filter(unit=county, role=Role.COMMANDER).order_by("id").first().user
    with clock.frozen(start), transaction.atomic():
        memberships = list(Membership.objects.filter(unit__county=county, role=Role.SUPERVISOR).select_related("user", "unit").order_by("id"))
        for i, m in enumerate(memberships):
            if not Supervisor.objects.filter(membership=m).exists():
                services.supervisor_register(actor=commander, unit=m.unit, username=m.user.username, full_name="", kind=KINDS[i % len(KINDS)])
        township = Unit.objects.filter(county=county, level=Level.TOWNSHIP).order_by("id").first()
        raters = [m for m in memberships if m.unit.township_id == township.id]
        rated = 0
        for m in raters:
            # The village supervisor rates ten of its village's results; the township's five of the rest.
            n = 10 if m.unit.level != Level.TOWNSHIP else 5
            field = {Level.VILLAGE: "received_village", Level.TOWNSHIP: "received_township", Level.HAMLET: "received_point"}[m.unit.level]
            concerns = (
                Concern.objects.filter(**{field: m.unit}, state__in=workflow.FINISHED, outcome=Outcome.RESOLVED, confidential=False, resolved_at__lt=start)
                .exclude(supervisor_ratings__isnull=False).order_by("-resolved_at", "-id")[:n]
            )
            for c in concerns:
                verdict = VERDICTS[rated % len(VERDICTS)]
                rated += 1
                services.supervision_rate(actor=m.user, concern=c, rating=verdict, comment=COMMENTS[verdict], now=start + dt.timedelta(minutes=rated))
        # One review closed as upheld by the township (or the county HQ where it reviews).
        review = Review.objects.filter(unit__county=county, closed_at__isnull=True).order_by("opened_at", "id").first()
        if review is not None:
            reviewer = Membership.objects.filter(unit=review.unit, role__in=services.REVIEWERS).order_by("id").first().user
            services.supervision_review_close(
                actor=reviewer, review=review, decision=Decision.UPHELD, reason="经乡镇复核，办理结果符合政策规定，维持原结果，并向监督员说明。",
                now=start + dt.timedelta(minutes=rated + 1),
            )
