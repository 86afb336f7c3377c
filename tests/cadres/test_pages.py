"""Cadres' visit pages per role: the unit's list, booking, outcome, cancelling, and the
panels on the staff home and unit pages."""
import datetime as dt

import pytest

from huiying.cadres.models import CadreVisit, VisitStatus
from huiying.cadres.services import cadre_visit_book
from huiying.core import clock
from huiying.network import services as net

from helpers import register

from .conftest import snap

TOMORROW = dt.date(2026, 3, 12)


@pytest.fixture
def world(network, now):
    n = network
    n.concern = register(n, actor=n.village_clerk, summary="宅基地纠纷")
    n.secret = register(n, actor=n.village_clerk, track="confidential", confidential=True, summary="家事保密")
    n.visit = cadre_visit_book(actor=n.county_commander, unit=n.village, date=TOMORROW, purpose="了解宅基地纠纷", concerns=[n.concern], title="副指挥长")
    n.secret_visit = cadre_visit_book(actor=n.county_commander, unit=n.village, date=TOMORROW, purpose="保密事项的目的", concerns=[n.secret])
    return n


@pytest.mark.parametrize("who, sees, books", [
    ("county_commander", True, True), ("county_admin", True, True), ("dept_liaison", True, True), ("township_staff", True, True),
    ("village_clerk", True, False), ("village_clerk2", True, False), ("hamlet_clerk", False, False), ("far_clerk", False, False),
    ("other_township_staff", False, True), ("supervisor", None, False),
])
def test_the_list_per_role(login, world, who, sees, books):
    n = world
    r = login(who).get(f"/cadre-visits/units/{n.village.pk}/")
    if sees is None:  # supervisors have the public view, not the staff list
        assert r.status_code == 404
        return
    assert r.status_code == 200
    html = r.content.decode()
    assert ("副指挥长" in html) == sees
    # The purpose only to those who see the concern it serves (a liaison sees neither).
    assert ("了解宅基地纠纷" in html) == (sees and who != "dept_liaison")
    assert (f"/cadre-visits/units/{n.village.pk}/book/" in html) == (books and who != "other_township_staff")


def test_the_purpose_and_concern_of_a_confidential_visit_stay_hidden(login, world):
    html = login("village_clerk2").get(f"/cadre-visits/units/{world.village.pk}/").content.decode()
    assert "保密事项的目的" not in html and "家事保密" not in html and "了解宅基地纠纷" in html
    html = login("county_commander").get(f"/cadre-visits/units/{world.village.pk}/").content.decode()
    assert "保密事项的目的" in html and "家事保密" in html


def test_booking_through_the_page(login, world):
    n = world
    c = login("township_staff")
    form = c.get(f"/cadre-visits/units/{n.village.pk}/book/?concern={n.concern.reference}")
    assert form.status_code == 200 and "宅基地纠纷" in form.content.decode() and "家事保密" not in form.content.decode()
    r = c.post(f"/cadre-visits/units/{n.village.pk}/book/", {"date": "2026-03-13", "title": "副镇长", "purpose": "回访", "concerns": [n.concern.pk]})
    assert r.status_code == 302
    v = CadreVisit.objects.get(cadre=n.township_staff)
    assert v.cadre_unit == n.township and list(v.concerns.all()) == [n.concern]
    assert login("village_clerk").get(f"/cadre-visits/units/{n.village.pk}/book/").status_code == 404


def test_a_past_date_is_shown_on_its_field_and_nothing_is_written(login, world):
    n = world
    before = snap()
    r = login("county_commander").post(f"/cadre-visits/units/{n.village.pk}/book/", {"date": "2026-03-10", "purpose": "回访"})
    assert r.status_code == 400 and "has-error" in r.content.decode() and "今天或以后" in r.content.decode()
    assert snap() == before


def test_recording_the_outcome_and_cancelling(login, world):
    n = world
    c = login("county_commander")
    assert c.get(f"/cadre-visits/{n.visit.pk}/outcome/").status_code == 200
    with clock.frozen(dt.datetime(2026, 3, 12, 17, 0)):
        r = c.post(f"/cadre-visits/{n.visit.pk}/outcome/", {"summary": "现场调解", n.concern.reference: "双方同意重新丈量"})
        assert r.status_code == 302
    n.visit.refresh_from_db()
    assert n.visit.status == VisitStatus.DONE
    timeline = c.get(f"/concerns/{n.concern.reference}/").content.decode()
    assert "双方同意重新丈量" in timeline
    r = c.post(f"/cadre-visits/{n.secret_visit.pk}/cancel/", {"reason": "改期"})
    assert r.status_code == 302
    n.secret_visit.refresh_from_db()
    assert n.secret_visit.status == VisitStatus.CANCELLED
    # Station staff neither record nor cancel.
    assert login("village_clerk").get(f"/cadre-visits/{n.visit.pk}/outcome/").status_code == 404


def test_the_home_and_unit_pages_show_upcoming_visits(login, world):
    n = world
    home = login("village_clerk").get("/").content.decode()
    assert "测试县 副指挥长" in home
    unit = login("village_clerk").get(f"/units/{n.village.pk}/").content.decode()
    assert f"/cadre-visits/units/{n.village.pk}/" in unit and "测试县 副指挥长" in unit
    assert "测试县 副指挥长" not in login("far_clerk").get("/").content.decode()
    # A supervisor's unit page has no staff panel of visits.
    assert f"/cadre-visits/units/{n.village.pk}/" not in login("supervisor").get(f"/units/{n.village.pk}/").content.decode()


def test_another_countys_unit_is_not_found(login, world):
    other = net.unit_create(level="county", parent=None, name="邻县", ref_prefix="LX")
    v = net.unit_create(level="village", parent=net.unit_create(level="township", parent=other, name="某镇"), name="某村")
    assert login("county_commander").get(f"/cadre-visits/units/{v.pk}/").status_code == 404
    assert login("county_commander").get(f"/cadre-visits/units/{v.pk}/book/").status_code == 404
