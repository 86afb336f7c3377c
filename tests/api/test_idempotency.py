"""Idempotency keys: a create retried over a weak network happens once."""
import datetime as dt

from huiying.api.models import IdempotencyRecord
from huiying.concerns.models import Concern, Villager, Visit
from huiying.core import clock

BODY = {"function": "dispute", "channel": "phone", "summary": "重复提交的关切", "track": "dispute"}


def _post(client, body, key="d2f6c2e0-retry-1", url="/api/v1/concerns"):
    return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_key_twice_registers_one_concern_and_answers_the_same(api, network):
    client = api("village_clerk")
    body = {**BODY, "unit": network.village.id}
    first = _post(client, body)
    second = _post(client, body)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Concern.objects.filter(summary=BODY["summary"]).count() == 1


def test_the_same_key_with_another_body_is_refused_with_422(api, network):
    client = api("village_clerk")
    assert _post(client, {**BODY, "unit": network.village.id}).status_code == 201
    r = _post(client, {**BODY, "unit": network.village.id, "summary": "另一件事"})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["non_field_errors"]
    r = _post(client, {"name": "王五", "hamlet": network.hamlet2.id}, url="/api/v1/villagers")  # another endpoint, same key
    assert r.status_code == 422
    assert Concern.objects.count() == 1 and not Villager.objects.exists()


def test_keys_belong_to_their_user(api, network):
    assert _post(api("village_clerk"), {**BODY, "unit": network.village.id}).status_code == 201
    assert _post(api("village_clerk2"), {**BODY, "unit": network.village.id}).status_code == 201
    assert Concern.objects.count() == 2


def test_a_refused_create_stores_nothing_and_can_be_retried_with_its_key(api, network):
    client = api("village_clerk")
    assert _post(client, {**BODY, "unit": network.village.id, "summary": " "}).status_code == 400
    assert _post(client, {**BODY, "unit": network.county.id}).status_code == 403
    assert not IdempotencyRecord.objects.exists()
    assert _post(client, {**BODY, "unit": network.village.id}).status_code == 201


def test_a_key_is_kept_for_24_hours(api, network, now):
    client = api("village_clerk")
    body = {**BODY, "unit": network.village.id}
    assert _post(client, body).status_code == 201
    with clock.frozen(now + dt.timedelta(hours=23)):
        assert _post(client, body)["Idempotent-Replayed"] == "true"
    with clock.frozen(now + dt.timedelta(hours=25)):
        assert not _post(client, body).has_header("Idempotent-Replayed")
    assert Concern.objects.count() == 2


def test_visits_and_villagers_take_keys_too(api, network):
    client = api("village_clerk")
    visit = {"unit": network.village.id, "visitor_count": 3, "concerns": [{"function": "dispute", "summary": "三人同来", "track": "dispute"}]}
    assert _post(client, visit, key="v1", url="/api/v1/visits").json() == _post(client, visit, key="v1", url="/api/v1/visits").json()
    villager = {"name": "王五", "hamlet": network.hamlet2.id}
    assert _post(client, villager, key="p1", url="/api/v1/villagers").json() == _post(client, villager, key="p1", url="/api/v1/villagers").json()
    assert (Visit.objects.count(), Concern.objects.count(), Villager.objects.count()) == (1, 1, 1)


def test_a_bad_key_is_named(api, network):
    r = _post(api("village_clerk"), {**BODY, "unit": network.village.id}, key="x" * 256)
    assert r.status_code == 400 and list(r.json()["errors"]) == ["Idempotency-Key"]
