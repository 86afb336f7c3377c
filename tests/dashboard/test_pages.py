"""The dashboard pages: drill-down links lead to lists with as many rows as the figure says,
to the dashboards one level down, access by level, charts beside their tables."""
import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from huiying.network import services as net
from huiying.network.models import Level, Role

LIST_LINK = re.compile(r'<a href="(/concerns/\?[^"]+)">(\d+)</a>')
DASH_LINK = re.compile(r'<a href="(/dashboard/units/(\d+)/\?[^"]+)">([^<]+)</a>')


def page(client, unit, **params):
    r = client.get(reverse("dashboard:unit", args=[unit.pk]), params)
    assert r.status_code == 200
    return r.content.decode()


def list_count(client, url) -> int:
    r = client.get(html.unescape(url))
    assert r.status_code == 200
    p = r.context["page"]
    assert len(p.object_list) == min(p.paginator.count, 25)
    return p.paginator.count


def test_every_number_leads_to_a_list_of_that_many_concerns(history, network, login):
    c = login("county_commander")
    for unit in (network.county, network.township, network.village, network.point):
        links = LIST_LINK.findall(page(c, unit))
        assert links, unit.name
        for url, shown in links:
            assert list_count(c, url) == int(shown), (unit.name, html.unescape(url))


def test_drill_down_county_to_hamlet_point(history, network, login):
    c = login("county_commander")
    unit, trail = network.county, []
    for expected_child in (network.township, network.village, network.point):
        body = page(c, unit)
        children = {int(pk): (url, name) for url, pk, name in DASH_LINK.findall(body)}
        assert expected_child.pk in children, (unit.name, children)
        url, name = children[expected_child.pk]
        assert name == expected_child.name
        r = c.get(html.unescape(url))
        assert r.status_code == 200
        counts = r.context["totals"]
        assert {k: getattr(counts, k) for k in ("concerns", "resolved", "pending", "other", "overdue")} == history.counts(expected_child)
        trail.append(expected_child.name)
        unit = expected_child
    assert trail == ["城中镇", "甲村", "甲一屯回应点"]


def test_the_period_goes_along_with_every_link(history, network, login):
    c = login("county_commander")
    body = page(c, network.county, period="custom", **{"from": "2026-01-01", "to": "2026-01-31"})
    assert "2026-01-01" in body
    for url, _shown in LIST_LINK.findall(body):
        q = parse_qs(urlparse(html.unescape(url)).query)
        assert q["date_from"] == ["2026-01-01"] and q["date_to"][0] <= "2026-01-31"
    counts = c.get(reverse("dashboard:unit", args=[network.county.pk]), {"from": "2026-01-01", "to": "2026-01-31"}).context["totals"]
    assert counts.concerns == 2  # the two received on 5 January at the hamlet point


def test_access_by_level(history, network, login):
    n = network
    c = login("township_staff")
    assert c.get(reverse("dashboard:unit", args=[n.township.pk])).status_code == 200
    assert c.get(reverse("dashboard:unit", args=[n.village.pk])).status_code == 200
    assert c.get(reverse("dashboard:unit", args=[n.county.pk])).status_code == 403
    assert c.get(reverse("dashboard:unit", args=[n.other_township.pk])).status_code == 403
    assert c.get(reverse("dashboard:rankings", args=[n.county.pk])).status_code == 403
    other = net.unit_create(level=Level.COUNTY, parent=None, name="别县", code="459800000000", ref_prefix="BX")
    for who in ("township_staff", "county_commander"):
        c = login(who)
        assert c.get(reverse("dashboard:unit", args=[other.pk])).status_code == 404
        assert c.get(reverse("dashboard:unit", args=[999999])).status_code == 404
    assert login("village_clerk").get(reverse("dashboard:unit", args=[n.township.pk])).status_code == 403
    c.logout()
    assert c.get(reverse("dashboard:unit", args=[n.county.pk])).status_code == 302  # to sign in


def test_confidential_counted_but_listed_only_for_those_who_may_see_it(history, network, login):
    # 甲村's confidential concern is handled by 赵值班 (village_clerk2): the township counts it
    # (as unit_stats does), its list does not show it; the county HQ sees it in both.
    n = network
    for who, listed in (("county_commander", 3), ("township_staff", 2), ("village_clerk2", 3)):
        c = login(who)
        body = page(c, n.village)
        r = c.get(reverse("dashboard:unit", args=[n.village.pk]))
        own = next(row for row in r.context["children"] if row["own"])
        assert own["counts"].pending == 3
        pending_url = own["cells"][2].url
        assert list_count(c, pending_url) == listed, who
        assert "confidential" in body or "涉密" in body or "保密" in body


def test_every_chart_has_its_table(history, network, login):
    body = page(login("county_commander"), network.county)
    blocks = body.split('<div class="chart-and-table">')[1:]
    assert len(blocks) == 5  # sub-units, function, track, channel, month
    for block in blocks:
        block = block.split("</section>")[0]
        assert "<svg" in block and "<table" in block
        # Every bar's figure is in the table too.
        for value in re.findall(r"<title>[^<]*?(\d+)</title>", block):
            assert f">{value}<" in block


def test_the_rates_are_on_the_page_and_the_workload_loads_after_it(history, network, login):
    c = login("county_commander")
    body = page(c, network.county)
    assert "办结率" in body and "4/13" in body
    assert reverse("dashboard:workload", args=[network.county.pk]) in body and 'hx-trigger="load"' in body
    part = c.get(reverse("dashboard:workload", args=[network.county.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "工作量分布" in part and "<html" not in part
    full = c.get(reverse("dashboard:workload", args=[network.county.pk])).content.decode()
    assert "<html" in full and "工作量分布" in full
    # Supervisors read the figures and the rates but not people's workload.
    sup = login("supervisor")
    village = page(sup, network.village)
    assert "办结率" in village and reverse("dashboard:workload", args=[network.village.pk]) not in village
    assert "工作量分布" not in sup.get(reverse("dashboard:workload", args=[network.village.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert login("township_staff").get(reverse("dashboard:workload", args=[network.county.pk])).status_code == 403


def test_nav_and_home_link_the_dashboard(history, network, login):
    for who, unit in (("county_commander", network.county), ("township_staff", network.township), ("dept_liaison", network.department)):
        c = login(who)
        home = c.get(reverse("web:home")).content.decode()
        assert reverse("dashboard:mine") in home
        r = c.get(reverse("dashboard:mine"))
        assert r.status_code == 302 and r.url == reverse("dashboard:unit", args=[unit.pk])
    assert reverse("dashboard:mine") not in login("village_clerk").get(reverse("web:home")).content.decode()


def test_department_dashboard_counts_what_was_dispatched_to_it(history, network, login):
    from huiying.concerns import services as cs
    from helpers import act, drive, register

    n = network
    c = drive(n, register(n, unit=n.township), "analysis")
    act(cs.concern_escalate, actor=n.county_commander, concern=c, to_unit=n.department, reason="需部门办理")
    r = login("dept_liaison").get(reverse("dashboard:unit", args=[n.department.pk]))
    assert r.status_code == 200
    assert r.context["totals"].concerns == 1 and r.context["totals"].pending == 1


def test_queue_filters_by_outcome_and_receiving_scope(history, network, login):
    c = login("county_commander")

    def count(**params):
        r = c.get(reverse("web:concerns"), {"date_from": "2026-01-01", "date_to": "2026-12-31", **params})
        assert r.status_code == 200
        return r.context["page"].paginator.count

    n = network
    assert count(unit=n.village.pk, received="here", outcome="pending") == history.counts(n.village, here=True)["pending"] == 3
    assert count(unit=n.village.pk, received="subtree") == history.counts(n.village)["concerns"]
    assert count(unit=n.point.pk, received="subtree", outcome="other") == 1
    assert count(unit=n.far_village.pk, received="subtree", outcome="other") == 1
    assert count(unit=n.county.pk, received="subtree", outcome="resolved") == 4
    # The escalated concern: handled at the township, received at 乙村 — "received or handled
    # there" (the default) lists it for the township; "received at the township itself" does not.
    assert count(unit=n.township.pk, received="here") == 1
    assert count(unit=n.township.pk) == history.counts(n.township)["concerns"]
    # A bad value is dropped (with its error), never widened beyond what the user sees.
    r = c.get(reverse("web:concerns"), {"unit": n.village.pk, "received": "subtree", "outcome": "bogus"})
    assert r.context["form"].errors.get("outcome")
