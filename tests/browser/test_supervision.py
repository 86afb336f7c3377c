"""A supervisor rates a finished result dissatisfied on a 390-px phone, in Chinese; the
township center sees it in review on its home page and sends it back for rework.

Only the set-up calls the services (a concern of 甲村 resolved and under supervision); the
rest is clicks and typing, then the database is checked: the rating, the review, the
concern back in on-site work, the record book."""
import re

import pytest
from playwright.sync_api import expect

from huiying.concerns.models import State
from huiying.records.models import RecordEntry
from huiying.supervision.models import Review, SupervisorRating

from helpers import drive, fresh, register
from browser.test_walks import fits, sign_out


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_rates_dissatisfied_and_the_township_sends_it_back(phone, sign_in, network, now):
    concern = drive(network, register(network, actor=network.village_clerk, summary="村道路灯不亮"), State.SUPERVISION)
    ref = concern.reference

    page = sign_in(phone, "supervisor")
    to_rate = page.locator("#to-rate")
    expect(to_rate.locator("h2")).to_contain_text("待评价的结果")
    expect(to_rate).to_contain_text(ref)
    fits(page)
    to_rate.get_by_role("link", name="评价", exact=True).click()
    expect(page.locator("h2").first).to_contain_text(ref)
    page.get_by_label("不满意").check()
    page.get_by_label("意见").fill("晚上走访，路灯仍有三盏不亮。")
    fits(page)
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".messages")).to_contain_text("您的评价已记录")
    expect(page.locator("body")).to_contain_text("晚上走访，路灯仍有三盏不亮。")  # my ratings
    fits(page)

    sign_out(page)
    sign_in(page, "township_staff")
    in_review = page.locator("#in-review")
    expect(in_review.locator(".count")).to_have_text("1")
    expect(in_review).to_contain_text(ref)
    expect(in_review).to_contain_text("复核中")
    fits(page)
    in_review.get_by_role("link", name=re.compile(re.escape(ref))).click()
    expect(page.locator("body")).to_contain_text("路灯仍有三盏不亮")
    page.get_by_label("退回重办").check()
    page.get_by_label("理由").fill("请村里联系供电所逐一检修。")
    fits(page)
    page.get_by_role("button", name="办结复核").click()
    expect(page.locator(".messages")).to_contain_text("复核已办结")
    fits(page)

    rating = SupervisorRating.objects.get()
    assert (rating.rating, rating.rater, rating.concern_id) == ("dissatisfied", network.supervisor, concern.id)
    review = Review.objects.get()
    assert (review.unit, review.decision, review.closed_by) == (network.township, "rework", network.township_staff)
    c = fresh(concern)
    assert (c.state, c.outcome, c.reopen_count) == (State.ON_SITE, "", 1)
    actions = list(RecordEntry.objects.filter(concern=c).order_by("seq").values_list("action", flat=True))
    assert actions[-4:] == ["supervision.rate", "supervision.review_open", "concern.reopen", "supervision.review_close"]
