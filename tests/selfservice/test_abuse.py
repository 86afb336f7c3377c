"""Abuse protection of the public forms: rate limit → 429, a wrong challenge or a filled
honeypot → an error next to the answer, an oversize body → 413; nothing is stored."""
import pytest
from django.urls import reverse

from huiying.concerns.models import Concern, Function
from huiying.core.errors import ServiceError
from huiying.selfservice import abuse
from huiying.selfservice.models import Submission, Suggestion

from .conftest import challenge_of, solved


def test_over_the_rate_limit_is_a_friendly_429(client, network, now, settings):
    settings.HUIYING_ABUSE_LIMITS = {**settings.HUIYING_ABUSE_LIMITS, "box": (2, 600)}
    url = reverse("selfservice:box", args=[network.village.pk])
    for _ in range(2):
        assert client.post(url, solved(client, url, {"text": "路灯"}), REMOTE_ADDR="198.51.100.1").status_code == 200
    r = client.post(url, solved(client, url, {"text": "路灯"}), REMOTE_ADDR="198.51.100.1")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0 and "分钟后再试" in r.content.decode()
    assert Suggestion.objects.count() == 2
    # Another client is not held up.
    assert client.post(url, solved(client, url, {"text": "路灯"}), REMOTE_ADDR="198.51.100.2").status_code == 200


def test_wrong_answer_expired_and_honeypot_are_refused_next_to_the_answer(client, network, now):
    url = reverse("selfservice:submit", args=[network.village.pk])
    good = {"hamlet": network.hamlet.pk, "function": Function.DISPUTE, "description": "纠纷"}
    token, answer = challenge_of(client.get(url).content.decode())
    r = client.post(url, {**good, "challenge": token, "answer": str(int(answer) + 1)})
    html = r.content.decode()
    assert "答案不对" in html and "纠纷" in html  # what was typed is kept
    assert challenge_of(html)[0] != token  # a fresh question
    assert "页面已过期" in client.post(url, {**good, "challenge": "forged:1:2", "answer": "3"}).content.decode()
    assert "答案不对" in client.post(url, {**good, "challenge": token, "answer": answer, "website": "http://spam"}).content.decode()
    assert not Concern.objects.exists() and not Submission.objects.exists()


def test_chinese_numerals_are_accepted(client, network, now):
    url = reverse("selfservice:box", args=[network.village.pk])
    token, answer = challenge_of(client.get(url).content.decode())
    word = abuse.DIGITS[int(answer)]
    assert client.post(url, {"text": "好", "challenge": token, "answer": word}).status_code == 200
    assert Suggestion.objects.count() == 1


def test_too_fast_is_refused(settings):
    settings.HUIYING_ABUSE_MIN_SECONDS = 60
    c = abuse.new_challenge()
    a, b, _ = abuse._signed_numbers(c.token)
    with pytest.raises(ServiceError) as e:
        abuse.check_challenge(c.token, str(a + b))
    assert e.value.code == "too_fast"


def test_oversize_body_and_field_are_refused(client, network, now, settings):
    url = reverse("selfservice:box", args=[network.village.pk])
    r = client.post(url, solved(client, url, {"text": "长" * 20000}))
    assert r.status_code == 413 and "内容太长" in r.content.decode()
    settings.HUIYING_ABUSE_MAX_BODY = 10**6
    r = client.post(url, solved(client, url, {"text": "长" * 2001}))
    assert r.status_code == 200 and "2000" in r.content.decode()
    assert not Suggestion.objects.exists()


def test_wrong_tracking_codes_are_limited_per_reference(client, network, now, settings):
    from huiying.selfservice import services

    settings.HUIYING_ABUSE_LIMITS = {**settings.HUIYING_ABUSE_LIMITS, "track-ref": (3, 3600)}
    c = services.submission_create(unit=network.village, hamlet=network.hamlet, function=Function.DISPUTE, description="纠纷").concern
    url = reverse("selfservice:track")
    for i in range(3):  # from three different addresses
        assert client.post(url, {"reference": c.reference, "code": "00000000"}, REMOTE_ADDR=f"192.0.2.{i}").status_code == 200
    assert client.post(url, {"reference": c.reference, "code": "00000000"}, REMOTE_ADDR="192.0.2.9").status_code == 429
