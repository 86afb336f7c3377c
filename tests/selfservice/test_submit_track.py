"""Self-service: a villager submits a concern on the unit's public page, tracks it with the
reference and tracking code, and rates the result."""
import re

import pytest
from django.urls import reverse

from huiying.concerns import services as cs
from huiying.concerns.models import Channel, Concern, ConcernRating, Function, Outcome, State, Track
from huiying.core.errors import Forbidden, NotFound, ServiceError
from huiying.records.models import RecordEntry
from huiying.selfservice import selectors, services, tracking
from huiying.selfservice.models import Submission

from helpers import act, drive, fresh, register

from .conftest import solved


def submit(client, unit, **data):
    url = reverse("selfservice:submit", args=[unit.pk])
    return client.post(url, solved(client, url, data))


def receipt_codes(html: str) -> tuple[str, str]:
    ref = re.search(r'id="reference">([^<]+)<', html).group(1).strip()
    code = re.search(r'id="tracking-code"[^>]*>([^<]+)<', html).group(1).strip()
    return ref, code


def test_submit_registers_an_online_concern_at_the_unit(client, network, now):
    page = client.get(reverse("selfservice:submit", args=[network.village.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "甲一屯" in html and "甲二屯" in html and "乙一屯" not in html  # the village's hamlets only
    r = submit(client, network.village, hamlet=network.hamlet2.pk, function=Function.DISPUTE,
               description="邻居宅基地边界纠纷，想请村里调解", phone="13800138000")
    assert r.status_code == 200
    ref, code = receipt_codes(r.content.decode())
    c = Concern.objects.get(reference=ref)
    assert (c.received_unit, c.channel, c.function, c.hamlet, c.track) == (network.village, Channel.ONLINE, Function.DISPUTE, network.hamlet2, Track.DISPUTE)
    assert c.registered_by.username == "selfservice-cs" and not c.registered_by.is_active
    assert c.villagers.count() == 0  # no name is asked
    assert code.replace(" ", "") == tracking.tracking_code(c) and len(code.replace(" ", "")) == 8
    assert selectors.contact_phones(c) == ["13800138000"]
    assert RecordEntry.objects.filter(concern=c, action="selfservice.submit").exists()
    assert r["Cache-Control"].startswith("max-age=0") or "no-cache" in r["Cache-Control"]


def test_submit_errors_are_shown_next_to_the_field_and_nothing_is_stored(client, network, now):
    before = Concern.objects.count()
    r = submit(client, network.village, hamlet=network.far_hamlet.pk, function="", description="", phone="12345")
    html = r.content.decode()
    assert r.status_code == 200
    assert "请选择您所在的屯" in html or "选择" in html
    assert "请写几句话" in html and "请选择是什么事" in html
    assert Concern.objects.count() == before and not Submission.objects.exists()


def test_service_refuses_a_hamlet_of_another_unit_and_a_bad_phone(network, now):
    with pytest.raises(ServiceError) as e:
        services.submission_create(unit=network.village, hamlet=network.far_hamlet, function=Function.DISPUTE, description="x")
    assert e.value.field == "hamlet"
    with pytest.raises(ServiceError) as e:
        services.submission_create(unit=network.village, hamlet=network.hamlet, function=Function.DISPUTE, description="x", phone="12")
    assert e.value.field == "phone"
    assert not Concern.objects.exists()


def test_a_point_serves_its_own_hamlet_and_a_department_has_no_public_page(client, network):
    assert list(selectors.hamlets_of(network.point)) == [network.hamlet]
    assert client.get(reverse("selfservice:submit", args=[network.department.pk])).status_code == 404


def _track(client, reference, code):
    return client.post(reverse("selfservice:track"), {"reference": reference, "code": code})


def test_tracking_shows_that_concern_and_nothing_else(client, network, now):
    other = register(network, summary="另一件事 秘密词", handler=network.village_clerk)
    sub = services.submission_create(unit=network.village, hamlet=network.hamlet, function=Function.AGENCY_SERVICE, description="补办户口本")
    c = act(cs.concern_assign, actor=network.village_clerk, concern=sub.concern, handler=network.village_clerk)
    r = _track(client, c.reference, tracking.grouped(tracking.tracking_code(c)))
    html = r.content.decode()
    assert r.status_code == 200 and c.reference in html and network.village.name in html
    assert "分析处置" in html and 'aria-current="step"' in html
    assert other.reference not in html and "秘密词" not in html
    # No staff names or phones, and not even the concern's own summary (it is not needed).
    for name in ("张值班", "韦指挥", "网上自助", "selfservice-cs"):
        assert name not in html


def test_wrong_reference_and_wrong_code_look_the_same(client, network, now):
    sub = services.submission_create(unit=network.village, hamlet=network.hamlet, function=Function.DISPUTE, description="纠纷")
    c = sub.concern
    wrong_code = f"{(int(tracking.tracking_code(c)) + 1) % 10**8:08d}"
    a = _track(client, c.reference, wrong_code).content.decode()
    b = _track(client, "CS-2026-999999", tracking.tracking_code(c)).content.decode()
    strip = lambda html: re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]+"', "", html)  # noqa: E731
    assert strip(a) == strip(b) and "没有找到" in a
    with pytest.raises(NotFound):
        selectors.concern_by_tracking(reference=c.reference, code=wrong_code)


def test_rating_only_when_finished_and_resolved_once_per_result_dissatisfied_reopens(client, network, now):
    sub = services.submission_create(unit=network.village, hamlet=network.hamlet, function=Function.DISPUTE, description="纠纷")
    c = sub.concern
    code = tracking.tracking_code(c)
    # Open: no rating form, and the service refuses.
    assert 'id="rate"' not in _track(client, c.reference, code).content.decode()
    with pytest.raises(Forbidden):
        services.concern_rate_online(concern=c, version=fresh(c).version, rating="satisfied")
    c = drive(network, c, State.SUPERVISION, actor=network.village_clerk)
    html = _track(client, c.reference, code).content.decode()
    assert 'id="rate"' in html and "已办结" in html  # the result is shown
    r = client.post(reverse("selfservice:track"), {"reference": c.reference, "code": code, "version": fresh(c).version, "rating": "dissatisfied", "comment": "没解决"})
    assert "感谢" in r.content.decode()
    c = fresh(c)
    assert c.state == State.ON_SITE and c.outcome == "" and c.reopen_count == 1
    rating = ConcernRating.objects.get(concern=c)
    assert rating.recorded_by is None and rating.comment == "没解决"
    # The next result is rated afresh, once.
    c = act(cs.concern_resolve, actor=network.village_clerk, concern=c, result="已重新调解")
    services.concern_rate_online(concern=fresh(c), version=fresh(c).version, rating="satisfied")
    with pytest.raises(Forbidden):
        services.concern_rate_online(concern=fresh(c), version=fresh(c).version, rating="satisfied")
    assert 'id="rate"' not in _track(client, c.reference, code).content.decode()


def test_a_concern_closed_unresolved_is_not_rated(network, now):
    sub = services.submission_create(unit=network.village, hamlet=network.hamlet, function=Function.DISPUTE, description="纠纷")
    c = act(cs.concern_close_unresolved, actor=network.village_clerk, concern=sub.concern, outcome=Outcome.WITHDRAWN, reason="撤回")
    assert not selectors.progress(fresh(c)).can_rate
    with pytest.raises(Forbidden):
        services.concern_rate_online(concern=fresh(c), version=fresh(c).version, rating="satisfied")


def test_a_confidential_concern_is_tracked_but_its_result_and_rating_are_in_person(client, network, now):
    sub = services.submission_create(unit=network.village, hamlet=network.hamlet, function=Function.SENTIMENT, description="家暴的事，请保密")
    c = sub.concern
    assert c.track == Track.CONFIDENTIAL and c.confidential
    # Seen only by its handlers and the county HQ: the HQ assigns it.
    c = drive(network, c, State.SUPERVISION, actor=network.county_commander)
    html = _track(client, c.reference, tracking.tracking_code(c)).content.decode()
    assert "已办结" not in html and 'id="rate"' not in html and "当面" in html
    with pytest.raises(Forbidden):
        services.concern_rate_online(concern=fresh(c), version=fresh(c).version, rating="satisfied")


def test_tracking_code_is_stable_and_differs_between_concerns(network, now):
    a = services.submission_create(unit=network.village, hamlet=network.hamlet, function=Function.DISPUTE, description="一").concern
    b = services.submission_create(unit=network.village, hamlet=network.hamlet, function=Function.DISPUTE, description="二").concern
    assert tracking.tracking_code(a) == tracking.tracking_code(fresh(a)) != tracking.tracking_code(b)
    assert tracking.matches(a, "  " + tracking.grouped(tracking.tracking_code(a)))
