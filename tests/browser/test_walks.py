"""Three walks through the staff web app in a real browser, on a 390-px phone, in Chinese.

Each walk is a person's path through the UI: they click the navigation, fill the forms and
press the buttons the page offers. Only fixture set-up calls the services directly (a
villager who is already registered; concerns that went overdue weeks ago). After each
walk the database is checked: state, record book, mediation session, appointment.

The clock is frozen on an ordinary working Wednesday (`now`): the live server runs in this
process, so it sees the same day, and due dates do not depend on when the suite runs.
"""
import datetime as dt
import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from huiying.concerns import deadlines
from huiying.concerns import services as cs
from huiying.concerns.models import Appointment, Concern, Escalation, MediationSession, Outcome, State, Track, Visit
from huiying.core import clock, workdays
from huiying.records.models import RecordEntry

from helpers import act as step

WIDTH = 390


# --- what every page must do at 390 px ---------------------------------------------------


def choose(select, name: str) -> None:
    """Pick the handler `name` in an assign select, whose options also show each person's
    open load ("张值班（在办 0，建议）")."""
    select.select_option(select.locator("option", has_text=name).first.get_attribute("value"))

def fits(page: Page) -> None:
    """Nothing wider than the phone's screen: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide"


def nav(page: Page, label: str) -> None:
    """Press a link of the main navigation."""
    page.locator("header nav").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def badge(page: Page):
    """The concern's state badge in the page's header."""
    return page.locator(".concern-head .states .badge").first


def act(page: Page, label: str, fill=None) -> None:
    """Press an action button of the concern page, fill its form, submit it, and wait for
    the concern page to come back saying it was done."""
    page.locator(".actions .buttons").get_by_role("link", name=label, exact=True).click()
    form = page.locator("#action-panel form.action-form")
    expect(form.locator("h2")).to_have_text(label)
    if fill:
        fill(form)
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".messages")).to_contain_text(f"已完成：{label}")
    fits(page)


def record_codes(concern: Concern) -> list[str]:
    return list(RecordEntry.objects.filter(concern=concern).order_by("seq").values_list("action", flat=True))


# --- walk 1: a village clerk registers a dispute, mediates it and closes it --------------

@pytest.mark.django_db(transaction=True)
def test_a_village_clerk_registers_a_dispute_mediates_and_closes_it(phone, sign_in, network, now):
    n = network
    # 张小明 came before and is registered; 韦阿婆, the neighbour, comes for the first time.
    zxm = cs.villager_create(actor=n.village_clerk, name="张小明", hamlet=n.hamlet, phone="13800135678")

    page = sign_in(phone, "village_clerk")
    expect(page.locator("h2", has_text="甲村")).to_be_visible()
    fits(page)

    # Reception: a visit to 甲村's station about a boundary dispute.
    nav(page, "登记")
    expect(page.locator("h1")).to_have_text("接待登记")
    fits(page)
    visit_card = page.locator("#reception > section.card").first
    expect(visit_card.get_by_label("来访", exact=True)).to_be_checked()
    visit_card.get_by_label("所在屯").select_option(label="甲村 · 甲一屯")
    # Find 张小明 by his initials and add him.
    page.locator("#id_q").fill("zxm")
    result = page.locator("#vs-results .result", has_text="张小明")
    expect(result).to_contain_text("138****5678")
    result.click()
    expect(page.locator("#picked .chip", has_text="张小明")).to_be_visible()
    # 韦阿婆 is not registered yet: add her on the spot.
    page.get_by_text("找不到？新增村民").click()
    page.locator("#id_nv-name").fill("韦阿婆")
    page.get_by_role("button", name="登记并添加").click()
    expect(page.locator("#picked .chip", has_text="韦阿婆")).to_be_visible()
    expect(page.locator("#id_visitor_count")).to_have_value("2")
    # The concern itself.
    block = page.locator("#block-0")
    block.get_by_text("化解矛盾纠纷", exact=True).click()
    block.get_by_label("关切概要").fill("宅基地边界纠纷")
    block.get_by_label("详情").fill("两家因宅基地界桩位置发生争执，要求村里调解。")
    # The track is suggested from the function: dispute mediation.
    expect(block.locator("input[name=c0-track][value=dispute]")).to_be_checked()
    expect(block.locator(".vpick input[type=checkbox]:checked")).to_have_count(2)
    fits(page)
    page.get_by_role("button", name="保存", exact=True).click()

    # The receipt: one reference number, large.
    expect(page.locator("h1")).to_have_text("已保存")
    expect(page.locator(".visit-line")).to_have_text("已记录甲村的来访：2 人。")
    reference = page.locator(".bigref").inner_text().strip()
    assert re.fullmatch(r"CS-\d{4}-\d{6}", reference), reference
    expect(page.locator(".refs")).to_contain_text("宅基地边界纠纷")
    expect(page.locator(".refs .badge")).to_have_text("已受理登记")
    fits(page)

    # The concern page, from the receipt.
    page.locator(".refs a").click()
    expect(page.locator(".refno")).to_have_text(reference)
    expect(badge(page)).to_have_text("已受理登记")
    expect(page.locator(".concern-head .villagers")).to_contain_text("张小明")
    expect(page.locator(".concern-head .villagers")).to_contain_text("韦阿婆")
    fits(page)

    act(page, "指定承办人", lambda f: choose(f.get_by_label("承办人"), "张值班"))
    expect(badge(page)).to_have_text("分析处置")
    act(page, "开始现场办公")
    expect(badge(page)).to_have_text("现场办公")

    def mediation(f):
        f.get_by_label("地点").fill("甲村村委会")
        f.get_by_label("当事人").fill("张小明\n韦阿婆")
        f.get_by_label("调解人").fill("张值班\n村调解委员 黄伯")
        f.get_by_label("调解经过").fill("双方到场，对照宅基地证重新确认界桩位置。")
        f.get_by_label("达成协议", exact=True).check()
        f.get_by_label("协议内容").fill("界桩按宅基地证恢复，双方签字确认。")

    act(page, "记录现场调解", mediation)
    expect(badge(page)).to_have_text("现场办公")
    expect(page.locator("#mediation")).to_contain_text("甲村村委会")
    expect(page.locator("#mediation")).to_contain_text("张小明、韦阿婆")

    act(page, "登记处理结果", lambda f: f.get_by_label("处理结果").fill("调解成功，界桩已恢复。"))
    expect(badge(page)).to_have_text("接受监督")
    act(page, "上墙公示")
    expect(badge(page)).to_have_text("已公示")
    act(page, "反馈回应村民", lambda f: f.get_by_label("反馈方式").select_option(label="当面"))
    expect(badge(page)).to_have_text("已反馈办结")
    expect(page.locator(".concern-head .states")).to_contain_text("已解决")
    timeline = page.locator("#timeline")
    for label in ("已受理登记", "记录现场调解", "已反馈办结"):
        expect(timeline).to_contain_text(label)

    # The unit's page, its workflow chart (wide: it scrolls in its own box, not the page),
    # and its work record book, which lists every step under the reference number.
    nav(page, "本单位")
    expect(page.locator("h1")).to_contain_text("甲村")
    fits(page)
    page.get_by_role("link", name="工作流程图", exact=True).click()
    expect(page.locator("h1")).to_have_text("甲村 · 工作流程图")
    expect(page.locator("figure.workflow-svg svg")).to_be_visible()
    fits(page)
    page.go_back()
    page.get_by_role("link", name="工作记录", exact=True).click()
    book = page.locator("table.book-table")
    expect(book).to_contain_text(reference)
    expect(book.locator("tr", has_text=reference)).to_have_count(7)
    fits(page)

    # The database: what the clerk did is what was written.
    c = Concern.objects.get(reference=reference)
    assert c.state == State.CLOSED and c.outcome == Outcome.RESOLVED and c.track == Track.DISPUTE
    assert c.handler == n.village_clerk and c.handling_unit == n.village and c.hamlet == n.hamlet
    assert c.result == "调解成功，界桩已恢复。"
    assert sorted(v.name for v in c.villagers.all()) == sorted(["张小明", "韦阿婆"]) and zxm in c.villagers.all()
    visit = Visit.objects.get()
    assert visit.visitor_count == 2 and c.visit == visit and visit.unit == n.village
    s = MediationSession.objects.get(concern=c)
    assert s.parties == ["张小明", "韦阿婆"] and s.mediators == ["张值班", "村调解委员 黄伯"]
    assert s.agreement_reached and s.place == "甲村村委会"
    assert record_codes(c) == [
        "concern.register", "concern.assign", "concern.start_on_site", "concern.record_mediation",
        "concern.resolve", "concern.post", "concern.feedback",
    ]
    assert RecordEntry.objects.filter(action="villager.register").count() == 2  # 张小明 earlier, 韦阿婆 now


# --- walk 2: a hamlet clerk escalates beyond authority; the township books a visit -------

def sign_out(page: Page) -> None:
    page.locator("footer").get_by_role("button", name="退出").click()
    expect(page.locator("h1")).to_have_text("工作人员登录")


@pytest.mark.django_db(transaction=True)
def test_a_hamlet_clerk_escalates_and_the_township_books_a_visit(phone, sign_in, network, now):
    n = network
    page = sign_in(phone, "hamlet_clerk")
    fits(page)

    # At the hamlet point: the unit is fixed and its hamlet preselected.
    nav(page, "登记")
    expect(page.locator(".unit-fixed")).to_contain_text("甲一屯回应点")
    block = page.locator("#block-0")
    block.get_by_text("倾听意见建议", exact=True).click()
    block.get_by_label("关切概要").fill("屯里道路硬化申请")
    block.get_by_label("详情").fill("甲一屯到村部的两公里土路雨天无法通行，村民请求硬化。")
    block.get_by_text("超出权限预约下访", exact=True).click()
    expect(block.locator("input[name=c0-track][value=beyond_authority]")).to_be_checked()
    fits(page)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("h1")).to_have_text("已保存")
    reference = page.locator(".bigref").inner_text().strip()
    page.locator(".refs a").click()

    # The point cannot decide a road: up to the village station.
    expect(page.locator(".refno")).to_have_text(reference)
    expect(badge(page)).to_have_text("已受理登记")
    fits(page)

    def up(to_unit, reason):
        def fill(f):
            f.get_by_label("上报至").select_option(label=to_unit)
            f.get_by_label("理由").fill(reason)
        return fill

    act(page, "超出权限上报", up("甲村（村级回应站）", "道路硬化需要项目资金，超出屯级权限。"))
    expect(badge(page)).to_have_text("已上报，待上级受理")
    expect(page.locator("#escalations")).to_contain_text("甲一屯回应点 → 甲村")

    # The village station finds it among what was escalated to it, and sends it on.
    sign_out(page)
    sign_in(page, "village_clerk")
    nav(page, "查询")
    page.locator(".tabs").get_by_role("link", name=re.compile("^上报给本级")).click()
    expect(page.locator(".tabs [aria-current=page]")).to_contain_text("1")
    fits(page)
    page.get_by_role("link", name=re.compile(re.escape(reference))).click()
    expect(page.locator(".refno")).to_have_text(reference)
    act(page, "超出权限上报", up("城中镇（乡镇回应中心）", "需镇里协调交通部门立项。"))
    expect(page.locator(".concern-head .facts")).to_contain_text("城中镇")

    # The township center sees it on its home page and books a cadre's visit down.
    sign_out(page)
    sign_in(page, "township_staff")
    incoming = page.locator("section.card", has=page.locator("h2", has_text="上报给本级"))
    expect(incoming.locator(".count")).to_have_text("1")
    fits(page)
    incoming.get_by_role("link", name=re.compile(re.escape(reference))).click()
    expect(badge(page)).to_have_text("已上报，待上级受理")
    visit_day = workdays.add_workdays(clock.today(), 2)

    def booking(f):
        f.get_by_label("下访日期").fill(visit_day.isoformat())
        f.get_by_label("地点").fill("甲一屯晒谷场")
        f.get_by_label("下访干部").fill("城中镇 副镇长 陆明")
        choose(f.get_by_label("承办人"), "李中心")

    act(page, "预约下访", booking)
    expect(badge(page)).to_have_text("分析处置")
    escalations = page.locator("#escalations")
    expect(escalations).to_contain_text("甲村 → 城中镇")
    expect(escalations.locator("li", has_text="已预约下访")).to_contain_text(visit_day.isoformat())
    expect(escalations).to_contain_text("城中镇 副镇长 陆明")

    c = Concern.objects.get(reference=reference)
    assert c.state == State.ANALYSIS and c.track == Track.BEYOND_AUTHORITY
    assert c.received_unit == n.point and c.handling_unit == n.township and c.handler == n.township_staff
    assert c.hamlet == n.hamlet and c.visit.unit == n.point
    hops = [(e.from_unit, e.to_unit) for e in Escalation.objects.filter(concern=c).order_by("at", "id")]
    assert hops == [(n.point, n.village), (n.village, n.township)]
    appt = Appointment.objects.get(concern=c)
    assert (appt.date, appt.place, appt.cadre, appt.unit, appt.booked_by) == (visit_day, "甲一屯晒谷场", "城中镇 副镇长 陆明", n.township, n.township_staff)
    assert record_codes(c) == ["concern.register", "concern.escalate", "concern.escalate", "concern.book_appointment"]
    assert c.due_date == workdays.add_workdays(visit_day, settings.HUIYING_RESOLVE_AFTER_APPOINTMENT_DAYS)


# --- walk 3: the county commander sees what is overdue -----------------------------------

@pytest.fixture
def overdue_concerns(network, now):
    """Three concerns registered six weeks ago and never finished (one escalated to the
    township), one registered today; then the overdue tick has run."""
    n = network
    long_ago = now - dt.timedelta(days=42)
    with clock.frozen(long_ago):
        water = cs.concern_register(actor=n.village_clerk, unit=n.village, function="dispute", channel="phone",
                                    summary="灌溉水渠堵塞纠纷", track=Track.DISPUTE, hamlet=n.hamlet)
        lamp = cs.concern_register(actor=n.far_clerk, unit=n.far_village, function="suggestion", channel="phone",
                                   summary="村口路灯坏了", track=Track.TIME_LIMITED)
        bridge = cs.concern_register(actor=n.village_clerk, unit=n.village, function="suggestion", channel="phone",
                                     summary="便桥加固申请", track=Track.BEYOND_AUTHORITY)
        bridge = step(cs.concern_escalate, actor=n.village_clerk, concern=bridge, to_unit=n.township, reason="需镇里立项")
    fresh = cs.concern_register(actor=n.other_village_clerk, unit=n.other_village, function="agency_service", channel="phone",
                                summary="代办低保年审", track=Track.AGENCY)
    assert deadlines.tick()["flagged"] == 3
    return {"water": water, "lamp": lamp, "bridge": bridge, "fresh": fresh}


@pytest.mark.django_db(transaction=True)
def test_the_county_commander_sees_the_overdue_list(phone, sign_in, network, now, overdue_concerns):
    late = {k: Concern.objects.get(pk=c.pk) for k, c in overdue_concerns.items()}
    page = sign_in(phone, "county_commander")
    # Home: the overdue card, with what the townships below hold.
    overdue_card = page.locator("section.card.alert", has=page.locator("h2", has_text="已超期"))
    expect(overdue_card).to_contain_text(late["bridge"].reference)
    fits(page)

    # The overdue queue: everything overdue in the county, and nothing else.
    nav(page, "查询")
    fits(page)
    page.locator(".tabs").get_by_role("link", name=re.compile("^已超期")).click()
    expect(page.locator(".tabs [aria-current=page]")).to_contain_text("已超期")
    expect(page.locator(".tabs [aria-current=page] .count")).to_have_text("3")
    expect(page).to_have_url(re.compile(r"queue=overdue"))
    rows = page.locator("#results table.list tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#results tr.late")).to_have_count(3)
    for key in ("water", "lamp", "bridge"):
        expect(page.locator("#results")).to_contain_text(late[key].reference)
    expect(page.locator("#results")).not_to_contain_text(late["fresh"].reference)
    expect(page.locator("#results")).to_contain_text("丙村")  # the other township's too
    fits(page)

    # One of them: red, overdue, with what the commander can do about it.
    page.get_by_role("link", name=re.compile(re.escape(late["water"].reference))).click()
    expect(page.locator(".refno")).to_have_text(late["water"].reference)
    expect(page.locator(".concern-head .badge.overdue")).to_have_text("已超期")
    expect(page.locator(".concern-head dd.late")).to_contain_text(late["water"].due_date.isoformat())
    expect(page.locator(".actions .buttons")).to_contain_text("延长期限")
    fits(page)
    page.go_back()
    expect(page.locator(".tabs [aria-current=page]")).to_contain_text("已超期")

    # Nothing was changed by looking.
    for c in late.values():
        assert Concern.objects.get(pk=c.pk).version == c.version
    assert RecordEntry.objects.filter(action="concern.overdue").count() == 3
