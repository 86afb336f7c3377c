"""Demo content for cascaded training: two tasks from the county HQ, cascaded through the
services down to villages and a hamlet point of 城中镇 (and a little of 明江镇), with partial
attendance and completion, so the tree has done / in-progress / not-started units.

The record book is in time order and the year's history ends before `today`, so the whole
cascade happens on `today` (from 08:00, or just after the book's last entry if a part seeded
before this one wrote later): a task cannot be set with a due date in the past, so the demo
shows no overdue training (the tests do). Deterministic for a given `today`; adds no concerns."""
import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from huiying.network.models import STAFF_ROLES, Level, Membership, Role, Unit
from huiying.records.models import RecordEntry

from . import services as ts


class Ticker:
    """Times for the day's steps, strictly after one another and after the book's last entry."""

    def __init__(self, county: Unit, today: dt.date):
        start = timezone.make_aware(dt.datetime.combine(today, dt.time(8, 0)))
        last = RecordEntry.objects.filter(county=county).aggregate(at=Max("at"))["at"]
        self.at = max(start, last + dt.timedelta(minutes=1)) if last else start

    def next(self, minutes: int = 7) -> dt.datetime:
        self.at += dt.timedelta(minutes=minutes)
        return self.at

    @property
    def day(self) -> dt.date:
        return timezone.localdate(self.at)


def _staff(unit: Unit) -> list:
    return [m.user for m in Membership.objects.filter(unit=unit, role__in=STAFF_ROLES).select_related("user").order_by("id")]


def _session(assignment, clock: Ticker, *, attendees: int, complete: bool):
    people = _staff(assignment.unit)
    if not people:
        return
    ts.training_record_attendance(actor=people[0], assignment=assignment, attendees=people[:attendees], day=clock.day, now=clock.next(40))
    if complete:
        ts.training_complete(actor=people[0], assignment=assignment, note="已按要求组织学习", now=clock.next(30))


@transaction.atomic
def seed(*, county: Unit, today: dt.date) -> None:
    clock = Ticker(county, today)
    commander = Membership.objects.filter(unit=county, role=Role.COMMANDER).select_related("user").order_by("id").first().user
    townships = list(Unit.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("id"))
    chengzhong = next(t for t in townships if t.name.startswith("城中镇"))
    mingjiang = next((t for t in townships if t.name.startswith("明江镇")), None)

    # 1. Due in ten days: well under way in 城中镇.
    task = ts.training_task_create(
        actor=commander, title="村民关切回应站工作规范培训", due_date=clock.day + dt.timedelta(days=10), now=clock.next(0),
        description="各乡镇组织回应中心、村级回应站、屯级回应点全体工作人员学习“七步工作流向”和“六类分类处置”，并逐级下发。",
        material="一、热情接待：首问负责，登记来访群众。\n二、受理登记：一事一登记，当场告知办理时限。\n"
                 "三、分析处置：按六类分类处置，超出权限的预约下访。\n四、现场办公、接受监督、结果公示、反馈回应。",
        link="https://www.gov.cn/",
    )
    by_unit = {a.unit_id: a for a in ts.training_assign(actor=commander, task=task, now=clock.next())}
    cz = by_unit[chengzhong.id]
    cz_staff = _staff(chengzhong)
    villages = ts.training_pass_down(actor=cz_staff[0], assignment=cz, now=clock.next(20))
    _session(cz, clock, attendees=2, complete=True)
    # The first villages: done (and passed on to its hamlet point), in progress, done, in
    # progress; the other villages of 城中镇 not started.
    for (attendees, complete), v in zip([(4, True), (3, False), (5, True), (2, False)], villages):
        _session(v, clock, attendees=attendees, complete=complete)
    first = villages[0]
    if Unit.objects.filter(parent=first.unit, level=Level.HAMLET).exists():
        points = ts.training_pass_down(actor=_staff(first.unit)[0], assignment=first, now=clock.next())
        _session(points[0], clock, attendees=2, complete=False)
    if mingjiang is not None:
        mj = by_unit[mingjiang.id]
        ts.training_pass_down(actor=_staff(mingjiang)[0], assignment=mj,
                              units=list(Unit.objects.filter(parent=mingjiang, level=Level.VILLAGE).order_by("id")[:3]), now=clock.next())
        _session(mj, clock, attendees=1, complete=False)

    # 2. Due today: 城中镇 done and passed on to three villages, one of which is done.
    other = ts.training_task_create(
        actor=commander, title="矛盾纠纷现场调解技巧培训", due_date=clock.day, now=clock.next(),
        description="学习现场调解的程序、调解协议的制作与拍照留存。", material="调解五步法：听、问、理、议、签。",
    )
    ts.training_assign(actor=commander, task=other, units=[chengzhong] + ([mingjiang] if mingjiang else []), now=clock.next())
    other_cz = other.assignments.get(unit=chengzhong)
    other_villages = ts.training_pass_down(actor=cz_staff[0], assignment=other_cz, units=[v.unit for v in villages[:3]], now=clock.next())
    _session(other_cz, clock, attendees=2, complete=True)
    _session(other_villages[0], clock, attendees=5, complete=True)
