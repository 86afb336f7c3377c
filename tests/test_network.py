"""The network: ancestors, subtrees, hamlets, memberships and the duty roster."""
import datetime as dt

import pytest

from huiying.core.errors import ServiceError
from huiying.network import services as net
from huiying.network.models import DutyShift, Level, Role, Unit
from huiying.network.selectors import on_duty, unit_subtree


def _walk_subtree(unit):
    found, frontier = {unit.id}, [unit]
    while frontier:
        children = list(Unit.objects.filter(parent__in=frontier))
        found |= {c.id for c in children}
        frontier = children
    return found


def test_subtree_by_ancestor_columns_equals_a_walk_of_the_tree(network):
    for unit in Unit.objects.all():
        assert set(unit_subtree(unit).values_list("id", flat=True)) == _walk_subtree(unit), unit.name


def test_each_unit_points_to_itself_at_its_own_level(network):
    n = network
    assert (n.point.county_id, n.point.township_id, n.point.village_id, n.point.point_id) == (n.county.id, n.township.id, n.village.id, n.point.id)
    assert (n.department.county_id, n.department.department_id, n.department.township_id) == (n.county.id, n.department.id, None)
    assert [u.name for u in n.point.ancestors()] == ["测试县", "城中镇", "甲村"]


def test_a_hamlet_is_received_at_its_point_or_else_its_village(network):
    assert network.hamlet.receiving_unit == network.point
    assert network.hamlet2.receiving_unit == network.village


def test_duty_roster_lists_who_is_on_duty_today(network, now):
    n = network
    net.duty_shift_add(unit=n.village, user=n.village_clerk2, day=now.date())
    net.duty_shift_add(unit=n.village, user=n.village_clerk, day=now.date() + dt.timedelta(days=1))
    assert list(on_duty(unit=n.village)) == [n.village_clerk2]
    assert list(on_duty(unit=n.village, day=now.date() + dt.timedelta(days=1))) == [n.village_clerk]
    net.duty_shift_add(unit=n.village, user=n.village_clerk2, day=now.date())  # twice is once
    assert DutyShift.objects.count() == 2


def test_only_a_units_own_staff_go_on_its_roster(network, now):
    with pytest.raises(ServiceError) as e:
        net.duty_shift_add(unit=network.village, user=network.far_clerk, day=now.date())
    assert e.value.field == "user"
    assert DutyShift.objects.count() == 0


@pytest.mark.parametrize("role, unit_attr, ok", [
    (Role.CLERK, "point", True), (Role.CLERK, "village", True), (Role.CLERK, "township", False),
    (Role.CENTER_STAFF, "township", True), (Role.CENTER_STAFF, "village", False),
    (Role.COMMANDER, "county", True), (Role.COMMANDER, "township", False),
    (Role.LIAISON, "department", True), (Role.LIAISON, "county", False),
    (Role.SUPERVISOR, "village", True), (Role.SUPERVISOR, "department", False),
    (Role.ADMIN, "county", True), (Role.ADMIN, "village", False),
])
def test_roles_serve_at_their_levels(network, role, unit_attr, ok):
    unit = getattr(network, unit_attr)
    if ok:
        net.staff_create(username=f"new_{role}", full_name="新人", unit=unit, role=role)
    else:
        with pytest.raises(ServiceError) as e:
            net.staff_create(username=f"new_{role}", full_name="新人", unit=unit, role=role)
        assert e.value.field == "role"


def test_two_counties_are_separate_trees(network):
    other = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", code="450000200000", ref_prefix="LX")
    t = net.unit_create(level=Level.TOWNSHIP, parent=other, name="邻镇")
    assert not t.is_in_subtree_of(network.county) and t.is_in_subtree_of(other)
    assert set(unit_subtree(network.county).values_list("id", flat=True)).isdisjoint({other.id, t.id})
