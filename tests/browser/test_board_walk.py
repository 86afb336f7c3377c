"""A villager on a 390-px phone, without an account: opens a station's public page, goes to
its notice board, and objects to a posted result; the result leaves the board."""
import datetime as dt

from playwright.sync_api import expect

from huiying.board.models import Objection
from huiying.board.services import board_batch_post
from huiying.concerns import services as cs
from huiying.concerns.models import State
from huiying.network.models import DutyShift

from helpers import act, drive, fresh, register

from .test_selfservice_walk import abuse_reset, answer_challenge  # noqa: F401
from .test_walks import fits


def test_a_villager_reads_the_board_and_objects(phone, network, now, abuse_reset):  # noqa: F811
    n, today = network, now.date()
    n.village.phone, n.village.address, n.village.opening_hours = "0771-8880001", "甲村村委会一楼", "周一至周五 8:00-17:30"
    n.village.save()
    DutyShift.objects.create(unit=n.village, user=n.village_clerk, day=today)
    c = drive(n, register(n, track="time_limited", summary="村道坑洼需要修补"), State.ON_SITE)
    c = act(cs.concern_resolve, actor=n.village_clerk, concern=c, result="已组织人员修补村道")
    board_batch_post(actor=n.village_clerk, unit=n.village, concerns=[fresh(c)], period_start=today,
                     period_end=today + dt.timedelta(days=7), objection_until=today + dt.timedelta(days=5))

    phone.goto(f"/p/{n.village.pk}/")
    expect(phone.get_by_role("link", name="打电话 0771-8880001")).to_be_visible()
    expect(phone.get_by_text("张值班")).to_be_visible()
    expect(phone.get_by_text("村道坑洼需要修补")).to_be_visible()
    fits(phone)
    phone.get_by_role("link", name="全部公示和往期公示").click()
    expect(phone.get_by_text("已组织人员修补村道")).to_be_visible()
    fits(phone)
    phone.get_by_role("link", name="对这个结果有异议").click()
    phone.get_by_label("这个结果哪里不对？").fill("坑还没有补好")
    answer_challenge(phone)
    fits(phone)
    phone.get_by_role("button", name="提交异议").click()
    expect(phone.get_by_role("heading", name="异议已收到")).to_be_visible()
    assert Objection.objects.get().reason == "坑还没有补好"
    assert fresh(c).state == State.ON_SITE
    phone.get_by_role("link", name="回到公示牌").click()
    expect(phone.get_by_text("村道坑洼需要修补")).to_have_count(0)
