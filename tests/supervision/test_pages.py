"""The supervision pages for each role: the supervisor's home panel, list and rating form;
the township's review queue and closing form; a unit's supervisors and the three rates."""
import pytest
from django.urls import reverse

from helpers import drive, fresh, register
from huiying.concerns.models import State
from huiying.supervision import services
from huiying.supervision.models import Kind, Review, SupervisorRating


@pytest.fixture
def secret(network, now):
    return drive(network, register(network, actor=network.village_clerk, confidential=True, track="confidential",
                                   handler=network.village_clerk, summary="家庭隐私事项"), State.SUPERVISION)


def test_supervisor_home_panel_and_list(login, network, finished, secret):
    c = login("supervisor")
    page = c.get(reverse("web:home")).content.decode()
    assert "待评价的结果" in page and finished.reference in page and reverse("supervision:rate", args=[finished.reference]) in page
    assert "您还没有加入回应网络" not in page
    page = c.get(reverse("supervision:home")).content.decode()
    assert finished.reference in page and "我的评价" in page
    # Never a confidential concern, not even by its reference.
    assert secret.reference not in page and "家庭隐私事项" not in page
    assert c.get(reverse("supervision:rate", args=[secret.reference])).status_code == 404


def test_supervisor_rates_on_the_page(login, network, finished):
    c = login("supervisor")
    url = reverse("supervision:rate", args=[finished.reference])
    page = c.get(url).content.decode()
    assert "不满意" in page and 'name="comment"' in page
    # Bad input: the error is shown next to the field, nothing written.
    response = c.post(url, {"rating": "dissatisfied", "comment": ""})
    assert response.status_code == 200 and "has-error" in response.content.decode() and not SupervisorRating.objects.exists()
    response = c.post(url, {"rating": "dissatisfied", "comment": "水渠仍然堵塞"})
    assert response.status_code == 302 and Review.objects.filter(concern=finished).exists()
    # Rated once: the second attempt says so.
    page = c.post(url, {"rating": "satisfied", "comment": "再评"}).content.decode()
    assert "您已评价过这一结果" in page and SupervisorRating.objects.count() == 1
    # The concern page's timeline shows the rating and the review (it reads the record book).
    page = c.get(reverse("web:concern", args=[finished.reference])).content.decode()
    assert "监督员评价已记录" in page and "水渠仍然堵塞" in page


@pytest.mark.parametrize("username, status", [("village_clerk", 403), ("township_staff", 403), ("other_village_clerk", 404)])
def test_others_cannot_rate(login, network, finished, username, status):
    assert login(username).get(reverse("supervision:rate", args=[finished.reference])).status_code == status
    assert login(username).get(reverse("supervision:home")).status_code == 403


def test_township_sees_and_closes_the_review(login, network, finished):
    services.supervision_rate(actor=network.supervisor, concern=finished, rating="dissatisfied", comment="水渠仍然堵塞")
    review = Review.objects.get()
    c = login("township_staff")
    page = c.get(reverse("web:home")).content.decode()
    assert "复核中" in page and finished.reference in page
    page = c.get(reverse("supervision:reviews")).content.decode()
    assert finished.reference in page and "水渠仍然堵塞" in page
    url = reverse("supervision:review", args=[review.pk])
    assert "退回重办" in c.get(url).content.decode()
    response = c.post(url, {"decision": "rework", "reason": ""})
    assert response.status_code == 200 and Review.objects.get().is_open
    assert c.post(url, {"decision": "rework", "reason": "请重新疏通"}).status_code == 302
    assert fresh(finished).state == State.ON_SITE and not Review.objects.get().is_open


@pytest.mark.parametrize("username, status", [("other_township_staff", 404), ("village_clerk", 404), ("supervisor", 404)])
def test_others_do_not_see_the_review(login, network, finished, username, status):
    services.supervision_rate(actor=network.supervisor, concern=finished, rating="dissatisfied", comment="不满意")
    assert login(username).get(reverse("supervision:review", args=[Review.objects.get().pk])).status_code == status


def test_county_commander_sees_reviews_and_village_clerk_does_not(login, network, finished):
    services.supervision_rate(actor=network.supervisor, concern=finished, rating="dissatisfied", comment="不满意")
    assert finished.reference in login("county_commander").get(reverse("supervision:reviews")).content.decode()
    assert login("village_clerk").get(reverse("supervision:reviews")).status_code == 403


def test_unit_supervisors_page(login, network, now):
    url = reverse("supervision:unit_supervisors", args=[network.village.pk])
    c = login("township_staff")
    assert "登记监督员" in c.get(url).content.decode()
    response = c.post(url, {"username": "sup9", "full_name": "黄监督", "kind": Kind.PARTY_REP, "phone": ""})
    assert response.status_code == 302
    page = c.get(url).content.decode()
    assert "黄监督" in page and "党代表" in page
    page = c.post(url, {"username": "village_clerk", "full_name": "", "kind": Kind.PARTY_REP}).content.decode()
    assert "has-error" in page
    # A clerk sees the list, without the form; posting is refused.
    c = login("village_clerk")
    page = c.get(url).content.decode()
    assert "黄监督" in page and "登记监督员" not in page
    assert c.post(url, {"username": "sup10", "full_name": "x", "kind": Kind.PARTY_REP}).status_code == 403
    # The unit page links here and to the rates.
    page = c.get(reverse("web:unit", args=[network.village.pk])).content.decode()
    assert url in page and reverse("supervision:unit_rates", args=[network.village.pk]) in page


def test_rates_page_shows_each_definition(login, network, finished, settings):
    settings.HUIYING_RATES_MIN_CONCERNS = 1
    settings.HUIYING_RATES_MIN_RATED = 5
    services.supervision_rate(actor=network.supervisor, concern=finished, rating="satisfied", comment="好")
    page = login("township_staff").get(reverse("supervision:unit_rates", args=[network.township.pk])).content.decode()
    for name in ("按时响应率", "办结率", "满意率"):
        assert page.count(name) >= 2  # the figure and its definition
    assert "100.0%" in page  # resolution: 1 of 1
    assert "样本不足" in page  # satisfaction: 1 rated concern of the 5 needed
    assert "甲村" in page and "乙村" in page  # by unit below
    page = login("supervisor").get(reverse("supervision:unit_rates", args=[network.village.pk]) + "?start=2026-01-01&end=2026-12-31").content.decode()
    assert "满意率" in page
    assert login("far_clerk").get(reverse("supervision:unit_rates", args=[network.village.pk])).status_code == 404
