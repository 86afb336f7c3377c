"""Reads of cascaded training: who sees which task and assignment, and the completion tree.

A task is seen by its county HQ and by staff of every unit it reached, or of a unit above
one (a township sees its villages' parts). An assignment is seen by staff of its unit or of
a unit above it. Anything else is "not found". Supervisors take no part in training."""
import dataclasses

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from huiying.access import COUNTY_WIDE, memberships
from huiying.core import clock
from huiying.core.errors import NotFound
from huiying.network.models import ANCESTOR_FIELD, STAFF_ROLES, TIERS, Level, Unit

from .models import Status, TrainingAssignment, TrainingTask

ROLES = STAFF_ROLES | COUNTY_WIDE


def _roots(user) -> list[Unit]:
    if user is not None and user.is_authenticated and user.is_superuser:
        return list(Unit.objects.filter(level=Level.COUNTY))
    return [m.unit for m in memberships(user) if m.role in ROLES and m.unit.level != Level.DEPARTMENT]


def _assignment_scope_q(user, prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for root in _roots(user):
        q |= Q(**{f"{prefix}unit__{ANCESTOR_FIELD[Level(root.level)]}": root.id})
    return q


def visible_assignments(user) -> QuerySet[TrainingAssignment]:
    return TrainingAssignment.objects.filter(_assignment_scope_q(user))


def visible_tasks(user) -> QuerySet[TrainingTask]:
    hq = [r.id for r in _roots(user) if r.level == Level.COUNTY]
    reached = visible_assignments(user).values("task_id")
    return TrainingTask.objects.filter(Q(county_id__in=hq) | Q(pk__in=reached))


def task_get(user, pk) -> TrainingTask:
    task = visible_tasks(user).filter(pk=pk).first()
    if task is None:
        raise NotFound("task", _("No such training task."))
    return task


def assignment_get(user, pk) -> TrainingAssignment:
    a = visible_assignments(user).select_related("task", "unit", "parent__unit", "completed_by").filter(pk=pk).first()
    if a is None:
        raise NotFound("assignment", _("No such training assignment."))
    return a


def my_assignments(user, task: TrainingTask | None = None) -> list[TrainingAssignment]:
    """The assignments of the units `user` is staff of (what they act on)."""
    units = [m.unit_id for m in memberships(user) if m.role in STAFF_ROLES]
    qs = TrainingAssignment.objects.filter(unit_id__in=units).select_related("task", "unit")
    return list(qs.filter(task=task) if task else qs)


def can_act(user, assignment: TrainingAssignment) -> bool:
    return any(m.unit_id == assignment.unit_id and m.role in STAFF_ROLES for m in memberships(user))


def can_create(user) -> bool:
    return any(m.role in COUNTY_WIDE and m.unit.level == Level.COUNTY for m in memberships(user))


@dataclasses.dataclass
class Node:
    """A unit in a task's tree: its assignment (None for the county HQ at the root)."""

    unit: Unit
    assignment: TrainingAssignment | None
    attendees: int = 0
    overdue: bool = False
    children: list["Node"] = dataclasses.field(default_factory=list)

    @property
    def status(self) -> str | None:
        return self.assignment.status if self.assignment else None


@dataclasses.dataclass
class LevelTally:
    level: str
    label: str
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    not_started_units: list[Unit] = dataclasses.field(default_factory=list)

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.not_started


def task_tree(user, task: TrainingTask, *, today=None) -> tuple[list[Node], list[LevelTally]]:
    """The assignments of `task` that `user` sees, as trees under their top units (the county
    HQ for the county), and per level the counts done / in progress / not started with the
    units not started. Two queries, whatever the size."""
    today = today or clock.today()
    rows = list(
        visible_assignments(user).filter(task=task).select_related("unit", "task")
        .annotate(attendees=Count("attendance__user", distinct=True)).order_by("unit_id")
    )
    nodes = {a.id: Node(unit=a.unit, assignment=a, attendees=a.attendees, overdue=a.is_overdue(today)) for a in rows}
    roots: list[Node] = []
    top = None
    for a in rows:
        node = nodes[a.id]
        if a.parent_id in nodes:
            nodes[a.parent_id].children.append(node)
        elif a.parent_id is None and any(r.level == Level.COUNTY for r in _roots(user)):
            if top is None:
                top = Node(unit=Unit.objects.get(pk=task.county_id), assignment=None)
                roots.append(top)
            top.children.append(node)
        else:
            roots.append(node)
    tallies = {lv: LevelTally(lv, Level(lv).label) for lv in TIERS[1:]}
    for a in rows:
        t = tallies[a.unit.level]
        setattr(t, a.status, getattr(t, a.status) + 1)
        t.overdue += a.is_overdue(today)
        if a.status == Status.NOT_STARTED:
            t.not_started_units.append(a.unit)
    return roots, [t for t in tallies.values() if t.total]
