"""Cadres going down (预约下站) through the services: who may book where, which concerns,
the outcome on each concern's timeline, cancelling, and what the public may read."""
import datetime as dt

import pytest

from huiying.cadres import selectors as sel
from huiying.cadres.models import VisitStatus
from huiying.cadres.services import cadre_visit_book, cadre_visit_cancel, cadre_visit_record_outcome
from huiying.concerns import dossier
from huiying.concerns.models import State
from huiying.core import clock
from huiying.core.errors import Forbidden, NotFound
from huiying.network import services as net
from huiying.network.models import Level
from huiying.records.models import RecordEntry

from helpers import drive, register

from .conftest import refused

TOMORROW = dt.date(2026, 3, 12)


@pytest.fixture
def world(network, now):
    n = network
    n.concern = register(n, actor=n.village_clerk, summary="宅基地纠纷")
    n.point_concern = register(n, unit=n.point, actor=n.hamlet_clerk, summary="饮水管道")
    n.secret = register(n, actor=n.village_clerk, track="confidential", confidential=True, summary="家事")
    n.far_concern = register(n, unit=n.far_village, actor=n.far_clerk, summary="别镇的事")
    n.other_county = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", ref_prefix="LX")
    n.other_station = net.unit_create(level=Level.VILLAGE, parent=net.unit_create(level=Level.TOWNSHIP, parent=n.other_county, name="某镇"), name="某村")
    return n


def book(n, who="county_commander", **kw):
    args = {"unit": n.village, "date": TOMORROW, "purpose": "了解宅基地纠纷", "concerns": [n.concern], "title": "副指挥长", **kw}
    return cadre_visit_book(actor=n.users[who], **args)


def test_a_county_cadre_books_a_visit_for_concerns_of_the_station_and_below(world):
    n = world
    v = book(n, concerns=[n.concern, n.point_concern])
    assert v.status == VisitStatus.BOOKED and v.cadre == n.county_commander and v.cadre_unit == n.county
    assert set(v.concerns.all()) == {n.concern, n.point_concern}
    entries = RecordEntry.objects.filter(action="cadres.visit_book")
    assert {e.concern_id for e in entries} == {n.concern.id, n.point_concern.id} and {e.unit_id for e in entries} == {n.village.id}


@pytest.mark.parametrize("who", ["county_commander", "county_admin", "dept_liaison", "township_staff"])
def test_who_may_book(world, who):
    n = world
    v = book(n, who, concerns=[])
    assert sel.may_book(n.users[who], n.village) and v.cadre_unit == n.users[who].memberships.get().unit


def test_the_outcome_is_recorded_on_each_concern_and_shows_on_its_timeline(world):
    n = world
    v = book(n, concerns=[n.concern, n.point_concern], date=clock.today())
    done = cadre_visit_record_outcome(actor=n.county_commander, visit=v, summary="现场调解", outcomes={n.concern.id: "双方达成初步意见", n.point_concern.id: "已安排维修"})
    assert done.status == VisitStatus.DONE and done.summary == "现场调解"
    assert set(RecordEntry.objects.filter(action="cadres.visit_outcome").values_list("concern_id", flat=True)) == {n.concern.id, n.point_concern.id}
    rows = dossier.timeline(n.concern, n.village_clerk)
    last = rows[-1]
    assert last["entry"].action == "cadres.visit_outcome" and str(last["label"]) == "干部下站结果"
    assert ("备注", "双方达成初步意见") in [(str(k), v) for k, v in last["details"]]
    # Recording the visit changes no concern's state or outcome.
    assert n.concern.__class__.objects.get(pk=n.concern.pk).outcome == "" and n.concern.__class__.objects.get(pk=n.concern.pk).state == State.REGISTERED


def test_a_commander_may_bring_a_confidential_concern(world):
    n = world
    v = book(n, concerns=[n.secret])
    assert list(v.concerns.all()) == [n.secret]


def test_cancelling(world):
    n = world
    v = book(n)
    cadre_visit_cancel(actor=n.county_commander, visit=v, reason="县里开会")
    v.refresh_from_db()
    assert v.status == VisitStatus.CANCELLED and RecordEntry.objects.filter(action="cadres.visit_cancel", concern=n.concern).exists()
    assert sel.upcoming_for_unit(n.village) == []


# --- refusals ----------------------------------------------------------------------------

def test_bad_bookings_are_refused(world):
    n = world
    refused("date", lambda: book(n, date=dt.date(2026, 3, 10)))
    refused("date", lambda: book(n, date="2026-03-12"))
    refused("purpose", lambda: book(n, purpose="  "))
    refused("purpose", lambda: book(n, purpose="长" * 501))
    refused("title", lambda: book(n, title="长" * 51))
    refused("unit", lambda: book(n, unit=n.other_station, concerns=[]), kind=NotFound)  # another county
    refused("unit", lambda: book(n, unit=n.county, concerns=[]), kind=Forbidden)  # not a station
    refused("unit", lambda: book(n, "township_staff", unit=n.far_village, concerns=[]), kind=Forbidden)  # another township
    refused("unit", lambda: book(n, "township_staff", unit=n.township, concerns=[]), kind=Forbidden)  # their own center
    refused("concerns", lambda: book(n, concerns=[n.far_concern]))  # not of that station's subtree
    refused("concerns", lambda: book(n, unit=n.point, concerns=[n.concern]))  # received above the point
    refused("concerns", lambda: book(n, "dept_liaison", concerns=[n.secret]), kind=NotFound)  # confidential, unseen
    refused("concerns", lambda: book(n, "dept_liaison", concerns=[n.concern]), kind=NotFound)  # not dispatched to the department
    ended = drive(n, register(n, actor=n.village_clerk), State.CLOSED, actor=n.village_clerk)
    refused("concerns", lambda: book(n, concerns=[ended]))


@pytest.mark.parametrize("who", ["village_clerk", "hamlet_clerk", "supervisor"])
def test_station_staff_and_supervisors_do_not_book(world, who):
    refused("unit", lambda: book(world, who, concerns=[]), kind=Forbidden)


def test_bad_outcomes_and_cancellations_are_refused(world):
    n = world
    v = book(n, concerns=[n.concern, n.point_concern])
    refused("date", lambda: cadre_visit_record_outcome(actor=n.county_commander, visit=v, summary="x", outcomes={n.concern.id: "a", n.point_concern.id: "b"}))
    with clock.frozen(dt.datetime(2026, 3, 12, 18, 0)):
        refused("summary", lambda: cadre_visit_record_outcome(actor=n.county_commander, visit=v, summary="", outcomes={n.concern.id: "a", n.point_concern.id: "b"}))
        refused(f"outcomes.{n.point_concern.reference}", lambda: cadre_visit_record_outcome(actor=n.county_commander, visit=v, summary="x", outcomes={n.concern.id: "a"}))
        refused("outcomes", lambda: cadre_visit_record_outcome(actor=n.county_commander, visit=v, summary="x", outcomes={n.secret.id: "a", n.concern.id: "a", n.point_concern.id: "b"}))
        refused("visit", lambda: cadre_visit_record_outcome(actor=n.village_clerk, visit=v, summary="x", outcomes={}), kind=Forbidden)
        refused("visit", lambda: cadre_visit_record_outcome(actor=n.far_clerk, visit=v, summary="x", outcomes={}), kind=NotFound)
    refused("reason", lambda: cadre_visit_cancel(actor=n.county_commander, visit=v, reason=""))
    refused("visit", lambda: cadre_visit_cancel(actor=n.township_staff, visit=v, reason="x"), kind=Forbidden)
    cadre_visit_cancel(actor=n.county_commander, visit=v, reason="改期")
    refused("visit", lambda: cadre_visit_cancel(actor=n.county_commander, visit=v, reason="again"))


# --- what the public reads ---------------------------------------------------------------

def test_the_public_sees_only_safe_fields_and_never_a_confidential_concerns_visit(world):
    n = world
    book(n, concerns=[n.concern], purpose="调解张三与李四的宅基地纠纷")
    book(n, concerns=[n.secret, n.concern], purpose="涉密事项")
    book(n, "dept_liaison", unit=n.point, concerns=[], title="副局长")
    public = sel.upcoming_for_unit(n.village)
    assert [(p.unit, p.cadre_unit, p.cadre_title) for p in public] == [("甲村", "测试县", "副指挥长"), ("甲一屯回应点", "民政局", "副局长")]
    assert set(vars(public[0])) == {"date", "unit", "cadre_unit", "cadre_title"}
    assert len(sel.upcoming_for_concern(n.concern)) == 1  # the confidential concern's visit is not counted
    assert sel.upcoming_for_concern(n.secret) == []
    assert sel.upcoming_for_unit(n.point)[0].cadre_unit == "民政局"
    # Past visits are not upcoming.
    assert sel.upcoming_for_unit(n.village, today=dt.date(2026, 3, 13)) == []


def test_staff_see_the_purpose_only_when_they_see_every_concern(world):
    n = world
    v = book(n, concerns=[n.secret, n.concern], purpose="涉密事项")
    assert sel.purpose_shown(n.county_commander, v) == "涉密事项"
    assert sel.purpose_shown(n.village_clerk, v) == "涉密事项"  # registered it, so a handler
    assert sel.purpose_shown(n.village_clerk2, v) is None
    assert [s["concern"] for s in sel.served(n.village_clerk2, v)] == [n.concern]
    assert list(sel.unit_visits(n.far_clerk, n.village)) == []
    assert list(sel.unit_visits(n.township_staff, n.village)) == [v]


def test_the_purpose_is_not_copied_onto_the_concerns_timelines(world):
    n = world
    book(n, concerns=[n.secret, n.concern], purpose="涉及家事的具体情况")
    for entry in RecordEntry.objects.filter(action="cadres.visit_book"):
        assert "涉及家事的具体情况" not in str(entry.payload)
    rows = dossier.timeline(n.concern, n.supervisor)
    assert rows[-1]["entry"].action == "cadres.visit_book"
    assert "涉及家事" not in str(rows[-1]["details"])
