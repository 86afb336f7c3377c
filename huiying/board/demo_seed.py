"""Demo content of the public notice board: the year's postings taken onto the board (the
older ones in its archive), new batches at several units posted today, and one villager's
objection. Through the board's services; no concern added.

The objection reopens its concern (outcome cleared); its handler then records the reworked
result, so every outcome is what the core demo made and the seed's figures stay exact."""
import datetime as dt

from django.utils import timezone

from huiying.concerns.models import Concern, State
from huiying.concerns.services import concern_resolve
from huiying.concerns.workflow import LOCAL
from huiying.network.models import Membership, Role, Unit
from huiying.records.models import RecordEntry

from .services import board_backfill, board_batch_post, board_object

BATCH_UNITS = 4
DEMO_LOGIN_UNIT_OF = "village_clerk"


def _start(today: dt.date) -> dt.datetime:
    """Late on `today`, and after every entry already in the book, so the book stays in time
    order (the board's entries are appended after the demo's year of history)."""
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(17, 0)))
    last = RecordEntry.objects.order_by("-seq").values_list("at", flat=True).first()
    return max(start, last + dt.timedelta(minutes=1)) if last else start


def _poster(unit: Unit):
    m = Membership.objects.filter(unit=unit, role__in=LOCAL).order_by("user_id").select_related("user").first()
    if m is None:
        m = Membership.objects.filter(unit=unit.county, role=Role.COMMANDER).order_by("user_id").select_related("user").first()
    return m.user


def seed(*, county: Unit, today: dt.date) -> None:
    start = _start(today)
    board_backfill(county=county, now=start)
    waiting: dict[int, list[Concern]] = {}
    for c in Concern.objects.filter(received_county=county, state=State.SUPERVISION, confidential=False).order_by("resolved_at", "id"):
        waiting.setdefault(c.handling_unit_id, []).append(c)
    login_unit = Membership.objects.filter(user__username=DEMO_LOGIN_UNIT_OF).values_list("unit_id", flat=True).first()
    # The demo clerk's station first (so they see their own batch), then the busiest units.
    order = sorted(waiting, key=lambda u: (u != login_unit, -len(waiting[u]), u))[:BATCH_UNITS]
    batches = []
    posting = start + dt.timedelta(minutes=10)
    day = timezone.localdate(posting)
    for unit_id in order:
        unit = Unit.objects.get(pk=unit_id)
        concerns = waiting[unit_id]
        if unit_id == login_unit and len(concerns) > 1:
            concerns = concerns[:-1]  # one left for the demo clerk to post themselves
        batches.append(board_batch_post(
            actor=_poster(unit), unit=unit, concerns=concerns, period_start=day, period_end=day + dt.timedelta(days=7),
            objection_until=day + dt.timedelta(days=5), now=posting,
        ))
    if not batches:
        return
    # On the biggest batch that is not the demo clerk's, so their board keeps its result.
    target = max(batches, key=lambda b: (b.unit_id != login_unit, b.items.count(), -b.id))
    item = target.items.order_by("id").last()
    board_object(item=item, reason="公示的结果与实际情况不符，问题还没有解决，请再来看看。", now=start + dt.timedelta(minutes=20))
    c = Concern.objects.get(pk=item.concern_id)
    concern_resolve(actor=c.handler or _poster(c.handling_unit), concern=c, version=c.version,
                    result=f"{c.result}（收到公示异议后复查，已重新处理。）", now=start + dt.timedelta(minutes=40))
