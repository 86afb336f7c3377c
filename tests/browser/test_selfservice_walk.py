"""A villager on a 390-px phone, without an account: submits a concern through the public
form of 甲村's station, tracks it with the reference number and tracking code, and — after
the clerk has recorded the result — rates it on the same tracking page."""
import pytest
from django.core.cache import caches
from playwright.sync_api import Page, expect

from huiying.concerns.models import Channel, Concern, ConcernRating, State
from huiying.selfservice import abuse
from huiying.selfservice.selectors import contact_phones

from helpers import drive

from .test_walks import fits

NUMERALS = "零一二三四五六七八九十"


@pytest.fixture
def abuse_reset(settings):
    settings.HUIYING_ABUSE_MIN_SECONDS = 0  # the browser types faster than a person
    caches[abuse.CACHE].clear()
    yield
    caches[abuse.CACHE].clear()


def answer_challenge(page: Page) -> None:
    """Read the sum (e.g. 三加四等于几？) as a person would, and type the answer."""
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = NUMERALS.index(question[0]), NUMERALS.index(question[2])
    page.get_by_label(question).fill(str(a + b))


def track(page: Page, reference: str, code: str) -> None:
    page.goto("/track/")
    page.get_by_label("登记编号").fill(reference)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询", exact=True).click()
    expect(page.locator("#progress")).to_be_visible()
    fits(page)


@pytest.mark.django_db(transaction=True)
def test_a_villager_submits_tracks_and_rates_on_a_phone(phone, network, now, abuse_reset):
    n = network
    page = phone
    page.goto(f"/p/{n.village.pk}/submit/")
    expect(page.locator("h1")).to_have_text("反映您的关切")
    fits(page)
    # Sending it empty: the errors stand next to the fields, in Chinese.
    answer_challenge(page)
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator(".field.has-error .error").first).to_be_visible()
    expect(page.get_by_text("请写几句话。")).to_be_visible()
    fits(page)
    page.get_by_label("您住在哪个屯").select_option(label="甲二屯")
    page.get_by_text("矛盾纠纷（土地、用水、边界、家庭、邻里）").click()
    page.get_by_label("请说说是什么情况").fill("邻居在我家地边砌墙，占了半米，想请村里来量一量。")
    page.get_by_label("您的电话（可不填）").fill("13800138000")
    answer_challenge(page)
    page.get_by_role("button", name="提交", exact=True).click()

    # The receipt: the reference number and the tracking code, large.
    expect(page.locator("h1")).to_have_text("我们已收到")
    fits(page)
    reference = page.locator("#reference").inner_text().strip()
    code = page.locator("#tracking-code").inner_text().strip()
    assert len(code.replace(" ", "")) == 8 and " " in code  # grouped for reading aloud
    concern = Concern.objects.get(reference=reference)
    assert concern.channel == Channel.ONLINE and concern.received_unit == n.village and concern.hamlet == n.hamlet2
    assert contact_phones(concern) == ["13800138000"]

    # Tracking: the receipt's button leads to the page with the reference filled in.
    page.get_by_role("link", name="查看办理进度").click()
    expect(page.get_by_label("登记编号")).to_have_value(reference)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询", exact=True).click()
    progress = page.locator("#progress")
    expect(progress.locator("li[aria-current=step]")).to_have_text("受理登记")
    expect(progress).to_contain_text("甲村")
    expect(page.locator("#rate")).to_have_count(0)  # nothing to rate yet
    fits(page)

    # The clerk handles it and records the result.
    drive(n, concern, State.SUPERVISION, actor=n.village_clerk)

    track(page, reference, code)
    expect(progress.locator("li[aria-current=step]")).to_have_text("接受监督")
    expect(progress).to_contain_text("已办结")
    rate = page.locator("#rate")
    rate.get_by_text("满意", exact=True).click()
    rate.get_by_label("还想说的话（可不填）").fill("量得很清楚，谢谢")
    rate.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您，评价已记录。")).to_be_visible()
    expect(page.locator("#rate")).to_have_count(0)  # once per result
    fits(page)
    rating = ConcernRating.objects.get(concern=concern)
    assert (rating.rating, rating.recorded_by, rating.comment) == ("satisfied", None, "量得很清楚，谢谢")
