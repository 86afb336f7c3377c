"""Reads of the public notice board (公示牌). Everything here is public: it returns only the
anonymised snapshots (`PostedItem`), never a concern's own fields.

Confidential concerns are refused by the core's `post` transition and so never get a
snapshot; these selectors filter them out again all the same (defence in depth), and leave
out results sent back by an objection.
"""
import datetime as dt

from django.db.models import F, QuerySet

from huiying.core import clock
from huiying.network.models import Unit
from huiying.network.selectors import unit_subtree

from .models import Objection, PostedItem, PostingBatch


def _shown() -> QuerySet[PostedItem]:
    return (
        PostedItem.objects.filter(concern__confidential=False, objected_at__isnull=True)
        # Only a result still posted can be objected to (the core's `object` starts from
        # POSTED): one answered back to the villager since stays on the board, closed.
        .annotate(concern_state=F("concern__state"))
        .select_related("batch", "batch__unit")
        .order_by("-batch__period_start", "batch__unit_id", "batch_id", "id")
    )


def posted_items(unit: Unit, *, start: dt.date, end: dt.date) -> list[PostedItem]:
    """Items posted at `unit` or in its subtree whose posting period overlaps [start, end].

    The contract of the printed poster: each item has `reference, function_label,
    track_label, summary, result, hamlet_name, posted_on, objection_until` (and `unit_name`),
    all anonymised."""
    return list(
        _shown().filter(
            batch__unit__in=unit_subtree(unit).values("id"),
            batch__period_start__lte=end,
            batch__period_end__gte=start,
        )
    )


def current_items(unit: Unit, *, today: dt.date | None = None) -> list[PostedItem]:
    """What is on the board today: items whose posting period includes today."""
    today = today or clock.today()
    return posted_items(unit, start=today, end=today)


def archive_months(unit: Unit, *, today: dt.date | None = None) -> list[dt.date]:
    """First days of the months in which a posting period of `unit`'s subtree ended before
    today: the archive's index, newest first."""
    today = today or clock.today()
    ends = (
        PostingBatch.objects.filter(unit__in=unit_subtree(unit).values("id"), period_end__lt=today, items__concern__confidential=False)
        .values_list("period_end", flat=True).distinct()
    )
    return sorted({d.replace(day=1) for d in ends}, reverse=True)


def archived_items(unit: Unit, *, month: dt.date, today: dt.date | None = None) -> list[PostedItem]:
    """Items whose posting period ended in `month` (before today): the archive by period."""
    today = today or clock.today()
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return list(
        _shown().filter(
            batch__unit__in=unit_subtree(unit).values("id"),
            batch__period_end__gte=first, batch__period_end__lt=min(nxt, today),
        )
    )


def item_get(pk: int) -> PostedItem | None:
    """A posted item as the public may reach it (for an objection), or None."""
    return _shown().filter(pk=pk).first()


def objections_for_unit(unit: Unit) -> QuerySet[Objection]:
    """Objections to results posted in `unit`'s subtree — for its staff (the caller checks)."""
    return (
        Objection.objects.filter(item__batch__unit__in=unit_subtree(unit).values("id"))
        .select_related("item", "item__batch__unit", "concern")
    )


def objections_for_concern(concern) -> QuerySet[Objection]:
    return Objection.objects.filter(concern=concern).select_related("item__batch")


def public_unit(pk) -> Unit | None:
    """Any unit, of any county, by its public page (the page holds nothing private)."""
    return Unit.objects.filter(pk=pk).select_related("parent").first()


def on_duty_today(unit: Unit, *, today: dt.date | None = None) -> list[tuple[str, str]]:
    """(name, role label) of the staff on duty at `unit` today — never their phone numbers."""
    from huiying.network.models import Membership, Role
    from huiying.network.selectors import on_duty

    people = list(on_duty(unit=unit, day=today))
    roles = {}
    for m in Membership.objects.filter(unit=unit, user__in=people).order_by("role"):
        roles.setdefault(m.user_id, Role(m.role).label)
    return [(p.get_full_name() or p.get_username(), roles.get(p.id, "")) for p in people]


def post_candidates(unit: Unit) -> QuerySet:
    """Results `unit` may post: under supervision, handled by it, not confidential."""
    from huiying.concerns.models import Concern, State

    return Concern.objects.filter(handling_unit=unit, state=State.SUPERVISION, confidential=False).order_by("resolved_at", "id")
