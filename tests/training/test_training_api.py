"""The training API: every operation allowed for the right role, 403 for a wrong one, 404
for what the caller may not see, 401 without credentials; bad input names the field."""
import pytest

from huiying.network import services as net
from huiying.network.models import Level, Role
from huiying.training.models import Attendance, Status, TrainingAssignment, TrainingTask

from .conftest import training_snapshot

BASE = "/api/v1/training"


def test_create_list_detail(api, network, now):
    n = network
    r = api("county_commander").post(f"{BASE}/tasks", {"title": "台账培训", "due_date": "2026-04-30", "link": "https://example.org/x"}, format="json")
    assert r.status_code == 201, r.json()
    task_id = r.json()["id"]
    assert r.json()["created_by"]["username"] == "county_commander"
    assert [t["id"] for t in api("county_admin").get(f"{BASE}/tasks").json()["results"]] == [task_id]
    # Not assigned yet: a village does not see it.
    assert api("village_clerk").get(f"{BASE}/tasks").json()["results"] == []
    assert api("village_clerk").get(f"{BASE}/tasks/{task_id}").status_code == 404
    detail = api("county_commander").get(f"{BASE}/tasks/{task_id}").json()
    assert detail["task"]["title"] == "台账培训" and detail["levels"] == [] and detail["assignments"] == []


@pytest.mark.parametrize("who", ["township_staff", "village_clerk", "dept_liaison", "supervisor", "hamlet_clerk"])
def test_only_county_hq_creates(api, network, now, who):
    before = training_snapshot()
    r = api(who).post(f"{BASE}/tasks", {"title": "x", "due_date": "2026-04-30"}, format="json")
    assert r.status_code == 403 and "actor" in r.json()["errors"]
    assert training_snapshot() == before


def test_bad_input_names_the_field(api, network, now):
    before = training_snapshot()
    c = api("county_commander")
    assert "due_date" in c.post(f"{BASE}/tasks", {"title": "x", "due_date": "2026-03-01"}, format="json").json()["errors"]
    assert "due_date" in c.post(f"{BASE}/tasks", {"title": "x", "due_date": "soon"}, format="json").json()["errors"]
    assert "title" in c.post(f"{BASE}/tasks", {"title": " ", "due_date": "2026-04-30"}, format="json").json()["errors"]
    assert "link" in c.post(f"{BASE}/tasks", {"title": "x", "due_date": "2026-04-30", "link": "ftp://x"}, format="json").json()["errors"]
    assert training_snapshot() == before


def test_cascade_through_the_api(api, network, task):
    n = network
    r = api("county_commander").post(f"{BASE}/tasks/{task.pk}/assign", {"units": [n.township.id]}, format="json")
    assert r.status_code == 201 and [a["unit"]["id"] for a in r.json()] == [n.township.id]
    township_a = r.json()[0]["id"]
    # A township passes down only to its own villages.
    r = api("township_staff").post(f"{BASE}/assignments/{township_a}/pass-down", {"units": [n.far_village.id]}, format="json")
    assert r.status_code == 400 and "units" in r.json()["errors"]
    r = api("township_staff").post(f"{BASE}/assignments/{township_a}/pass-down", {}, format="json")
    assert r.status_code == 201 and {a["unit"]["id"] for a in r.json()} == {n.village.id, n.other_village.id}
    village_a = next(a["id"] for a in r.json() if a["unit"]["id"] == n.village.id)
    c = api("village_clerk")
    r = c.post(f"{BASE}/assignments/{village_a}/complete", {}, format="json")
    assert r.status_code == 400 and "attendance" in r.json()["errors"]
    r = c.post(f"{BASE}/assignments/{village_a}/attendance", {"attendees": ["other_village_clerk"], "day": "2026-03-11"}, format="json")
    assert r.status_code == 400 and "attendees" in r.json()["errors"]
    r = c.post(f"{BASE}/assignments/{village_a}/attendance", {"attendees": ["nobody"], "day": "2026-03-11"}, format="json")
    assert r.status_code == 400 and "attendees" in r.json()["errors"]
    r = c.post(f"{BASE}/assignments/{village_a}/attendance", {"attendees": ["village_clerk", "village_clerk2"], "day": "2026-03-11"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == Status.IN_PROGRESS
    assert {x["user"]["username"] for x in r.json()["attendance"]} == {"village_clerk", "village_clerk2"}
    r = c.post(f"{BASE}/assignments/{village_a}/complete", {"note": "好"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == Status.DONE
    detail = api("township_staff").get(f"{BASE}/tasks/{task.pk}").json()
    levels = {lv["level"]: lv for lv in detail["levels"]}
    assert levels[Level.VILLAGE]["done"] == 1 and [u["name"] for u in levels[Level.VILLAGE]["not_started_units"]] == ["乙村"]
    assert api("township_staff").get(f"{BASE}/assignments/{township_a}").json()["children"][0]["unit"]["id"] == n.village.id


def test_refusals_per_role(api, network, cascaded, task):
    n = network
    village_a = cascaded["village"].pk
    before = training_snapshot()
    # Seen but not theirs to act on: 403.
    assert api("township_staff").post(f"{BASE}/assignments/{village_a}/complete", {}, format="json").status_code == 403
    assert api("county_commander").post(f"{BASE}/assignments/{village_a}/attendance", {"attendees": ["village_clerk"], "day": "2026-03-11"}, format="json").status_code == 403
    assert api("township_staff").post(f"{BASE}/tasks/{task.pk}/assign", {}, format="json").status_code == 403
    # Not seen: 404.
    for who in ("other_village_clerk", "far_clerk", "supervisor"):
        assert api(who).get(f"{BASE}/assignments/{village_a}").status_code == 404
        assert api(who).post(f"{BASE}/assignments/{village_a}/complete", {}, format="json").status_code == 404
    assert api("supervisor").get(f"{BASE}/tasks/{task.pk}").status_code == 404
    assert api("village_clerk").get(f"{BASE}/assignments/{cascaded['township'].pk}").status_code == 404
    # No credentials: 401.
    for url in (f"{BASE}/tasks", f"{BASE}/tasks/{task.pk}", f"{BASE}/assignments/{village_a}"):
        assert api(None).get(url).status_code == 401
    assert api(None).post(f"{BASE}/assignments/{village_a}/complete", {}, format="json").status_code == 401
    assert training_snapshot() == before


def test_another_county_is_not_found(api, network, cascaded, task):
    other = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", ref_prefix="LX")
    network.users["neighbour"] = net.staff_create(username="neighbour", full_name="邻指挥", unit=other, role=Role.COMMANDER)
    c = api("neighbour")
    assert c.get(f"{BASE}/tasks/{task.pk}").status_code == 404
    assert c.post(f"{BASE}/tasks/{task.pk}/assign", {}, format="json").status_code == 404
    assert c.get(f"{BASE}/assignments/{cascaded['village'].pk}").status_code == 404
    assert c.get(f"{BASE}/tasks").json()["results"] == []
