"""The public unit page, the board and its archive, the objection form; the staff pages."""
import datetime as dt

import pytest
from django.urls import reverse

from huiying.board.models import Objection
from huiying.concerns.models import State
from huiying.core import clock
from huiying.network import services as net
from huiying.network.models import DutyShift, Level, Membership
from helpers import fresh

from .conftest import resolved, solve

D = dt.timedelta


def _page(client, name, *args, status=200, **query):
    r = client.get(reverse(name, args=args), query)
    assert r.status_code == status, (name, args, r.status_code)
    return r.content.decode() if status == 200 else r


def test_unit_page_of_every_tier_and_a_department(client, network, now):
    network.village.address, network.village.phone, network.village.opening_hours = "甲村村委会一楼", "0771-8880001", "周一至周五 8:00-12:00"
    network.village.rules = "来访必登记，登记必回应。"
    network.village.save()
    Membership.objects.filter(user=network.village_clerk).update(phone="13912340000")
    DutyShift.objects.create(unit=network.village, user=network.village_clerk, day=now.date())
    html = _page(client, "board:unit", network.village.pk)
    for text in ("甲村", "甲村村委会一楼", "0771-8880001", "周一至周五", "来访必登记", "张值班", "值班员", "城中镇"):
        assert text in html, text
    assert "13912340000" not in html  # staff phones are not public
    for name, args in (("selfservice:submit", [network.village.pk]), ("selfservice:box", [network.village.pk]), ("selfservice:track", [])):
        assert reverse(name, args=args) in html
    for unit in (network.county, network.township, network.point):
        assert unit.name in _page(client, "board:unit", unit.pk)
    dept = _page(client, "board:unit", network.department.pk)
    assert "民政局" in dept and reverse("selfservice:submit", args=[network.department.pk]) not in dept


def test_unknown_unit_is_404_and_another_countys_is_public(client, network):
    _page(client, "board:unit", 999999, status=404)
    _page(client, "board:board", 999999, status=404)
    other = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", ref_prefix="LX")
    assert "邻县" in _page(client, "board:unit", other.pk)


def test_board_current_and_archive(client, network, posted, now):
    html = _page(client, "board:board", network.village.pk)
    assert "村道坑洼" in html and "已更换路灯" in html and html.count(reverse("board:object", args=[network.village.pk, posted.items.first().pk]))
    # The unit page shows the current board too, and the township's board its villages'.
    assert "村道坑洼" in _page(client, "board:unit", network.village.pk)
    assert "村道坑洼" in _page(client, "board:board", network.township.pk)
    assert "村道坑洼" not in _page(client, "board:board", network.other_village.pk)
    with clock.frozen(now + D(days=10)):
        html = _page(client, "board:board", network.village.pk)
        assert "村道坑洼" not in html.split("<h2>")[0]
        month = posted.period_end.strftime("%Y-%m")
        assert f"?month={month}" in html
        archived = _page(client, "board:board", network.village.pk, month=month)
        assert "村道坑洼" in archived and "/object/" not in archived


def test_a_villager_objects_from_the_board(client, network, posted, now):
    item = posted.items.order_by("id").first()
    url = reverse("board:object", args=[network.village.pk, item.pk])
    form = client.get(url).content.decode()
    assert "村道坑洼" in form
    r = client.post(url, {"reason": "坑还在", "phone": "", **solve(form)})
    assert r.status_code == 302 and r["Location"] == reverse("board:objected", args=[network.village.pk])
    assert fresh(item.concern).state == State.ON_SITE
    assert Objection.objects.get().reason == "坑还在"
    assert "村道坑洼" not in _page(client, "board:board", network.village.pk)
    # A result no longer on the board is not found.
    assert client.get(url).status_code == 404


def test_objection_form_errors(client, network, posted, now):
    item = posted.items.first()
    url = reverse("board:object", args=[network.village.pk, item.pk])
    form = client.get(url).content.decode()
    r = client.post(url, {"reason": "坑还在", **solve(form), "answer": "99"})
    assert r.status_code == 200 and 'class="error" role="alert"' in r.content.decode() and not Objection.objects.exists()
    r = client.post(url, {"reason": "", **solve(form)})
    assert r.status_code == 200 and not Objection.objects.exists()
    with clock.frozen(now + D(days=6)):
        html = client.get(url).content.decode()
        assert "<form" not in html.split("</header>")[1].split("<footer")[0].replace('class="inline lang"', "")
        r = client.post(url, {"reason": "坑还在", **solve(form)})
        assert r.status_code == 200 and not Objection.objects.exists()
        assert fresh(item.concern).state == State.POSTED
    # Another unit's page does not reach this item.
    assert client.get(reverse("board:object", args=[network.other_village.pk, item.pk])).status_code == 404


def test_objection_form_is_rate_limited(client, network, posted, settings):
    settings.HUIYING_ABUSE_LIMITS = {**settings.HUIYING_ABUSE_LIMITS, "object": (2, 600)}
    item = posted.items.first()
    url = reverse("board:object", args=[network.village.pk, item.pk])
    codes = [client.post(url, {"reason": ""}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_staff_post_a_batch_from_the_page(client, network, login, now):
    a = resolved(network, summary="水渠清淤")
    login("village_clerk")
    url = reverse("board:post_batch", args=[network.village.pk])
    html = client.get(url).content.decode()
    assert "水渠清淤" in html
    today = now.date()
    r = client.post(url, {"concerns": [a.pk], "period_start": today, "period_end": today + D(days=7), "objection_until": today + D(days=3)})
    assert r.status_code == 302
    assert fresh(a).state == State.POSTED
    r = client.post(url, {"concerns": [], "period_start": today, "period_end": today, "objection_until": today})
    assert r.status_code == 200
    # One click from the staff unit page.
    assert url in client.get(reverse("web:unit", args=[network.village.pk])).content.decode()


@pytest.mark.parametrize("username", ["supervisor", "far_clerk", "dept_liaison"])
def test_staff_pages_are_not_found_for_others(client, network, login, username):
    login(username)
    assert client.get(reverse("board:post_batch", args=[network.village.pk])).status_code == 404
    if username != "supervisor":
        assert client.get(reverse("board:objections", args=[network.village.pk])).status_code == 404


def test_staff_see_objections(client, network, posted, login, now):
    from huiying.board.services import board_object

    board_object(item=posted.items.first(), reason="结果不实", phone="13900002222")
    client.logout()
    assert client.get(reverse("board:objections", args=[network.village.pk])).status_code == 302
    login("township_staff")
    html = client.get(reverse("board:objections", args=[network.village.pk])).content.decode()
    assert "结果不实" in html and "13900002222" in html
    login("village_clerk")
    concern = posted.items.first().concern
    assert "结果不实" in client.get(reverse("web:concern", args=[concern.reference])).content.decode()


def test_home_offers_clerks_the_batch_when_results_wait(client, network, login, now):
    login("village_clerk")
    url = reverse("board:post_batch", args=[network.village.pk])
    assert url not in client.get(reverse("web:home")).content.decode()
    resolved(network, summary="水渠清淤")
    assert url in client.get(reverse("web:home")).content.decode()
    login("supervisor")
    assert url not in client.get(reverse("web:home")).content.decode()
