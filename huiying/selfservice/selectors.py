"""Reads of the villager's own channels: the public unit's hamlets, a concern by reference and
tracking code (its progress only), the suggestion inbox, the publicly answered suggestions."""
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns.models import Appointment, Concern, Outcome, State
from huiying.concerns.services.intake import RECEIVING_LEVELS
from huiying.concerns.workflow import HANDLERS, STATE_STEP, TRANSITIONS, Step, permits_state
from huiying.core import clock
from huiying.core.errors import NotFound
from huiying.network.models import ANCESTOR_FIELD, Hamlet, Level, Unit

from . import abuse, tracking
from .models import Submission, Suggestion


def _an_id(pk) -> bool:
    return str(pk).isdigit() and 0 < int(pk) < 2**63


def public_unit(pk) -> Unit:
    """A unit villagers reach by its public page: a hamlet point, village station, township
    center or the county HQ (departments receive nothing from villagers)."""
    unit = Unit.objects.filter(pk=pk, level__in=RECEIVING_LEVELS).first() if _an_id(pk) else None
    if unit is None:
        raise NotFound("unit", _("No such unit."))
    return unit


def hamlets_of(unit: Unit) -> QuerySet[Hamlet]:
    """The hamlets a unit serves: a point its own hamlet, a station its village's hamlets, a
    township or county every hamlet below it."""
    if unit.level == Level.HAMLET:
        qs = Hamlet.objects.filter(point=unit)
    else:
        qs = Hamlet.objects.filter(**{f"village__{ANCESTOR_FIELD[unit.level]}": unit})
    return qs.select_related("village").order_by("village_id", "id")


# --- tracking ------------------------------------------------------------------------

NOT_FOUND = _("No concern matches this reference number and tracking code. Please check both and try again.")


def concern_by_tracking(*, reference: str, code: str, request=None) -> Concern:
    """The concern whose reference and tracking code these are, else NotFound — the same
    answer for a wrong reference and a wrong code, so neither is confirmed. Wrong codes count
    against the reference (abuse scope "track-ref"), whoever tries them; with `request`, every
    lookup counts against the client (scope "track"). Both raise abuse.RateLimited over the limit."""
    if request is not None:
        abuse.hit(request, "track")
    reference = (reference or "").strip().upper()[:24]
    concern = Concern.objects.filter(reference=reference).select_related("handling_unit").first() if reference else None
    # Compare against a code even for an unknown reference, so both cost the same time.
    ok = tracking.matches(concern or Concern(pk=0, reference=reference), code) and concern is not None
    if not ok:
        if concern is not None:
            abuse.hit_key("track-ref", concern.reference)
        raise NotFound("code", NOT_FOUND)
    return concern


@dataclass
class StepView:
    code: str
    label: str
    status: str  # done / current / todo


@dataclass
class Progress:
    """What the tracking page shows of a concern: its progress, nothing about people."""

    concern: Concern
    steps: list[StepView]
    state_label: str
    received_at: object
    due_date: object
    handling_unit: str
    result: str  # "" while there is none, and for a confidential concern (told in person)
    outcome_label: str
    appointment: Appointment | None
    can_rate: bool
    rated: str  # the rating given to the current result, if any
    confidential: bool


def progress(concern: Concern) -> Progress:
    current = STATE_STEP[concern.state]
    order = Step.ORDER
    # Reception is done for every concern that reached the tracking page.
    at = order.index(current)
    steps = [StepView(s, str(Step.LABELS[s]), "done" if i < at or concern.state == State.CLOSED else "current" if i == at else "todo")
             for i, s in enumerate(order)]
    finished = concern.state in (State.SUPERVISION, State.POSTED, State.CLOSED)
    result = concern.result if finished and concern.outcome == Outcome.RESOLVED and not concern.confidential else ""
    appointment = concern.appointments.filter(date__gte=clock.today()).order_by("date").first()
    rating = concern.ratings.filter(round=concern.reopen_count).first()
    rate = TRANSITIONS["rate"]
    return Progress(
        concern=concern, steps=steps, state_label=str(State(concern.state).label), received_at=concern.received_at,
        due_date=concern.due_date, handling_unit=concern.handling_unit.name, result=result,
        outcome_label=str(Outcome(concern.outcome).label) if concern.outcome else "", appointment=appointment,
        # Confidential concerns get their feedback in person (涉密涉私问题专项反馈): rated there too.
        can_rate=rate.public and not concern.confidential and permits_state(rate, concern),
        rated=str(rating.get_rating_display()) if rating else "", confidential=concern.confidential,
    )


def contact_phones(concern: Concern) -> list[str]:
    """The phone numbers the villager left when submitting `concern` themselves (for staff to
    call back and for notifications to text); [] when none was left."""
    phone = Submission.objects.filter(concern=concern).values_list("phone", flat=True).first()
    return [phone] if phone else []


# --- suggestion box ------------------------------------------------------------------

_ID_RE = re.compile(r"\d{17}[\dXx]|\d{15}")
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?(?:1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}|0\d{2,3}[-\s]?\d{7,8})(?!\d)")
_LONG_DIGITS = re.compile(r"\d{7,}")


def scrub(text: str) -> str:
    """Free text made fit for a public board: ID card numbers and phone numbers (and any
    other run of 7+ digits) replaced by ＊＊＊."""
    text = _ID_RE.sub("＊＊＊", text or "")
    text = _PHONE_RE.sub("＊＊＊", text)
    return _LONG_DIGITS.sub("＊＊＊", text)


@dataclass
class PublicAnswer:
    text: str
    answer: str
    answered_on: object
    topic: str


def public_answers(unit: Unit, *, limit: int = 5) -> list[PublicAnswer]:
    """The suggestions `unit`'s staff answered publicly, newest first, scrubbed for the board."""
    rows = Suggestion.objects.filter(unit=unit, answer_public=True).exclude(answer="").order_by("-answered_at", "-id")[:limit]
    return [PublicAnswer(scrub(s.text), scrub(s.answer), s.answered_at.date() if s.answered_at else None, s.get_topic_display()) for s in rows]


def suggestion_by_receipt(code: str) -> Suggestion:
    from .services import receipt_hash

    s = Suggestion.objects.filter(receipt_hash=receipt_hash(code)).select_related("unit").first()
    if s is None:
        raise NotFound("receipt", _("No suggestion has this receipt code. Please check it and try again."))
    return s


def inbox_units(user) -> list[Unit]:
    """The units whose suggestion boxes `user` reads: the units they handle concerns at."""
    return [u for u in access.units_user_acts_in(user, roles=HANDLERS) if u.level in RECEIVING_LEVELS]


def inbox(user, unit: Unit) -> QuerySet[Suggestion]:
    access.check_unit_access(user, unit, roles=HANDLERS)
    return Suggestion.objects.filter(unit=unit).select_related("hamlet", "concern")


def suggestion_get(user, pk) -> Suggestion:
    """A suggestion of a box `user` may read; NotFound otherwise (whether or not it exists)."""
    s = Suggestion.objects.filter(pk=pk).select_related("unit", "hamlet", "concern").first() if _an_id(pk) else None
    if s is None or not any(s.unit.is_in_subtree_of(u) for u in access.units_user_acts_in(user, roles=HANDLERS)):
        if s is None or not (user.is_authenticated and user.is_superuser):
            raise NotFound("suggestion", _("No such suggestion."))
    return s
