"""The roster and cadres' visit pages at 390 px: a list of days that fits the phone, a swap
made with the form, a visit booked; nothing wider than the screen."""
import datetime as dt

import pytest

from huiying.cadres.models import CadreVisit
from huiying.core import clock
from huiying.network.models import DutyShift
from huiying.rota.services import roster_generate

from helpers import register


@pytest.mark.django_db(transaction=True)
def test_a_clerk_swaps_a_day_on_a_phone(phone, sign_in, network):
    n = network
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    roster_generate(actor=n.village_clerk, unit=n.village, month=month)
    sign_in(phone, "village_clerk")
    phone.goto(f"/rota/units/{n.village.pk}/{month:%Y-%m}/")
    assert phone.locator(".roster .day").count() >= 28
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    day = month + dt.timedelta(days=9)
    giver = DutyShift.objects.get(unit=n.village, day=day).user
    taker = n.village_clerk2 if giver == n.village_clerk else n.village_clerk
    phone.fill("#id_swap-day", day.isoformat())
    phone.select_option("#id_swap-from_user", str(giver.pk))
    phone.select_option("#id_swap-to_user", str(taker.pk))
    phone.click("text=登记换班")
    phone.wait_for_selector(".msg")
    assert f"{giver.first_name} 交给 {taker.first_name}" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.django_db(transaction=True)
def test_a_commander_books_a_visit_on_a_phone(phone, sign_in, network):
    n = network
    concern = register(n, actor=n.village_clerk, summary="宅基地纠纷")
    sign_in(phone, "county_commander")
    phone.goto(f"/cadre-visits/units/{n.village.pk}/book/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.fill("#id_date", (clock.today() + dt.timedelta(days=2)).isoformat())
    phone.fill("#id_title", "副指挥长")
    phone.fill("#id_purpose", "了解纠纷情况")
    phone.check(f"input[name=concerns][value='{concern.pk}']")
    phone.click("button[type=submit]")
    phone.wait_for_selector(".msg")
    assert CadreVisit.objects.get().concerns.get() == concern
    assert "了解纠纷情况" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
