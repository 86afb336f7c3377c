"""Cascaded training through the services: the cascade, attendance, completion, the tree,
permissions and bad input (each refusal names the field and writes nothing)."""
import datetime as dt

import pytest

from huiying.core import clock
from huiying.core.errors import ServiceError
from huiying.network import services as net
from huiying.network.models import Level, Role
from huiying.records.models import RecordEntry
from huiying.training import selectors as tq
from huiying.training import services as ts
from huiying.training.models import Status

from .conftest import DUE, training_snapshot

TODAY = dt.date(2026, 3, 11)


def refused(field, fn, **kwargs):
    before = training_snapshot()
    with pytest.raises(ServiceError) as e:
        fn(**kwargs)
    assert e.value.field == field, e.value
    assert training_snapshot() == before
    return e.value


def test_cascade_down_to_a_point_with_attendance_and_completion(network, cascaded, task):
    n = network
    for a in cascaded.values():
        a.refresh_from_db()
    assert cascaded["township"].status == Status.IN_PROGRESS  # passing down starts it
    assert cascaded["other_township"].status == Status.NOT_STARTED
    assert cascaded["point"].parent_id == cascaded["village"].id
    rows = ts.training_record_attendance(actor=n.village_clerk, assignment=cascaded["village"],
                                         attendees=[n.village_clerk, n.village_clerk2], day=TODAY)
    assert {r.user_id for r in rows} == {n.village_clerk.id, n.village_clerk2.id}
    done = ts.training_complete(actor=n.village_clerk, assignment=cascaded["village"], note="已完成")
    assert done.status == Status.DONE and done.completed_by == n.village_clerk
    codes = list(RecordEntry.objects.filter(action__startswith="training.").values_list("action", "unit_id"))
    assert codes == [
        ("training.create", n.county.id),
        ("training.assign", n.township.id), ("training.assign", n.other_township.id),
        ("training.pass_down", n.township.id), ("training.pass_down", n.township.id),
        ("training.pass_down", n.village.id),
        ("training.attend", n.village.id), ("training.complete", n.village.id),
    ]


def test_tree_counts_per_level_and_names_who_has_not_started(network, cascaded, task):
    n = network
    ts.training_record_attendance(actor=n.village_clerk, assignment=cascaded["village"], attendees=[n.village_clerk], day=TODAY)
    ts.training_complete(actor=n.village_clerk, assignment=cascaded["village"])
    roots, tallies = tq.task_tree(n.county_commander, task, today=TODAY)
    assert len(roots) == 1 and roots[0].unit == n.county and roots[0].assignment is None
    assert [c.unit for c in roots[0].children] == [n.township, n.other_township]
    village_node = roots[0].children[0].children[0]
    assert village_node.unit == n.village and village_node.attendees == 1
    assert [c.unit for c in village_node.children] == [n.point]
    by_level = {t.level: t for t in tallies}
    assert (by_level[Level.TOWNSHIP].done, by_level[Level.TOWNSHIP].in_progress, by_level[Level.TOWNSHIP].not_started) == (0, 1, 1)
    assert by_level[Level.TOWNSHIP].not_started_units == [n.other_township]
    assert (by_level[Level.VILLAGE].done, by_level[Level.VILLAGE].not_started) == (1, 1)
    assert by_level[Level.VILLAGE].not_started_units == [n.other_village]
    assert by_level[Level.HAMLET].not_started_units == [n.point]
    assert all(t.overdue == 0 for t in tallies)
    # After the due date every unfinished assignment is overdue; the done one is not.
    _roots, late = tq.task_tree(n.county_commander, task, today=DUE + dt.timedelta(days=1))
    assert {t.level: t.overdue for t in late} == {Level.TOWNSHIP: 2, Level.VILLAGE: 1, Level.HAMLET: 1}
    # A township sees only its branch.
    roots, tallies = tq.task_tree(n.township_staff, task, today=TODAY)
    assert [r.unit for r in roots] == [n.township]
    assert {t.level for t in tallies} == {Level.TOWNSHIP, Level.VILLAGE, Level.HAMLET}
    assert tq.task_tree(n.far_clerk, task)[0] == []


def test_only_county_hq_creates_and_assigns(network, now, task):
    n = network
    for who in ("township_staff", "village_clerk", "dept_liaison", "supervisor"):
        refused("actor", ts.training_task_create, actor=n.users[who], title="x", due_date=DUE)
        refused("actor", ts.training_assign, actor=n.users[who], task=task)
    # The administrator of the county HQ may.
    ts.training_task_create(actor=n.county_admin, title="管理员建", due_date=DUE)


def test_bad_task_input(network, now):
    n = network
    refused("title", ts.training_task_create, actor=n.county_commander, title="  ", due_date=DUE)
    refused("title", ts.training_task_create, actor=n.county_commander, title="长" * 201, due_date=DUE)
    refused("due_date", ts.training_task_create, actor=n.county_commander, title="x", due_date=TODAY - dt.timedelta(days=1))
    refused("due_date", ts.training_task_create, actor=n.county_commander, title="x", due_date=None)
    refused("link", ts.training_task_create, actor=n.county_commander, title="x", due_date=DUE, link="javascript:alert(1)")
    e = refused("due_date", ts.training_task_create, actor=n.county_commander, title="x", due_date="2026-04-01")
    assert e.text


def test_assign_and_pass_down_only_to_own_children(network, task):
    n = network
    refused("units", ts.training_assign, actor=n.county_commander, task=task, units=[n.village])
    refused("units", ts.training_assign, actor=n.county_commander, task=task, units=[n.department])
    refused("units", ts.training_assign, actor=n.county_commander, task=task, units=[])
    [a] = ts.training_assign(actor=n.county_commander, task=task, units=[n.township])
    refused("units", ts.training_assign, actor=n.county_commander, task=task, units=[n.township])  # already has it
    ts.training_assign(actor=n.county_commander, task=task)  # the rest: 明江镇
    refused("units", ts.training_assign, actor=n.county_commander, task=task)  # nothing left
    # 城中镇 passes to its own villages only, and only its own staff do it.
    refused("units", ts.training_pass_down, actor=n.township_staff, assignment=a, units=[n.far_village])
    refused("units", ts.training_pass_down, actor=n.township_staff, assignment=a, units=[n.point])
    refused("actor", ts.training_pass_down, actor=n.other_township_staff, assignment=a)
    refused("actor", ts.training_pass_down, actor=n.county_commander, assignment=a)
    [v] = ts.training_pass_down(actor=n.township_staff, assignment=a, units=[n.village])
    [p] = ts.training_pass_down(actor=n.village_clerk, assignment=v)
    # A hamlet point has nothing below it.
    refused("units", ts.training_pass_down, actor=n.hamlet_clerk, assignment=p)


def test_attendance_rules(network, cascaded):
    n = network
    village = cascaded["village"]
    refused("attendees", ts.training_record_attendance, actor=n.village_clerk, assignment=village, attendees=[n.other_village_clerk], day=TODAY)
    refused("attendees", ts.training_record_attendance, actor=n.village_clerk, assignment=village, attendees=[], day=TODAY)
    refused("day", ts.training_record_attendance, actor=n.village_clerk, assignment=village, attendees=[n.village_clerk], day=TODAY + dt.timedelta(days=1))
    refused("day", ts.training_record_attendance, actor=n.village_clerk, assignment=village, attendees=[n.village_clerk], day=TODAY - dt.timedelta(days=1))
    refused("day", ts.training_record_attendance, actor=n.village_clerk, assignment=village, attendees=[n.village_clerk], day=None)
    refused("actor", ts.training_record_attendance, actor=n.township_staff, assignment=village, attendees=[n.village_clerk], day=TODAY)
    refused("actor", ts.training_record_attendance, actor=n.supervisor, assignment=village, attendees=[n.village_clerk], day=TODAY)
    # The village's supervisor is a member and may attend; a person attends once a day.
    ts.training_record_attendance(actor=n.village_clerk, assignment=village, attendees=[n.supervisor], day=TODAY)
    refused("attendees", ts.training_record_attendance, actor=n.village_clerk, assignment=village, attendees=[n.supervisor], day=TODAY)
    with clock.frozen(clock.now() + dt.timedelta(days=1)):
        ts.training_record_attendance(actor=n.village_clerk, assignment=village, attendees=[n.supervisor], day=TODAY + dt.timedelta(days=1))


def test_completion_rules(network, cascaded):
    n = network
    village = cascaded["village"]
    refused("attendance", ts.training_complete, actor=n.village_clerk, assignment=village)
    refused("actor", ts.training_complete, actor=n.other_village_clerk, assignment=village)
    ts.training_record_attendance(actor=n.village_clerk2, assignment=village, attendees=[n.village_clerk2], day=TODAY)
    ts.training_complete(actor=n.village_clerk2, assignment=village)
    refused("assignment", ts.training_complete, actor=n.village_clerk, assignment=village)
    refused("assignment", ts.training_record_attendance, actor=n.village_clerk, assignment=village, attendees=[n.village_clerk], day=TODAY)


def test_visibility(network, cascaded, task):
    n = network
    assert tq.task_get(n.county_commander, task.pk) == task
    assert tq.task_get(n.hamlet_clerk, task.pk) == task
    assert set(tq.visible_assignments(n.township_staff)) == {cascaded[k] for k in ("township", "village", "other_village", "point")}
    assert set(tq.visible_assignments(n.village_clerk)) == {cascaded["village"], cascaded["point"]}
    with pytest.raises(ServiceError):
        tq.assignment_get(n.village_clerk, cascaded["other_village"].pk)
    with pytest.raises(ServiceError):
        tq.task_get(n.supervisor, task.pk)
    other = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", ref_prefix="LX")
    stranger = net.staff_create(username="neighbour", full_name="邻指挥", unit=other, role=Role.COMMANDER)
    with pytest.raises(ServiceError):
        tq.task_get(stranger, task.pk)
    refused("actor", ts.training_assign, actor=stranger, task=task)
