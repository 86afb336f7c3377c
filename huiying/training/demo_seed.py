"""Demo content for cascaded training: two tasks from the county HQ, cascaded through the
services down to villages and hamlet points of 城中镇 (and a little of 明江镇), with partial
attendance and completion, so the tree has done / in-progress / not-started units and one
task is past its due date. Deterministic for a given `today`; adds no concerns."""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from huiying.network.models import STAFF_ROLES, Level, Membership, Role, Unit

from . import services as ts


def _at(today: dt.date, days_ago: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour, 30)))


def _staff(unit: Unit) -> list:
    return [m.user for m in Membership.objects.filter(unit=unit, role__in=STAFF_ROLES).select_related("user").order_by("id")]


def _session(unit_assignment, today, *, attend_days_ago: int, attendees: int, complete_days_ago: int | None = None):
    people = _staff(unit_assignment.unit)
    if not people:
        return
    ts.training_record_attendance(actor=people[0], assignment=unit_assignment, attendees=people[:attendees],
                                  day=today - dt.timedelta(days=attend_days_ago), now=_at(today, attend_days_ago, 17))
    if complete_days_ago is not None:
        ts.training_complete(actor=people[0], assignment=unit_assignment, note="已按要求组织学习",
                             now=_at(today, complete_days_ago, 18))


@transaction.atomic
def seed(*, county: Unit, today: dt.date) -> None:
    commander = Membership.objects.filter(unit=county, role=Role.COMMANDER).select_related("user").order_by("id").first().user
    townships = list(Unit.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("id"))
    chengzhong = next(t for t in townships if t.name.startswith("城中镇"))
    mingjiang = next((t for t in townships if t.name.startswith("明江镇")), None)

    # 1. Due in ten days: well under way in 城中镇.
    task = ts.training_task_create(
        actor=commander, title="村民关切回应站工作规范培训", due_date=today + dt.timedelta(days=10), now=_at(today, 20),
        description="各乡镇组织回应中心、村级回应站、屯级回应点全体工作人员学习“七步工作流向”和“六类分类处置”，并逐级下发。",
        material="一、热情接待：首问负责，登记来访群众。\n二、受理登记：一事一登记，当场告知办理时限。\n"
                 "三、分析处置：按六类分类处置，超出权限的预约下访。\n四、现场办公、接受监督、结果公示、反馈回应。",
        link="https://www.gov.cn/",
    )
    by_unit = {a.unit_id: a for a in ts.training_assign(actor=commander, task=task, now=_at(today, 19))}
    cz = by_unit[chengzhong.id]
    cz_staff = _staff(chengzhong)
    villages = ts.training_pass_down(actor=cz_staff[0], assignment=cz, now=_at(today, 18))
    _session(cz, today, attend_days_ago=17, attendees=2, complete_days_ago=16)
    # The first villages: done (one passed down to its hamlet points), in progress, done; the rest not started.
    plans = [(12, 4, 11), (9, 3, None), (8, 5, 7), (5, 2, None)]
    for (attend, attendees, complete), v in zip(plans, villages):
        _session(v, today, attend_days_ago=attend, attendees=attendees, complete_days_ago=complete)
    first = villages[0]
    points = ts.training_pass_down(actor=_staff(first.unit)[0], assignment=first, now=_at(today, 10)) \
        if Unit.objects.filter(parent=first.unit, level=Level.HAMLET).exists() else []
    if points:
        _session(points[0], today, attend_days_ago=6, attendees=2)
    if mingjiang is not None:
        mj = by_unit[mingjiang.id]
        ts.training_pass_down(actor=_staff(mingjiang)[0], assignment=mj,
                              units=list(Unit.objects.filter(parent=mingjiang, level=Level.VILLAGE).order_by("id")[:3]), now=_at(today, 15))
        _session(mj, today, attend_days_ago=14, attendees=1)

    # 2. Past its due date: 城中镇 passed it on, two villages never started (flagged overdue).
    old = ts.training_task_create(
        actor=commander, title="矛盾纠纷现场调解技巧培训", due_date=today - dt.timedelta(days=5), now=_at(today, 45),
        description="学习现场调解的程序、调解协议的制作与拍照留存。", material="调解五步法：听、问、理、议、签。",
    )
    ts.training_assign(actor=commander, task=old, units=[chengzhong] + ([mingjiang] if mingjiang else []), now=_at(today, 44))
    old_cz = old.assignments.get(unit=chengzhong)
    old_villages = ts.training_pass_down(actor=cz_staff[0], assignment=old_cz, units=[v.unit for v in villages[:3]], now=_at(today, 40))
    _session(old_cz, today, attend_days_ago=41, attendees=2, complete_days_ago=39)
    _session(old_villages[0], today, attend_days_ago=30, attendees=5, complete_days_ago=30)
