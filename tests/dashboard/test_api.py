"""GET /api/v1/units/<pk>/dashboard: the page's figures as JSON, with the API's access rules
(allowed / 403 / 404 / 401) and bad input named by field."""
import datetime as dt

from django.urls import reverse

from huiying.network import services as net
from huiying.network.models import Level

KEYS = ("concerns", "resolved", "pending", "other", "overdue")


def url(unit_pk):
    return reverse("api:dashboard-unit", args=[unit_pk])


def test_figures_match_the_ledger_at_every_level(history, network, api):
    c = api("county_commander")
    for unit in (network.county, network.township, network.village, network.point):
        r = c.get(url(unit.pk))
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["totals"] == history.counts(unit)
        assert body["visitors"] == history.visitors_in(unit)
        for child in body["children"]:
            assert child["counts"]["concerns"] == child["counts"]["resolved"] + child["counts"]["pending"] + child["counts"]["other"]
        assert sum(ch["counts"]["concerns"] for ch in body["children"]) in (0, body["totals"]["concerns"])
    body = c.get(url(network.county.pk)).json()
    assert body["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert [ch["unit"]["name"] for ch in body["children"]] == ["城中镇", "明江镇", "测试县"]
    assert {r["key"] for r in body["rankings"]} == {"overdue_share", "response", "resolution", "satisfaction"}
    rates = {r["key"]: r for r in body["rates"]}
    # Resolution: 4 of the 13 concerns received this year are resolved (the ledger).
    assert (rates["resolution"]["numerator"], rates["resolution"]["denominator"]) == (4, 13)
    assert body["workload"][0]["unit"] == "测试县"


def test_period(history, network, api):
    r = api("county_commander").get(url(network.county.pk), {"from": "2026-01-01", "to": "2026-01-31"})
    assert r.status_code == 200
    assert r.json()["totals"]["concerns"] == 2


def test_bad_period_is_a_400_naming_the_field(network, api, now):
    c = api("county_commander")
    r = c.get(url(network.county.pk), {"from": "2026-03-01"})
    assert r.status_code == 400 and "to" in r.json()["errors"]
    r = c.get(url(network.county.pk), {"from": "2026-03-01", "to": "2026-02-01"})
    assert r.status_code == 400 and "to" in r.json()["errors"]
    r = c.get(url(network.county.pk), {"from": "not-a-date", "to": "2026-02-01"})
    assert r.status_code == 400 and "from" in r.json()["errors"]


def test_roles(network, api, now):
    n = network
    assert api("township_staff").get(url(n.township.pk)).status_code == 200
    assert api("township_staff").get(url(n.village.pk)).status_code == 200
    assert api("township_staff").get(url(n.county.pk)).status_code == 403
    assert api("township_staff").get(url(n.other_township.pk)).status_code == 403
    assert api("dept_liaison").get(url(n.department.pk)).status_code == 200
    assert api(None).get(url(n.county.pk)).status_code == 401
    other = net.unit_create(level=Level.COUNTY, parent=None, name="别县", code="459800000000", ref_prefix="BX")
    assert api("county_commander").get(url(other.pk)).status_code == 404
    assert api("county_commander").get(url(987654)).status_code == 404
