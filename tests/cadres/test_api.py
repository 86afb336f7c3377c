"""Cadres' visit endpoints × roles: allowed, 403, 404 (another county, an unseen concern), 401."""
import datetime as dt

import pytest

from huiying.cadres.models import CadreVisit, VisitStatus
from huiying.cadres.services import cadre_visit_book
from huiying.core import clock
from huiying.network import services as net
from huiying.network.models import Level, Role
from huiying.records.models import RecordEntry

from helpers import register

from .conftest import snap

URL = "/api/v1/cadre-visits"


@pytest.fixture
def world(network, now):
    n = network
    n.concern = register(n, actor=n.village_clerk, summary="宅基地纠纷")
    n.secret = register(n, actor=n.village_clerk, track="confidential", confidential=True, summary="家事")
    n.elsewhere = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", ref_prefix="LX")
    n.elsewhere_village = net.unit_create(level=Level.VILLAGE, parent=net.unit_create(level=Level.TOWNSHIP, parent=n.elsewhere, name="某镇"), name="某村")
    n.users["elsewhere_commander"] = net.staff_create(username="elsewhere_commander", full_name="外县", unit=n.elsewhere, role=Role.COMMANDER)
    n.visit = cadre_visit_book(actor=n.county_commander, unit=n.village, date=dt.date(2026, 3, 12), purpose="了解纠纷", concerns=[n.concern], title="副指挥长")
    return n


def body(n, **kw):
    return {"unit": n.village.pk, "date": "2026-03-13", "purpose": "回访", "title": "副局长", "concerns": [n.concern.reference], **kw}


@pytest.mark.parametrize("who, expected", [
    ("county_commander", 201), ("county_admin", 201), ("township_staff", 201),
    ("village_clerk", 403), ("supervisor", 403), ("other_township_staff", 403), ("far_clerk", 403), ("elsewhere_commander", 404),
])
def test_booking_per_role(api, world, who, expected):
    before = snap()
    r = api(who).post(URL, body(world), format="json")
    assert r.status_code == expected, r.json()
    if expected == 201:
        assert r.json()["concerns"][0]["reference"] == world.concern.reference and r.json()["status"] == "booked"
    else:
        assert list(r.json()["errors"]) == ["unit"] and snap() == before


def test_booking_bad_input(api, world):
    n = world
    before = snap()
    c = api("county_commander")
    for bad, field, code in [
        ({"date": "2026-03-10"}, "date", 400),
        ({"purpose": ""}, "purpose", 400),
        ({"concerns": ["CS-2099-999999"]}, "concerns", 404),
        ({"unit": n.elsewhere_village.pk, "concerns": []}, "unit", 404),
        ({"unit": 999999, "concerns": []}, "unit", 404),
    ]:
        r = c.post(URL, body(n, **bad), format="json")
        assert r.status_code == code and list(r.json()["errors"]) == [field], (bad, r.json())
    r = api("dept_liaison").post(URL, body(n, concerns=[n.secret.reference]), format="json")
    assert r.status_code == 404 and list(r.json()["errors"]) == ["concerns"]
    assert snap() == before


def test_listing_and_reading(api, world):
    n = world
    r = api("village_clerk").get(URL + f"?unit={n.village.pk}&upcoming=true")
    assert r.status_code == 200 and [v["id"] for v in r.json()["results"]] == [n.visit.id]
    assert r.json()["results"][0]["purpose"] == "了解纠纷"
    assert api("far_clerk").get(URL).json()["results"] == []
    assert api("far_clerk").get(f"{URL}/{n.visit.pk}").status_code == 404
    assert api("village_clerk").get(f"{URL}/{n.visit.pk}").status_code == 200
    assert api("elsewhere_commander").get(URL + f"?unit={n.village.pk}").status_code == 404
    assert api(None).get(URL).status_code == 401
    assert api(None).get(f"{URL}/{n.visit.pk}").status_code == 401


def test_cancel_and_outcome(api, world):
    n = world
    before = snap()
    assert api("village_clerk").post(f"{URL}/{n.visit.pk}/cancel", {"reason": "x"}, format="json").status_code == 403
    assert api("far_clerk").post(f"{URL}/{n.visit.pk}/cancel", {"reason": "x"}, format="json").status_code == 404
    assert api(None).post(f"{URL}/{n.visit.pk}/cancel", {"reason": "x"}, format="json").status_code == 401
    r = api("county_commander").post(f"{URL}/{n.visit.pk}/outcome", {"summary": "done", "outcomes": [{"concern": n.concern.reference, "text": "已调解"}]}, format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["date"]  # tomorrow's visit
    assert snap() == before
    with clock.frozen(dt.datetime(2026, 3, 12, 17, 0)):
        r = api("county_commander").post(f"{URL}/{n.visit.pk}/outcome", {"summary": "done", "outcomes": []}, format="json")
        assert r.status_code == 400 and list(r.json()["errors"]) == [f"outcomes.{n.concern.reference}"]
        r = api("county_commander").post(f"{URL}/{n.visit.pk}/outcome", {"summary": "done", "outcomes": [{"concern": n.concern.reference, "text": "已调解"}]}, format="json")
        assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["concerns"][0]["outcome"] == "已调解"
    assert RecordEntry.objects.get(action="cadres.visit_outcome").concern_id == n.concern.id
    other = cadre_visit_book(actor=n.county_commander, unit=n.village, date=dt.date(2026, 3, 20), purpose="再访")
    r = api("county_commander").post(f"{URL}/{other.pk}/cancel", {"reason": "改期"}, format="json")
    assert r.status_code == 200 and CadreVisit.objects.get(pk=other.pk).status == VisitStatus.CANCELLED
