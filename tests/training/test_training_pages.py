"""The training pages per role: the county creates and assigns, a township passes down, a
village records attendance and marks its session done; refusals show next to the field and
write nothing; what a reader may not see is not found."""
import datetime as dt

from huiying.network import services as net
from huiying.network.models import Level, Role
from huiying.training import services as ts
from huiying.training.models import Attendance, Status, TrainingAssignment, TrainingTask

from .conftest import training_snapshot


def test_county_creates_and_assigns(network, now, login):
    n = network
    c = login("county_commander")
    assert "/training/new/" in c.get("/training/").content.decode()
    r = c.post("/training/new/", {"title": "x", "due_date": "2026-03-01"})
    assert r.status_code == 400 and TrainingTask.objects.count() == 0
    html = r.content.decode()
    assert "日期已过" in html or "过去" in html
    r = c.post("/training/new/", {"title": "调解技巧培训", "due_date": "2026-04-30", "link": "https://example.org/a"})
    task = TrainingTask.objects.get()
    assert r.status_code == 302 and r.url == f"/training/{task.pk}/"
    page = c.get(r.url).content.decode()
    assert "分配给乡镇" in page
    r = c.post(f"/training/{task.pk}/assign/", {"units": [n.township.pk]})
    assert r.status_code == 302
    assert list(TrainingAssignment.objects.values_list("unit_id", flat=True)) == [n.township.id]
    page = c.get(f"/training/{task.pk}/").content.decode()
    assert f'data-unit="{n.township.pk}" data-status="not_started"' in page
    assert "明江镇" in page  # still offered


def test_township_cannot_create(network, now, login):
    c = login("township_staff")
    assert "/training/new/" not in c.get("/training/").content.decode()
    assert c.get("/training/new/").status_code == 404


def test_township_passes_down_and_village_records(network, cascaded, task, login):
    n = network
    c = login("township_staff")
    page = c.get(f"/training/assignments/{cascaded['township'].pk}/").content.decode()
    assert "下发" in page or "Pass down" in page
    # Both villages already have it: nothing left to pass down from 城中镇.
    assert f"/training/assignments/{cascaded['township'].pk}/pass-down/" not in page
    c = login("village_clerk")
    url = f"/training/assignments/{cascaded['village'].pk}/"
    before = training_snapshot()
    r = c.post(url + "attendance/", {"attendees": [n.village_clerk.pk], "day": "2026-03-12"})
    assert r.status_code == 400 and training_snapshot() == before
    assert "未来" in r.content.decode()
    r = c.post(url + "complete/", {"note": ""})
    assert r.status_code == 400 and training_snapshot() == before
    assert "签到" in r.content.decode() or "参加" in r.content.decode()
    r = c.post(url + "attendance/", {"attendees": [n.village_clerk.pk, n.village_clerk2.pk], "day": "2026-03-11"})
    assert r.status_code == 302
    assert Attendance.objects.filter(assignment=cascaded["village"]).count() == 2
    page = c.get(url).content.decode()
    assert f'data-attendee="{n.village_clerk2.pk}"' in page
    assert c.post(url + "complete/", {"note": "全员参加"}).status_code == 302
    assert TrainingAssignment.objects.get(pk=cascaded["village"].pk).status == Status.DONE
    # The township's tree shows it done and names who has not started.
    c = login("township_staff")
    tree = c.get(f"/training/{task.pk}/").content.decode()
    assert f'data-unit="{n.village.pk}" data-status="done"' in tree
    assert "乙村" in tree[tree.index("not-started"):]


def test_village_clerk_cannot_act_for_other_units(network, cascaded, login):
    n = network
    c = login("village_clerk")
    assert c.get(f"/training/assignments/{cascaded['other_village'].pk}/").status_code == 404
    assert c.post(f"/training/assignments/{cascaded['other_village'].pk}/complete/", {}).status_code == 404
    # The township's assignment is above the clerk: not found either.
    assert c.get(f"/training/assignments/{cascaded['township'].pk}/").status_code == 404
    # The township sees the village's page but has no forms there.
    c = login("township_staff")
    page = c.get(f"/training/assignments/{cascaded['village'].pk}/").content.decode()
    assert "/attendance/" not in page
    before = training_snapshot()
    r = c.post(f"/training/assignments/{cascaded['village'].pk}/attendance/", {"attendees": [n.village_clerk.pk], "day": "2026-03-11"})
    assert r.status_code == 400 and training_snapshot() == before


def test_other_county_and_supervisor_not_found(network, cascaded, task, login, client):
    c = login("supervisor")
    assert c.get(f"/training/{task.pk}/").status_code == 404
    other = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", ref_prefix="LX")
    stranger = net.staff_create(username="neighbour", full_name="邻指挥", unit=other, role=Role.COMMANDER)
    client.force_login(stranger)
    assert client.get(f"/training/{task.pk}/").status_code == 404
    assert client.post(f"/training/{task.pk}/assign/", {"units": []}).status_code == 404
    assert client.get(f"/training/assignments/{cascaded['village'].pk}/").status_code == 404
    assert task.title not in client.get("/training/").content.decode()


def test_overdue_flagged(network, cascaded, task, login):
    from huiying.core import clock
    from django.utils import timezone

    c = login("county_commander")
    with clock.frozen(timezone.make_aware(dt.datetime(2026, 4, 2, 9, 0))):
        r = c.get(f"/training/{task.pk}/")
        tree = r.content.decode()
        assert r.status_code == 200, tree[-3000:]
        assert "已超期" in tree
        c = login("village_clerk")
        assert "已超期" in c.get("/training/").content.decode()
