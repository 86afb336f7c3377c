"""Demo cadres' visits: upcoming bookings at 城中镇's stations by the county HQ, a
department and the township, one visit done today with its outcome on each concern, one
cancelled. Through the services; no concern is added and no outcome changed."""
import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from huiying.concerns.models import Concern
from huiying.network.models import Level, Membership, Unit
from huiying.records.selectors import last_entry_at

from .services import cadre_visit_book, cadre_visit_cancel, cadre_visit_record_outcome


def _user(username):
    return get_user_model().objects.get(username=username)


def _open(unit: Unit, n: int) -> list[Concern]:
    """The oldest pending, not confidential concerns received at `unit` or below."""
    field = {Level.VILLAGE: "received_village", Level.HAMLET: "received_point"}[unit.level]
    return list(Concern.objects.filter(**{field: unit}, outcome="", confidential=False).order_by("received_at", "id")[:n])


def seed(*, county: Unit, today: dt.date) -> None:
    # Each step a few minutes after the last: after everything already in the book (so that
    # it stays in time order), and on the same day as the visit done "today".
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    last = last_entry_at(county.id)
    if last is not None and last >= start:
        start = last + dt.timedelta(minutes=1)
    today = timezone.localdate(start)
    steps = iter(range(100))

    def at():
        return start + dt.timedelta(minutes=next(steps))

    commander, liaison, center = _user("county_commander"), _user("dept_liaison"), _user("township_staff")
    village = Membership.objects.get(user=_user("village_clerk"), unit__level=Level.VILLAGE).unit
    point = Membership.objects.get(user=_user("hamlet_clerk")).unit
    township = village.parent
    neighbour = township.children.filter(level=Level.VILLAGE).exclude(pk=village.pk).order_by("id").first()
    concerns = _open(village, 3)

    cadre_visit_book(actor=commander, unit=village, date=today + dt.timedelta(days=3), title="副指挥长", now=at(),
                     purpose="到站听取群众意见，现场协调跨村纠纷", concerns=concerns[:2])
    cadre_visit_book(actor=liaison, unit=point, date=today + dt.timedelta(days=5), title="股长", now=at(),
                     purpose="低保、临时救助政策宣讲，现场受理申请", concerns=[])
    if neighbour is not None:
        cadre_visit_book(actor=center, unit=neighbour, date=today + dt.timedelta(days=2), title="副镇长", now=at(),
                         purpose="回访未办结事项", concerns=_open(neighbour, 2))
    cancelled = cadre_visit_book(actor=commander, unit=village, date=today + dt.timedelta(days=7), title="副指挥长", now=at(),
                                 purpose="调研回应站运行情况")
    cadre_visit_cancel(actor=commander, visit=cancelled, reason="县里召开专题会议，另行预约", now=at())
    # Done today: the outcome goes on each concern's timeline; the concerns stay as they are.
    done = cadre_visit_book(actor=commander, unit=village, date=today, title="副指挥长", now=at(),
                            purpose="现场办公，解决群众反映集中的问题", concerns=concerns[2:3])
    cadre_visit_record_outcome(actor=commander, visit=done, now=at(),
                               summary="现场听取村民意见，协调相关部门限期办理",
                               outcomes={c.pk: "已与村民当面沟通，明确责任单位和办理时限" for c in concerns[2:3]})
