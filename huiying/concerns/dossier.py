"""Everything known about one concern, for its page (案卷): the timeline read from the record
book, the track's own records, and the villagers as this person may see them.

Reads only. The caller has loaded the concern through `access.concern_get`, so the person
may see it; what they may *do* comes from `access.allowed_actions`.
"""
import datetime as dt

from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.core import clock
from huiying.network.models import Unit
from huiying.records.labels import DETAIL_LABELS, action_label
from huiying.records.models import RecordEntry

from .models import OPEN_STATES, AttachmentKind, Concern, FeedbackMethod, Outcome, Rating, State, Track

UNIT_KEYS = {"from_unit", "to_unit"}
USER_KEYS = {"handler", "to_handler"}
DATE_KEYS = {"due_date", "old_due", "new_due", "date", "signed_on"}
CHOICES = {"track": Track, "method": FeedbackMethod, "feedback_method": FeedbackMethod, "outcome": Outcome, "rating": Rating, "kind": AttachmentKind}


def _state_label(code: str) -> str:
    return State(code).label if code in State.values else code


def _value(key: str, value, units: dict, users: dict):
    if key in UNIT_KEYS:
        return units.get(value, value)
    if key in USER_KEYS:
        return users.get(value, value)
    # Dates as the rest of the page shows them (2026-03-25), whatever the language.
    if key in DATE_KEYS:
        parsed = parse_date(str(value))
        return parsed.isoformat() if parsed else value
    if key == "held_at":
        parsed = parse_datetime(str(value))
        return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M") if parsed else value
    if key in CHOICES:
        choices = CHOICES[key]
        return choices(value).label if value in choices.values else value
    if isinstance(value, list):  # ids (villagers): how many, not who — the header names them
        return len(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "by" and value == "villager":
        return _("The villager, online")
    if key == "size":
        return filesizeformat(value)
    if key == "sha256":
        return f"{value[:16]}…"
    return value


def timeline(concern: Concern, user) -> list[dict]:
    """The concern's record-book entries in the book's order, each with a readable label,
    the state change and the payload's useful details (names instead of ids). A concern
    this one was merged into is named only to someone who may see it."""
    entries = list(RecordEntry.objects.filter(concern=concern).order_by("seq"))
    merged = {e.payload["merged_into"] for e in entries if e.payload.get("merged_into")}
    hidden = merged - set(access.visible_concerns(user).filter(reference__in=merged).values_list("reference", flat=True))
    unit_ids = {e.payload.get(k) for e in entries for k in UNIT_KEYS} - {None}
    user_ids = {e.payload.get(k) for e in entries for k in USER_KEYS} - {None}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    users = {u.pk: u.get_full_name() or u.get_username() for u in get_user_model().objects.filter(pk__in=user_ids)}
    rows = []
    for e in entries:
        details = [
            (label, _value(key, e.payload[key], units, users))
            for key, label in DETAIL_LABELS.items()
            if e.payload.get(key) not in (None, "", []) and not (key == "merged_into" and e.payload[key] in hidden)
        ]
        rows.append({
            "entry": e,
            "label": action_label(e.action),
            "from_state": _state_label(e.from_state) if e.from_state else "",
            "to_state": _state_label(e.to_state) if e.to_state else "",
            "moved": bool(e.to_state) and e.from_state != e.to_state,
            "details": details,
        })
    return rows


def merged_into(concern: Concern, user) -> Concern | None:
    if concern.merged_into_id is None:
        return None
    return access.visible_concerns(user).filter(pk=concern.merged_into_id).first()


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a number, not to call it."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def may_see_phones(user, concern: Concern, actions) -> bool:
    """Villagers' phone numbers are for the people who handle the concern: whoever may act
    on it now, or has been one of its handlers. Supervisors and onlookers see them masked."""
    return bool(actions) or concern.handlers.filter(pk=user.pk).exists()


def villagers(concern: Concern, *, show_phones: bool) -> list[dict]:
    return [
        {"name": v.name, "hamlet": v.hamlet, "phone": v.phone if show_phones else mask_phone(v.phone)}
        for v in concern.villagers.select_related("hamlet").order_by("id")
    ]


def is_late(concern: Concern, today: dt.date | None = None) -> bool:
    return concern.overdue or (concern.state in OPEN_STATES and concern.due_date < (today or clock.today()))


def track_records(concern: Concern) -> dict:
    """The records each track keeps, for the track's own panel. Empty lists are not shown."""
    return {
        "sessions": list(concern.mediation_sessions.prefetch_related("attachments").select_related("recorded_by")),
        "authorization": getattr(concern, "authorization", None),  # reverse one-to-one: None if missing
        "documents": list(concern.documents.all()),
        "escalations": list(concern.escalations.select_related("from_unit", "to_unit", "by")),
        "appointments": list(concern.appointments.select_related("unit")),
        "transfers": list(concern.transfers.select_related("from_unit", "to_unit", "by")),
        "extensions": list(concern.extensions.select_related("by").order_by("at")),
        "ratings": list(concern.ratings.select_related("recorded_by")),
        "attachments": list(concern.attachments.select_related("uploaded_by")),
    }
