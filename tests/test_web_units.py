"""Unit pages through HTTP: the profile and staff, who may see them, the workflow chart drawn
from the transition table (SVG, well-formed, every label), and the record book per period
without confidential entries for those who may not see them."""
import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from huiying.concerns import services as cs
from huiying.concerns.models import State, Track
from huiying.concerns.workflow import TRANSITIONS, Step
from huiying.network import services as net
from huiying.network.models import Employment, Level, Membership, Unit

from helpers import act, register




@pytest.fixture
def village(network):
    Unit.objects.filter(pk=network.village.pk).update(
        address="甲村村委会一楼", opening_hours="周一至周五 8:00–12:00，15:00–18:00", phone="0771-8620001",
        rules="一、热情接待来访群众。\n二、当日登记，限时办结。",
    )
    Membership.objects.filter(user=network.village_clerk).update(phone="13800001111", employment=Employment.FULL_TIME)
    return Unit.objects.get(pk=network.village.pk)


def page(client, name, unit, **params):
    return client.get(reverse(f"web:{name}", args=[unit.pk]), params)


def test_unit_page_shows_profile_staff_duty_and_hamlets(login, network, village, now):
    n = network
    net.duty_shift_add(unit=n.village, user=n.village_clerk2, day=now.date())
    response = page(login("township_staff"), "unit", village)
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("甲村", "村级回应站", "450000100201", "甲村村委会一楼", "周一至周五", "0771-8620001", "热情接待来访群众", "当日登记"):
        assert text in html, text
    assert "城中镇" in html and reverse("web:unit", args=[n.township.pk]) in html  # parent link
    for name in ("张值班", "赵值班", "覃监督"):
        assert name in html
    assert "专职" in html and "兼职" in html and "值班员" in html and "监督员" in html
    assert "13800001111" in html  # staff see their colleagues' phones
    assert "甲一屯" in html and "甲二屯" in html and reverse("web:unit", args=[n.point.pk]) in html
    duty = html.split("今日值班")[1].split("</section>")[0]
    assert "赵值班" in duty and "张值班" not in duty
    assert reverse("web:unit_records", args=[village.pk]) in html and reverse("web:unit_workflow", args=[village.pk]) in html


def test_township_page_drills_down_to_its_villages(login, network):
    html = page(login("village_clerk"), "unit", network.township).content.decode()
    assert "甲村" in html and "乙村" in html and "丙村" not in html
    assert reverse("web:unit", args=[network.other_village.pk]) in html


def test_supervisor_sees_the_profile_but_not_staff_phones(login, village):
    html = page(login("supervisor"), "unit", village).content.decode()
    assert "张值班" in html and "13800001111" not in html


def test_any_member_of_the_county_sees_any_units_profile(login, network):
    for username in ("far_clerk", "supervisor", "dept_liaison", "hamlet_clerk"):
        client = login(username)
        for unit in (network.village, network.township, network.county, network.department):
            assert page(client, "unit", unit).status_code == 200, (username, unit)


def test_another_countys_units_are_not_found(login, network):
    other = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", code="450100000000", ref_prefix="LX")
    town = net.unit_create(level=Level.TOWNSHIP, parent=other, name="邻县某镇")
    for username in ("village_clerk", "county_commander", "supervisor"):
        client = login(username)
        for unit in (other, town):
            for name in ("unit", "unit_workflow", "unit_workflow_svg", "unit_records"):
                assert page(client, name, unit).status_code == 404, (username, name)
    assert login("village_clerk").get(reverse("web:unit", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, network):
    response = client.get(reverse("web:unit", args=[network.village.pk]))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


# --- the workflow chart ------------------------------------------------------------------

def _svg_texts(body: bytes) -> str:
    root = ET.fromstring(body)  # well-formed XML, or this raises
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox")
    return "\n".join(el.text or "" for el in root.iter())


def test_workflow_svg_draws_every_state_transition_step_and_track(login, network):
    response = page(login("village_clerk"), "unit_workflow_svg", network.village)
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    texts = _svg_texts(response.content)
    with translation.override("zh-hans"):
        labels = [str(s.label) for s in State] + [str(t.label) for t in TRANSITIONS.values()]
        labels += [str(Track(t).label) for t in Track] + ["甲村"]
        steps = [str(Step.LABELS[s]) for s in Step.ORDER]
    for label in labels:
        assert label in texts, label
    assert all(any(step in line for line in texts.splitlines()) for step in steps)
    assert "超出权限上报" in texts and "涉密涉私关切一律不公示" in texts  # a Chinese action label and a guard
    assert "Noto Sans CJK SC" in response.content.decode() and "sans-serif" in response.content.decode()


def test_workflow_svg_in_english_too(login, network):
    client = login("village_clerk")
    client.cookies["django_language"] = "en"
    texts = _svg_texts(page(client, "unit_workflow_svg", network.village).content)
    with translation.override("en"):
        for t in TRANSITIONS.values():
            assert str(t.label) in texts
        for s in State:
            assert str(s.label) in texts


def test_workflow_chart_page_is_printable_with_steps_tracks_and_the_svg(login, network):
    html = page(login("supervisor"), "unit_workflow", network.village).content.decode()
    assert "甲村 · 工作流程图" in html and "<svg" in html
    assert "/static/web/queues.css" in html and "七个步骤" in html and "六类分类处置" in html
    for text in ("热情接待", "反馈回应村民", "限时解决集中公示", "10 个工作日", "当个工作日"):
        assert text in html, text


# --- the record book ---------------------------------------------------------------------

@pytest.fixture
def book(network, now):
    """Entries of this month and of last month at 甲村, and a confidential concern there."""
    n = network
    last_month = now - dt.timedelta(days=31)
    old = register(n, unit=n.village, summary="上月的水渠纠纷", now=last_month, received_at=last_month)
    land = register(n, unit=n.village, summary="宅基地边界纠纷")
    act(cs.concern_assign, actor=n.village_clerk, concern=land, handler=n.village_clerk)
    secret = register(n, unit=n.village, track="confidential", summary="举报截留补贴", handler=n.village_clerk)
    act(cs.concern_assign, actor=n.village_clerk, concern=secret, handler=n.village_clerk)
    far = register(n, unit=n.far_village, summary="丙村的事")
    return {"old": old, "land": land, "secret": secret, "far": far}


def book_refs(response) -> list[str]:
    assert response.status_code == 200
    return [r["reference"] for r in response.context["rows"]]


def test_record_book_of_this_month_by_default(login, network, book):
    response = page(login("village_clerk"), "unit_records", network.village)
    refs = book_refs(response)
    assert refs.count(book["land"].reference) == 2  # registered, handler assigned
    assert book["old"].reference not in refs and book["far"].reference not in refs
    html = response.content.decode()
    assert "2026-03-01 至 2026-03-11" in html and "已受理登记" in html and "韦指挥" in html
    assert "concern.register" not in html  # labels, never codes
    last = page(login("village_clerk"), "unit_records", network.village, date_from="2026-02-01", date_to="2026-02-28")
    assert book_refs(last) == [book["old"].reference]


def test_record_book_hides_confidential_entries_from_supervisors_and_other_clerks(login, network, book):
    secret = book["secret"].reference
    for username in ("supervisor", "village_clerk2", "township_staff"):
        response = page(login(username), "unit_records", network.village)
        assert secret not in response.content.decode(), username
        assert book["land"].reference in book_refs(response)
        printed = page(login(username), "unit_records", network.village, print="1")
        assert secret not in printed.content.decode()
    for username, unit in (("village_clerk", network.village), ("county_commander", network.village), ("county_commander", network.county)):
        assert book_refs(page(login(username), "unit_records", unit)).count(secret) == 2


def test_who_may_read_which_record_book(login, network, book):
    n = network
    allowed = {
        "supervisor": [n.village, n.point],
        "village_clerk": [n.village, n.point],
        "township_staff": [n.township, n.village, n.other_village],
        "county_commander": [n.county, n.township, n.department],
        "dept_liaison": [n.department],
    }
    refused = {
        "supervisor": [n.township, n.other_village, n.county],
        "village_clerk": [n.township, n.other_village],
        "hamlet_clerk": [n.village],
        "township_staff": [n.county, n.far_village],
        "dept_liaison": [n.county, n.township],
    }
    for username, units in allowed.items():
        for unit in units:
            assert page(login(username), "unit_records", unit).status_code == 200, (username, unit)
    for username, units in refused.items():
        for unit in units:
            assert page(login(username), "unit_records", unit).status_code == 404, (username, unit)


def test_record_book_pages_on_screen_and_prints_whole(login, network, book, monkeypatch):
    from huiying.web.views import units as view

    monkeypatch.setattr(view, "BOOK_PER_PAGE", 2)
    client = login("county_commander")
    first = page(client, "unit_records", network.village)
    assert len(first.context["rows"]) == 2 and first.context["page"].paginator.count == 4
    assert 'rel="next"' in first.content.decode()
    second = page(client, "unit_records", network.village, page=2)
    assert [r["entry"].seq for r in first.context["rows"] + second.context["rows"]] == sorted(r["entry"].seq for r in first.context["rows"] + second.context["rows"])
    printed = page(client, "unit_records", network.village, print="1")
    html = printed.content.decode()
    assert len(printed.context["rows"]) == 4 and 'rel="next"' not in html
    assert "<thead>" in html and "window.print()" in html


def test_record_book_of_a_department_shows_what_was_dispatched_to_it(login, network, book):
    n = network
    land = book["land"]
    act(cs.concern_escalate, actor=n.village_clerk, concern=land, to_unit=n.township, reason="超出村级权限")
    act(cs.concern_escalate, actor=n.township_staff, concern=land, to_unit=n.department, reason="需民政部门办理")
    refs = book_refs(page(login("dept_liaison"), "unit_records", n.department))
    assert land.reference in refs and book["far"].reference not in refs
    html = page(login("dept_liaison"), "unit_records", n.department).content.decode()
    assert "甲村 → 城中镇" in html and "城中镇 → 民政局" in html


def test_a_visit_is_a_row_of_the_book(login, network, now):
    n = network
    cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=3)
    html = page(login("supervisor"), "unit_records", n.village).content.decode()
    assert "3 位来访群众" in html and "接待来访" in html
