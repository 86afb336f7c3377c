"""Reads of the work record book (一本工作记录) for a person.

A unit's book for a period holds the entries written at units of its subtree and the
entries about concerns received in it (a county commander acting on a village's concern
writes at the county, but the entry belongs in the village's book too).

An entry about a confidential concern (涉密涉私) is shown only to those who may see that
concern — its handlers and the county HQ (`access.visible_concerns`). A supervisor or a
clerk who is not a handler never finds one, not even as a row without details.
"""
import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huiying import access
from huiying.concerns.models import Escalation, State
from huiying.network.models import ANCESTOR_FIELD, Level, Unit

from .labels import DETAIL_LABELS, action_label
from .models import RecordEntry

# A book is printed a month or a year at a time; a wider period is cut to a year.
BOOK_MAX_DAYS = 366


def book_period(date_from: dt.date | None, date_to: dt.date | None, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period a record book covers: this month unless asked otherwise, at most a year."""
    from huiying.core import clock

    today = today or clock.today()
    end = date_to or max(today, date_from or today)
    start = date_from or end.replace(day=1)
    if end < start:
        start, end = end, start
    if (end - start).days > BOOK_MAX_DAYS:
        start = end - dt.timedelta(days=min(BOOK_MAX_DAYS, (end - dt.date.min).days))
    return start, end


def _subtree_entries_q(unit: Unit) -> Q:
    column = ANCESTOR_FIELD[Level(unit.level)]
    if unit.level == Level.DEPARTMENT:
        # Nothing is received at a department: its book is what it wrote, and what
        # happened to the concerns dispatched to it.
        dispatched = Escalation.objects.filter(to_unit=unit).values("concern_id")
        return Q(unit=unit) | Q(concern__in=dispatched)
    return Q(**{f"unit__{column}": unit.id}) | Q(**{f"concern__received_{column}": unit.id})


def confidential_filter_q(user) -> Q:
    """Entries `user` may read as far as confidential concerns go: those about no concern,
    about a concern that is not confidential, or about one the user may see."""
    seen = access.visible_concerns(user).filter(confidential=True).values("id")
    return Q(concern__isnull=True) | Q(concern__confidential=False) | Q(concern__in=seen)


def record_book(user, unit: Unit, *, date_from: dt.date, date_to: dt.date) -> QuerySet[RecordEntry]:
    """`unit`'s book from `date_from` to `date_to` (local dates, both included), in the
    order it was written. The caller checks `access.can_read_record_book` first."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tz)
    return (
        RecordEntry.objects.filter(_subtree_entries_q(unit), at__gte=start, at__lt=end)
        .filter(confidential_filter_q(user))
        .select_related("unit", "concern")
        .order_by("county_id", "seq")
    )


# Free text a person wrote, shown as written: the reason for an escalation or an extension,
# the result, the answer, a note.
TEXT_KEYS = ("reason", "result", "answer", "note", "cadre", "name", "comment")


def _state_label(code: str) -> str:
    return State(code).label if code in State.values else code


def readable_rows(entries: list[RecordEntry]) -> list[dict]:
    """What a reader of the book needs from each entry: words, not codes or ids. Names of
    the units and people a payload refers to are looked up in one query each."""
    unit_ids = {e.payload.get(k) for e in entries for k in ("from_unit", "to_unit")} - {None}
    user_ids = {e.payload.get(k) for e in entries for k in ("handler", "to_handler")} - {None}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    users = {u.pk: u.get_full_name() or u.get_username() for u in get_user_model().objects.filter(pk__in=user_ids)}
    rows = []
    for e in entries:
        p = e.payload or {}
        texts = []
        if p.get("to_unit"):
            texts.append(f"{units.get(p.get('from_unit'), '')} → {units.get(p['to_unit'], '')}".strip())
        for key in ("handler", "to_handler"):
            if p.get(key) in users:
                texts.append(_("%(label)s: %(value)s") % {"label": DETAIL_LABELS[key], "value": users[p[key]]})
        texts += [str(p[k]) for k in TEXT_KEYS if p.get(k)]
        rows.append({
            "entry": e,
            "label": action_label(e.action),
            "from_state": _state_label(e.from_state) if e.from_state else "",
            "to_state": _state_label(e.to_state) if e.to_state else "",
            # A change of state; a registration (nothing → registered) says so in its label.
            "moved": bool(e.from_state) and bool(e.to_state) and e.from_state != e.to_state,
            "reference": e.concern.reference if e.concern_id else p.get("reference", ""),
            "visitors": p.get("visitor_count") if e.action == "visit.log" else None,
            "texts": texts,
        })
    return rows


def last_entry_at(county_id: int) -> dt.datetime | None:
    """When `county_id`'s book was last written: demo content added after the history starts
    from here, so the book stays in time order."""
    return RecordEntry.objects.filter(county_id=county_id).order_by("-seq").values_list("at", flat=True).first()
