"""The roster's endpoints × roles: allowed, 403, 404 (another county), 401; bad input names its field."""
import datetime as dt

import pytest

from huiying.network import services as net
from huiying.network.models import DutyShift, Level, Role
from huiying.rota.services import roster_generate

from .conftest import snap


@pytest.fixture
def world(network, now):
    n = network
    n.elsewhere = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", ref_prefix="LX")
    n.elsewhere_village = net.unit_create(level=Level.VILLAGE, parent=net.unit_create(level=Level.TOWNSHIP, parent=n.elsewhere, name="某镇"), name="某村")
    net.staff_create(username="elsewhere_clerk", full_name="外村", unit=n.elsewhere_village, role=Role.CLERK)
    return n


def base(unit):
    return f"/api/v1/units/{unit.pk}/roster"


@pytest.mark.parametrize("who", ["village_clerk", "supervisor", "far_clerk", "dept_liaison"])
def test_everyone_in_the_county_reads_a_roster(api, world, who):
    n = world
    roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    r = api(who).get(base(n.village) + "?month=2026-04")
    assert r.status_code == 200
    body = r.json()
    assert body["month"] == "2026-04" and len(body["days"]) == 30 and body["rule"] == {"per_day": 1, "days": "every_day"}
    assert all(len(d["on_duty"]) == 1 for d in body["days"])
    assert api(who).get(base(world.elsewhere_village)).status_code == 404
    assert api(who).get(base(n.village) + "?month=2026-4").status_code == 400


def test_reads_and_writes_need_credentials(api, world):
    assert api(None).get(base(world.village)).status_code == 401
    assert api(None).post(base(world.village) + "/generate", {"month": "2026-04"}, format="json").status_code == 401


@pytest.mark.parametrize("who, expected", [
    ("village_clerk", 200), ("township_staff", 200), ("county_commander", 200),
    ("supervisor", 403), ("far_clerk", 403), ("dept_liaison", 403),
])
def test_generate_per_role(api, world, who, expected):
    n = world
    before = snap()
    r = api(who).post(base(n.village) + "/generate", {"month": "2026-04"}, format="json")
    assert r.status_code == expected, r.json()
    if expected == 200:
        assert r.json()["shifts"] == 30 and r.json()["start"] == "2026-04-01"
    else:
        assert list(r.json()["errors"]) == ["unit"] and snap() == before


def test_generate_refuses_a_past_month_and_another_countys_unit(api, world):
    n = world
    before = snap()
    r = api("village_clerk").post(base(n.village) + "/generate", {"month": "2026-02"}, format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["month"]
    assert api("county_commander").post(base(n.elsewhere_village) + "/generate", {"month": "2026-04"}, format="json").status_code == 404
    assert snap() == before


def test_swaps(api, world):
    n = world
    roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    giver = DutyShift.objects.get(unit=n.village, day=dt.date(2026, 4, 10)).user
    taker = n.village_clerk2 if giver == n.village_clerk else n.village_clerk
    body = {"day": "2026-04-10", "from_user": giver.username, "to_user": taker.username, "reason": "换休"}
    before = snap()
    assert api("supervisor").post(base(n.village) + "/swaps", body, format="json").status_code == 403
    r = api("village_clerk").post(base(n.village) + "/swaps", {**body, "to_user": "far_clerk"}, format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["to_user"]
    r = api("village_clerk").post(base(n.village) + "/swaps", {**body, "to_user": "nobody"}, format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["to_user"]
    assert api("far_clerk").post(base(n.elsewhere_village) + "/swaps", body, format="json").status_code == 404
    assert snap() == before
    r = api("village_clerk").post(base(n.village) + "/swaps", body, format="json")
    assert r.status_code == 201 and r.json()["to_user"]["username"] == taker.username
    day = next(d for d in api("village_clerk").get(base(n.village) + "?month=2026-04").json()["days"] if d["day"] == "2026-04-10")
    assert [p["username"] for p in day["on_duty"]] == [taker.username] and len(day["swaps"]) == 1


def test_rule_and_availability(api, world):
    n = world
    r = api("township_staff").post(base(n.village) + "/rule", {"per_day": 2, "days": "workdays"}, format="json")
    assert r.status_code == 200 and r.json() == {"per_day": 2, "days": "workdays"}
    assert api("supervisor").post(base(n.village) + "/rule", {"per_day": 2, "days": "workdays"}, format="json").status_code == 403
    r = api("village_clerk").post(base(n.village) + "/availability", {"user": "village_clerk2", "weekdays": [5, 6]}, format="json")
    assert r.status_code == 200 and r.json()["weekdays"] == [5, 6]
    r = api("village_clerk").post(base(n.village) + "/availability", {"user": "far_clerk", "weekdays": [5]}, format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["user"]
    assert api("county_commander").post(base(n.elsewhere_village) + "/rule", {"per_day": 1, "days": "workdays"}, format="json").status_code == 404
