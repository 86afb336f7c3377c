"""The board's API: the public board and objection (no sign-in), staff batch posting and
objections (allowed / 403 / 404 / 401)."""
import datetime as dt

import pytest

from huiying.board.models import Objection
from huiying.concerns.models import State
from huiying.core import clock
from huiying.network import services as net
from huiying.network.models import Level
from helpers import fresh, snapshot

from .conftest import resolved

D = dt.timedelta


def _challenge(api, url):
    from huiying.selfservice import abuse

    body = api(None).get(url).json()
    a, b, _ = abuse._signed_numbers(body["challenge"])
    assert body["question"]
    return {"challenge": body["challenge"], "answer": str(a + b)}


def test_public_board_needs_no_sign_in(api, network, posted, today):
    r = api(None).get(f"/api/v1/units/{network.village.id}/board")
    assert r.status_code == 200
    items = r.json()
    assert {i["summary"] for i in items} == {"村道坑洼", "路灯不亮"}
    assert items[0]["objection_until"] == str(today + D(days=5)) and items[0]["objection_open"] is True
    assert set(items[0]) >= {"reference", "function_label", "track_label", "summary", "result", "hamlet_name", "posted_on"}
    # A token, even a bad one, is not asked for: the same public answer.
    assert api("far_clerk").get(f"/api/v1/units/{network.village.id}/board").json() == items
    assert api(None).get("/api/v1/units/999999/board").status_code == 404
    assert api(None).get(f"/api/v1/units/{network.village.id}/board?month=2026-13").status_code == 400
    with clock.frozen(clock.now() + D(days=10)):
        assert api(None).get(f"/api/v1/units/{network.village.id}/board").json() == []
        month = posted.period_end.strftime("%Y-%m")
        assert len(api(None).get(f"/api/v1/units/{network.village.id}/board?month={month}").json()) == 2


def test_another_countys_board_is_public_too(api, network):
    other = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", ref_prefix="LX")
    assert api(None).get(f"/api/v1/units/{other.id}/board").json() == []


def test_a_villager_objects_through_the_api(api, network, posted):
    item = posted.items.order_by("id").first()
    url = f"/api/v1/units/{network.village.id}/board/items/{item.id}/objections"
    form = api(None).get(url).json()
    assert form["item"]["summary"] == item.summary and form["item"]["objection_open"] is True and form["question"]
    r = api(None).post(url, {"reason": "路没修", "phone": "13900003333", **_challenge(api, url)}, format="json")
    assert r.status_code == 201, r.json()
    assert fresh(item.concern).state == State.ON_SITE and Objection.objects.get().phone == "13900003333"
    assert api(None).get(url).status_code == 404
    assert api(None).post(url, {"reason": "再来", "challenge": "x", "answer": "1"}, format="json").status_code == 404


def test_objection_refusals(api, network, posted, now):
    item = posted.items.first()
    url = f"/api/v1/units/{network.village.id}/board/items/{item.id}/objections"
    before = snapshot()
    r = api(None).post(url, {"reason": "路没修", **_challenge(api, url), "answer": "99"}, format="json")
    assert r.status_code == 400 and "answer" in r.json()["errors"]
    r = api(None).post(url, {"reason": "", **_challenge(api, url)}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    assert api(None).post(f"/api/v1/units/{network.other_village.id}/board/items/{item.id}/objections", {"reason": "x", **_challenge(api, url)}, format="json").status_code == 404
    with clock.frozen(now + D(days=6)):
        r = api(None).post(url, {"reason": "路没修", **_challenge(api, url)}, format="json")
        assert r.status_code == 400 and "item" in r.json()["errors"]
    assert snapshot() == before


def test_objections_are_rate_limited(api, network, posted, settings):
    settings.HUIYING_ABUSE_LIMITS = {**settings.HUIYING_ABUSE_LIMITS, "object": (2, 600)}
    url = f"/api/v1/units/{network.village.id}/board/items/{posted.items.first().id}/objections"
    codes = [api(None).post(url, {"reason": ""}, format="json").status_code for _ in range(3)]
    assert codes == [400, 400, 429]


def _batch_body(today, refs):
    return {"concerns": refs, "period_start": str(today), "period_end": str(today + D(days=7)), "objection_until": str(today + D(days=3))}


@pytest.mark.parametrize(("who", "expected"), [
    ("village_clerk", 201), ("village_clerk2", 201), ("county_commander", 201),
    ("township_staff", 403), ("supervisor", 404), ("dept_liaison", 404), ("far_clerk", 404), (None, 401),
])
def test_batch_posting_roles(api, network, today, who, expected):
    c = resolved(network)
    r = api(who).post(f"/api/v1/units/{network.village.id}/board/batches", _batch_body(today, [c.reference]), format="json")
    assert r.status_code == expected, r.content
    assert (fresh(c).state == State.POSTED) == (expected == 201)
    if expected == 201:
        assert r.json()["items"][0]["reference"] == c.reference


def test_batch_posting_bad_input(api, network, today):
    c = resolved(network)
    url = f"/api/v1/units/{network.village.id}/board/batches"
    clerk = api("village_clerk")
    assert clerk.post(url, _batch_body(today, []), format="json").status_code == 400
    r = clerk.post(url, _batch_body(today, [c.reference, "CS-2026-999999"]), format="json")
    assert r.status_code == 400 and "concerns" in r.json()["errors"]
    r = clerk.post(url, {**_batch_body(today, [c.reference]), "objection_until": str(today + D(days=30))}, format="json")
    assert r.status_code == 400 and "objection_until" in r.json()["errors"]
    assert fresh(c).state == State.SUPERVISION


@pytest.mark.parametrize(("who", "expected"), [("village_clerk", 200), ("township_staff", 200), ("county_admin", 200), ("supervisor", 404), ("far_clerk", 404), (None, 401)])
def test_objections_list_roles(api, network, posted, who, expected):
    from huiying.board.services import board_object

    board_object(item=posted.items.first(), reason="不实", phone="13900004444")
    r = api(who).get(f"/api/v1/units/{network.village.id}/board/objections")
    assert r.status_code == expected
    if expected == 200:
        assert [o["reason"] for o in r.json()] == ["不实"]
