"""Rankings respect the minimum number of concerns; unranked units are listed with the reason."""
from django.test import override_settings
from django.urls import reverse

from huiying.dashboard import rankings

from .conftest import TODAY


def overdue_ranking(user, unit, minimum):
    rs = rankings.unit_rankings(user, unit, start=None, end=None, minimum=minimum, today=TODAY)
    return next(r for r in rs if r.key == "overdue_share")


def test_minimum_is_respected(history, network):
    n = network
    # 城中镇 received 10 concerns this year, 明江镇 2 (the ledger says so).
    assert history.counts(n.township)["concerns"] == 10 and history.counts(n.other_township)["concerns"] == 2
    r = overdue_ranking(n.county_commander, n.county, 5)
    assert [(x["place"], x["unit"].name) for x in r.ranked] == [(1, "城中镇")]
    assert [(x["unit"].name, x["concerns"]) for x in r.unranked] == [("明江镇", 2)]
    assert "5" in r.unranked[0]["reason"]
    r = overdue_ranking(n.county_commander, n.county, 1)
    # Lower is better: 明江镇 0 of 2 overdue, 城中镇 1 of 10.
    assert [(x["place"], x["unit"].name, x["value"]) for x in r.ranked] == [(1, "明江镇", 0.0), (2, "城中镇", 10.0)]
    assert r.unranked == []


def test_rates_too_few_to_rate_are_listed_apart(history, network):
    rs = {r.key: r for r in rankings.unit_rankings(network.county_commander, network.county, start=None, end=None, minimum=1, today=TODAY)}
    # Nobody rated enough concerns in the fixture: satisfaction ranks no one, each says why.
    assert rs["satisfaction"].ranked == []
    assert {x["unit"].name for x in rs["satisfaction"].unranked} == {"城中镇", "明江镇"}
    assert all(x["reason"] for x in rs["satisfaction"].unranked)
    # Resolution: 城中镇 3 of 10 resolved, 明江镇 1 of 2 (unless supervision's minimum hides them).
    for x in rs["resolution"].ranked:
        assert x["value"] == {"城中镇": 30.0, "明江镇": 50.0}[x["unit"].name]


def test_ties_share_a_place():
    class U:
        def __init__(self, i):
            self.id = i
    rows = [{"unit": U(i), "value": v} for i, v in enumerate([5.0, 1.0, 1.0, 9.0])]
    assert [r["place"] for r in rankings._place(rows, False)] == [1, 1, 3, 4]


@override_settings(HUIYING_DASHBOARD_RANK_MIN_CONCERNS=3)
def test_page_shows_the_minimum_and_the_unranked(history, network, login):
    c = login("county_commander")
    body = c.get(reverse("dashboard:rankings", args=[network.county.pk])).content.decode()
    assert 'value="3"' in body
    assert "明江镇：2件关切，少于最低3件" in body.replace(": ", "：")
    body = c.get(reverse("dashboard:rankings", args=[network.county.pk]), {"min": "1"}).content.decode()
    assert "少于最低" not in body.split("超期占比")[1].split("</section>")[0]
    assert rankings.minimum_from("abc") == 3 and rankings.minimum_from("0") == 1
