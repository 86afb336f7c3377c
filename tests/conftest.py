"""A small named network every test can use:

    县 测试县 (county, prefix CS)
    ├── 部门 民政局 (department)                    liaison: dept_liaison
    ├── 镇 城中镇 (township)                        center staff: township_staff
    │   ├── 村 甲村 (village station)               clerk: village_clerk, village_clerk2; supervisor: supervisor
    │   │   ├── 屯 甲一屯 with a point 甲一屯回应点   clerk: hamlet_clerk
    │   │   └── 屯 甲二屯 (no point)
    │   └── 村 乙村 (village station)               clerk: other_village_clerk
    └── 镇 明江镇 (township)                        center staff: other_township_staff
        └── 村 丙村                                 clerk: far_clerk
    county HQ: county_commander (commander), county_admin (admin)
"""
import datetime as dt
import os

import pytest
from django.utils import timezone

from huiying.core import clock
from huiying.network import services as net
from huiying.network.models import Level, Role

IS_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… (CI does)")
    for item in items:
        if "postgres" in item.keywords and not IS_POSTGRES:
            item.add_marker(skip)


# A fixed, ordinary working Wednesday, so working-day arithmetic in tests is predictable.
NOW = timezone.make_aware(dt.datetime(2026, 3, 11, 10, 0))


@pytest.fixture
def now():
    with clock.frozen(NOW):
        yield NOW


class Net:
    pass


@pytest.fixture
def network(db):
    n = Net()
    n.county = net.unit_create(level=Level.COUNTY, parent=None, name="测试县", code="450000000000", ref_prefix="CS")
    n.department = net.unit_create(level=Level.DEPARTMENT, parent=n.county, name="民政局")
    n.township = net.unit_create(level=Level.TOWNSHIP, parent=n.county, name="城中镇", code="450000100000")
    n.other_township = net.unit_create(level=Level.TOWNSHIP, parent=n.county, name="明江镇", code="450000101000")
    n.village = net.unit_create(level=Level.VILLAGE, parent=n.township, name="甲村", code="450000100201")
    n.other_village = net.unit_create(level=Level.VILLAGE, parent=n.township, name="乙村", code="450000100202")
    n.far_village = net.unit_create(level=Level.VILLAGE, parent=n.other_township, name="丙村", code="450000101201")
    n.point = net.unit_create(level=Level.HAMLET, parent=n.village, name="甲一屯回应点")
    n.hamlet = net.hamlet_create(village=n.village, name="甲一屯", point=n.point)
    n.hamlet2 = net.hamlet_create(village=n.village, name="甲二屯")
    n.other_hamlet = net.hamlet_create(village=n.other_village, name="乙一屯")
    n.far_hamlet = net.hamlet_create(village=n.far_village, name="丙一屯")
    people = [
        ("county_commander", "韦指挥", n.county, Role.COMMANDER),
        ("county_admin", "黄管理", n.county, Role.ADMIN),
        ("dept_liaison", "农联络", n.department, Role.LIAISON),
        ("township_staff", "李中心", n.township, Role.CENTER_STAFF),
        ("other_township_staff", "陆中心", n.other_township, Role.CENTER_STAFF),
        ("village_clerk", "张值班", n.village, Role.CLERK),
        ("village_clerk2", "赵值班", n.village, Role.CLERK),
        ("other_village_clerk", "梁值班", n.other_village, Role.CLERK),
        ("far_clerk", "马值班", n.far_village, Role.CLERK),
        ("hamlet_clerk", "蒙值班", n.point, Role.CLERK),
        ("supervisor", "覃监督", n.village, Role.SUPERVISOR),
    ]
    n.users = {}
    for username, name, unit, role in people:
        user = net.staff_create(username=username, full_name=name, unit=unit, role=role, password=None)
        n.users[username] = user
        setattr(n, username, user)
    return n


PASSWORD = "a-long-test-password"


@pytest.fixture
def login(client, network):
    """Sign a named fixture user in. Password hashing is slow by design, so tests take the
    session directly unless they test signing in (`password=True`)."""
    def _login(username, c=None, *, password=False):
        c = c or client
        c.logout()
        user = network.users[username]
        if password:
            user.set_password(PASSWORD)
            user.save()
            assert c.login(username=username, password=PASSWORD)
        else:
            c.force_login(user)
        return c
    return _login
