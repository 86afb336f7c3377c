"""Writes of cascaded training (层层培训). Each is one transaction with its record-book entry
(`training.*`); bad input raises ServiceError naming the field and writes nothing.

Who may do what:
- the county HQ (commanders, administrators) creates a task and assigns it to its townships;
- a unit's own staff pass its assignment down to the unit's own children only (township →
  villages, village → hamlet points), record attendance of the unit's members, and mark the
  unit's session done (at least one attendance first).
"""
import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiying.access import COUNTY_WIDE, memberships
from huiying.concerns.services.common import require_text
from huiying.core import clock
from huiying.core.errors import Forbidden, ServiceError
from huiying.network.models import STAFF_ROLES, Level, Membership, Unit
from huiying.records import book

from .models import Attendance, TrainingAssignment, TrainingTask

# The level each tier passes a task down to.
PASS_TO = {Level.COUNTY: Level.TOWNSHIP, Level.TOWNSHIP: Level.VILLAGE, Level.VILLAGE: Level.HAMLET}


def _hq_membership(actor, county: Unit | None):
    for m in memberships(actor):
        if m.role in COUNTY_WIDE and m.unit.level == Level.COUNTY and (county is None or m.unit_id == county.id):
            return m
    raise Forbidden("actor", _("Only the county HQ creates and assigns training tasks."))


def _check_own_staff(actor, unit: Unit) -> None:
    if not any(m.unit_id == unit.id and m.role in STAFF_ROLES for m in memberships(actor)):
        raise Forbidden("actor", _("Only staff of %(unit)s act on its training."), params={"unit": unit.name})


def _require_date(value, field: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ServiceError(field, _("Enter a valid date."), code="required")
    return value


def _targets(parent_unit: Unit, units, task: TrainingTask, field: str = "units") -> list[Unit]:
    """The units a task goes to from `parent_unit`: the chosen ones (each must be one of its
    own children at the next tier, without the task yet) or, with `units=None`, every child
    that does not have it yet."""
    level = PASS_TO.get(parent_unit.level)
    if level is None:
        raise ServiceError(field, _("%(unit)s has no units below it to pass training to."), params={"unit": parent_unit.name})
    children = {u.id: u for u in Unit.objects.filter(parent=parent_unit, level=level).order_by("id")}
    have = set(TrainingAssignment.objects.filter(task=task, unit_id__in=children).values_list("unit_id", flat=True))
    if units is None:
        chosen = [u for uid, u in children.items() if uid not in have]
        if not chosen:
            raise ServiceError(field, _("Every unit below %(unit)s already has this task."), params={"unit": parent_unit.name})
        return chosen
    units = list(units)
    if not units:
        raise ServiceError(field, _("Choose at least one unit."), code="required")
    chosen, seen = [], set()
    for unit in units:
        if not isinstance(unit, Unit) or unit.id not in children:
            name = unit.name if isinstance(unit, Unit) else str(unit)
            raise ServiceError(field, _("%(target)s is not a unit directly below %(unit)s."), params={"target": name, "unit": parent_unit.name})
        if unit.id in have:
            raise ServiceError(field, _("%(target)s already has this task."), params={"target": unit.name})
        if unit.id not in seen:
            seen.add(unit.id)
            chosen.append(unit)
    return chosen


def _create_assignments(*, actor, task, parent, targets, now) -> list[TrainingAssignment]:
    return [
        TrainingAssignment.objects.create(task=task, unit=u, parent=parent, assigned_by=actor, assigned_at=now)
        for u in targets
    ]


@transaction.atomic
def training_task_create(*, actor, title: str, due_date: dt.date, description: str = "", material: str = "",
                         link: str = "", county: Unit | None = None, now: dt.datetime | None = None) -> TrainingTask:
    now = now or clock.now()
    m = _hq_membership(actor, county)
    title = require_text(title, "title", max_length=200)
    due_date = _require_date(due_date, "due_date")
    if due_date < timezone.localdate(now):
        raise ServiceError("due_date", _("The due date is in the past."))
    link = (link or "").strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ServiceError("link", _("Enter a web address starting with http:// or https://.")) from None
        if len(link) > 500:
            raise ServiceError("link", _("At most %(n)s characters."), params={"n": 500})
    task = TrainingTask.objects.create(
        county_id=m.unit_id, title=title, description=(description or "").strip(), material=(material or "").strip(),
        link=link, due_date=due_date, created_by=actor, created_at=now,
    )
    book.append(county_id=m.unit_id, action="training.create", actor=actor, unit_id=m.unit_id, at=now,
                payload={"task": task.id, "title": title, "due_date": due_date.isoformat()})
    return task


@transaction.atomic
def training_assign(*, actor, task: TrainingTask, units=None, now: dt.datetime | None = None) -> list[TrainingAssignment]:
    """The county HQ assigns `task` to its townships: the chosen ones, or all (`units=None`)."""
    now = now or clock.now()
    county = Unit.objects.get(pk=task.county_id)
    _hq_membership(actor, county)
    targets = _targets(county, units, task)
    created = _create_assignments(actor=actor, task=task, parent=None, targets=targets, now=now)
    group = uuid.uuid4()
    for a in created:
        book.append(county_id=task.county_id, action="training.assign", actor=actor, unit_id=a.unit_id, at=now, group=group,
                    payload={"task": task.id, "title": task.title, "from_unit": county.id, "to_unit": a.unit_id})
    return created


def _start(assignment: TrainingAssignment, now) -> None:
    if assignment.started_at is None:
        assignment.started_at = now
        TrainingAssignment.objects.filter(pk=assignment.pk, started_at__isnull=True).update(started_at=now)


@transaction.atomic
def training_pass_down(*, actor, assignment: TrainingAssignment, units=None, now: dt.datetime | None = None) -> list[TrainingAssignment]:
    """A unit passes its assignment to its own children: the chosen ones, or all (`units=None`)."""
    now = now or clock.now()
    assignment = TrainingAssignment.objects.select_for_update().select_related("task", "unit").get(pk=assignment.pk)
    _check_own_staff(actor, assignment.unit)
    targets = _targets(assignment.unit, units, assignment.task)
    created = _create_assignments(actor=actor, task=assignment.task, parent=assignment, targets=targets, now=now)
    _start(assignment, now)
    group = uuid.uuid4()
    for a in created:
        book.append(county_id=assignment.task.county_id, action="training.pass_down", actor=actor, unit_id=assignment.unit_id,
                    at=now, group=group, payload={"task": assignment.task_id, "title": assignment.task.title,
                             "from_unit": assignment.unit_id, "to_unit": a.unit_id})
    return created


@transaction.atomic
def training_record_attendance(*, actor, assignment: TrainingAssignment, attendees, day: dt.date,
                               now: dt.datetime | None = None) -> list[Attendance]:
    """Record that `attendees` (members of the assignment's unit) attended its session on `day`."""
    now = now or clock.now()
    assignment = TrainingAssignment.objects.select_for_update().select_related("task", "unit").get(pk=assignment.pk)
    _check_own_staff(actor, assignment.unit)
    if assignment.completed_at:
        raise ServiceError("assignment", _("This session is already marked done."))
    day = _require_date(day, "day")
    if day > timezone.localdate(now):
        raise ServiceError("day", _("The day is in the future."))
    if day < timezone.localdate(assignment.task.created_at):
        raise ServiceError("day", _("The day is before the task was set."))
    attendees = list(attendees or [])
    if not attendees:
        raise ServiceError("attendees", _("Choose at least one attendee."), code="required")
    members = set(Membership.objects.filter(unit=assignment.unit).values_list("user_id", flat=True))
    already = set(Attendance.objects.filter(assignment=assignment, day=day).values_list("user_id", flat=True))
    unique = {}
    for person in attendees:
        name = person.get_full_name() or person.get_username()
        if person.pk not in members:
            raise ServiceError("attendees", _("%(user)s is not a member of %(unit)s."), params={"user": name, "unit": assignment.unit.name})
        if person.pk in already:
            raise ServiceError("attendees", _("%(user)s is already recorded for that day."), params={"user": name})
        unique[person.pk] = person
    rows = [Attendance.objects.create(assignment=assignment, user=p, day=day, recorded_by=actor, recorded_at=now) for p in unique.values()]
    _start(assignment, now)
    book.append(county_id=assignment.task.county_id, action="training.attend", actor=actor, unit_id=assignment.unit_id, at=now,
                payload={"task": assignment.task_id, "title": assignment.task.title, "day": day.isoformat(),
                         "attendees": [p.get_full_name() or p.get_username() for p in unique.values()]})
    return rows


@transaction.atomic
def training_complete(*, actor, assignment: TrainingAssignment, note: str = "", now: dt.datetime | None = None) -> TrainingAssignment:
    """Mark the unit's own session done. It needs at least one attendance."""
    now = now or clock.now()
    assignment = TrainingAssignment.objects.select_for_update().select_related("task", "unit").get(pk=assignment.pk)
    _check_own_staff(actor, assignment.unit)
    if assignment.completed_at:
        raise ServiceError("assignment", _("This session is already marked done."))
    if not assignment.attendance.exists():
        raise ServiceError("attendance", _("Record who attended before marking the session done."))
    assignment.completed_at, assignment.completed_by, assignment.note = now, actor, (note or "").strip()
    if assignment.started_at is None:
        assignment.started_at = now
    assignment.save(update_fields=["completed_at", "completed_by", "note", "started_at"])
    book.append(county_id=assignment.task.county_id, action="training.complete", actor=actor, unit_id=assignment.unit_id, at=now,
                payload={"task": assignment.task_id, "title": assignment.task.title, "note": assignment.note,
                         "attendees": assignment.attendance.values("user").distinct().count()})
    return assignment
