"""The roster page per role: who reads it, who gets the forms, what a swap does to the
staff home page, and bad input shown next to its field with nothing written."""
import datetime as dt

import pytest

from huiying.network import services as net
from huiying.network.models import DutyShift
from huiying.rota.models import Swap
from huiying.rota.services import roster_generate

from .conftest import snap

URL = "/rota/units/{pk}/{month}/"


@pytest.mark.parametrize("who, manage", [
    ("village_clerk", True), ("township_staff", True), ("county_commander", True), ("county_admin", True),
    ("supervisor", False), ("far_clerk", False), ("dept_liaison", False), ("hamlet_clerk", False),
])
def test_the_roster_page_per_role(login, network, now, who, manage):
    n = network
    roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    r = login(who).get(URL.format(pk=n.village.pk, month="2026-04"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "张值班" in html and "赵值班" in html and html.count('class="day') == 30
    assert ("/rota/units/%d/2026-04/generate/" % n.village.pk in html) == manage
    assert ("swap-to_user" in html) == manage


def test_anonymous_and_other_county_and_bad_months(client, login, network, now):
    n = network
    r = client.get(URL.format(pk=n.village.pk, month="2026-04"))
    assert r.status_code == 302 and "/login/" in r["Location"]
    c = login("village_clerk")
    assert c.get(URL.format(pk=n.village.pk, month="2026-4")).status_code == 404
    assert c.get(URL.format(pk=n.village.pk, month="2026-13")).status_code == 404
    other = net.unit_create(level="county", parent=None, name="邻县", ref_prefix="LX")
    assert c.get(URL.format(pk=other.pk, month="2026-04")).status_code == 404
    assert c.get(f"/rota/units/{n.village.pk}/").status_code == 302


def test_generate_and_swap_through_the_page_and_the_home_page_shows_the_new_person(login, network, now):
    n = network
    c = login("village_clerk")
    r = c.post(URL.format(pk=n.village.pk, month="2026-03") + "generate/")
    assert r.status_code == 302
    tomorrow = dt.date(2026, 3, 12)
    giver = DutyShift.objects.get(unit=n.village, day=tomorrow).user
    taker = n.village_clerk2 if giver == n.village_clerk else n.village_clerk
    r = c.post(URL.format(pk=n.village.pk, month="2026-03") + "swap/", {"swap-day": "2026-03-12", "swap-from_user": giver.pk, "swap-to_user": taker.pk, "swap-reason": "换休"})
    assert r.status_code == 302 and Swap.objects.get().to_user == taker
    page = c.get(URL.format(pk=n.village.pk, month="2026-03")).content.decode()
    assert f"{giver.first_name} 交给 {taker.first_name}" in page
    # Today's person is on the home page; after a swap of today, the new one is.
    today_person = DutyShift.objects.get(unit=n.village, day=now.date()).user if DutyShift.objects.filter(unit=n.village, day=now.date()).exists() else None
    if today_person is None:
        net.duty_shift_add(unit=n.village, user=n.village_clerk, day=now.date())
        today_person = n.village_clerk
    other = n.village_clerk2 if today_person == n.village_clerk else n.village_clerk
    c.post(URL.format(pk=n.village.pk, month="2026-03") + "swap/", {"swap-day": "2026-03-11", "swap-from_user": today_person.pk, "swap-to_user": other.pk})
    assert list(DutyShift.objects.filter(unit=n.village, day=now.date()).values_list("user", flat=True)) == [other.pk]
    assert other.first_name in login("village_clerk").get("/").content.decode()


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_written(login, network, now):
    n = network
    roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    c = login("village_clerk")
    day = dt.date(2026, 4, 10)
    on = DutyShift.objects.get(unit=n.village, day=day).user
    before = snap()
    r = c.post(URL.format(pk=n.village.pk, month="2026-04") + "swap/", {"swap-day": "2026-04-10", "swap-from_user": on.pk, "swap-to_user": on.pk})
    assert r.status_code == 400 and "已在" in r.content.decode()  # already on duty that day
    r = c.post(URL.format(pk=n.village.pk, month="2026-02") + "generate/")
    assert r.status_code == 400 and 'role="alert"' in r.content.decode()
    assert snap() == before


def test_those_who_may_not_manage_are_refused(login, network, now):
    n = network
    before = snap()
    r = login("supervisor").post(URL.format(pk=n.village.pk, month="2026-04") + "generate/")
    assert r.status_code == 400 and "不在您负责的范围内" in r.content.decode()
    assert snap() == before


def test_the_unit_page_links_to_the_roster(login, network, now):
    html = login("village_clerk").get(f"/units/{network.village.pk}/").content.decode()
    assert f"/rota/units/{network.village.pk}/" in html
