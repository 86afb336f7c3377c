"""The self-service API: public endpoints (no credentials, same abuse protection) and the
staff inbox (allowed / 403 / 404 / 401)."""
import logging

import pytest

from huiying.concerns.models import Channel, Concern, ConcernRating, Function, State
from huiying.selfservice import abuse, services, tracking
from huiying.selfservice.models import Suggestion

from helpers import drive, fresh

from api.conftest import _default_language, api  # noqa: F401  (the API clients)


def challenge(api, unit):
    body = api(None).get(f"/api/v1/selfservice/units/{unit.id}/form").json()
    a, b, _ = abuse._signed_numbers(body["challenge"])
    assert "加" in body["question"] or "plus" in body["question"]
    return {"challenge": body["challenge"], "answer": str(a + b)}


def test_submit_track_and_rate_without_credentials(api, network, now):
    anon = api(None)
    form = anon.get(f"/api/v1/selfservice/units/{network.village.id}/form").json()
    assert {h["name"] for h in form["hamlets"]} == {"甲一屯", "甲二屯"} and form["unit"] == "甲村"
    r = anon.post(f"/api/v1/selfservice/units/{network.village.id}/concerns",
                  {"hamlet": network.hamlet.id, "function": Function.DISPUTE, "description": "边界纠纷", **challenge(api, network.village)}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    c = Concern.objects.get(reference=body["reference"])
    assert c.channel == Channel.ONLINE and c.received_unit == network.village and body["tracking_code"] == tracking.tracking_code(c)
    track = {"reference": c.reference, "code": body["tracking_code"]}
    p = anon.post("/api/v1/selfservice/track", track, format="json").json()
    assert p["state"] == State.REGISTERED and p["handling_unit"] == "甲村" and not p["can_rate"] and p["result"] == ""
    assert anon.post("/api/v1/selfservice/track", {**track, "code": "12345678" if track["code"] != "12345678" else "1"}, format="json").status_code == 404
    c = drive(network, c, State.SUPERVISION, actor=network.village_clerk)
    assert anon.post("/api/v1/selfservice/track", track, format="json").json()["can_rate"]
    r = anon.post("/api/v1/selfservice/track/rating", {**track, "version": fresh(c).version, "rating": "satisfied"}, format="json")
    assert r.status_code == 200 and r.json()["rated"] and not r.json()["can_rate"]
    assert ConcernRating.objects.get(concern=c).recorded_by is None
    assert anon.post("/api/v1/selfservice/track/rating", {**track, "version": fresh(c).version, "rating": "satisfied"}, format="json").status_code == 403
    assert anon.post("/api/v1/selfservice/track/rating", {**track, "version": 1, "rating": "satisfied"}, format="json").status_code == 409


def test_public_writes_need_the_challenge_and_are_rate_limited(api, network, now, settings):
    anon = api(None)
    url = f"/api/v1/selfservice/units/{network.village.id}/suggestions"
    r = anon.post(url, {"text": "路灯", "challenge": "x", "answer": "1"}, format="json")
    assert r.status_code == 400 and "answer" in r.json()["errors"]
    settings.HUIYING_ABUSE_LIMITS = {**settings.HUIYING_ABUSE_LIMITS, "box": (2, 600)}  # the refused attempt counted too
    assert anon.post(url, {"text": "路灯", **challenge(api, network.village)}, format="json").status_code == 201
    r = anon.post(url, {"text": "路灯", **challenge(api, network.village)}, format="json")
    assert r.status_code == 429 and r["Retry-After"] and r.json()["errors"]["non_field_errors"]
    r = anon.post(f"/api/v1/selfservice/units/{network.village.id}/concerns", {"description": "长" * 20000}, format="json")
    assert r.status_code == 413
    assert Suggestion.objects.count() == 1 and not Concern.objects.exists()


def test_box_over_the_api_logs_no_address(api, network, now, caplog):
    caplog.set_level(logging.DEBUG)
    r = api(None).post(f"/api/v1/selfservice/units/{network.village.id}/suggestions", {"text": "路灯", **challenge(api, network.village)}, format="json",
                       REMOTE_ADDR="203.0.113.99", HTTP_USER_AGENT="ZzApiAgent/1")
    assert r.status_code == 201
    receipt = r.json()["receipt"]
    r = api(None).post("/api/v1/selfservice/box/receipt", {"receipt": receipt}, format="json")
    assert r.json() == {"text": "路灯", "read": False, "answer": ""}
    logged = "\n".join(f"{x.getMessage()} {x.__dict__!r}" for x in caplog.records)
    assert "203.0.113.99" not in logged and "ZzApiAgent" not in logged


@pytest.mark.parametrize("who,inbox,read", [
    ("village_clerk", 200, 200), ("township_staff", 200, 200), ("county_commander", 200, 200),
    ("far_clerk", 403, 404), ("other_village_clerk", 403, 404), ("supervisor", 403, 404), ("hamlet_clerk", 403, 404),
])
def test_inbox_roles(api, network, now, who, inbox, read):
    s, _ = services.suggestion_drop(unit=network.village, text="修路")
    r = api(who).get(f"/api/v1/selfservice/inbox?unit={network.village.id}")
    assert r.status_code == inbox
    if inbox == 200:
        assert [x["text"] for x in r.json()] == ["修路"]
    assert api(who).post("/api/v1/selfservice/inbox/mark-read", {"suggestion": s.id}, format="json").status_code == read
    assert api(who).get(f"/api/v1/selfservice/inbox?unit={network.department.id}").status_code == 404


def test_inbox_needs_credentials_and_answer_and_concern(api, network, now):
    s, _ = services.suggestion_drop(unit=network.village, text="修路")
    assert api(None).get(f"/api/v1/selfservice/inbox?unit={network.village.id}").status_code == 401
    assert api(None).post("/api/v1/selfservice/inbox/reply", {"suggestion": s.id, "answer": "好"}, format="json").status_code == 401
    clerk = api("village_clerk")
    assert clerk.post("/api/v1/selfservice/inbox/reply", {"suggestion": s.id, "answer": ""}, format="json").status_code == 400
    r = clerk.post("/api/v1/selfservice/inbox/reply", {"suggestion": s.id, "answer": "下月修", "public": True}, format="json")
    assert r.status_code == 200 and r.json()["answer_public"]
    assert api("far_clerk").post("/api/v1/selfservice/inbox/register", {"suggestion": s.id}, format="json").status_code == 404
    r = clerk.post("/api/v1/selfservice/inbox/register", {"suggestion": s.id}, format="json")
    assert r.status_code == 201 and Concern.objects.get(reference=r.json()["reference"]).channel == Channel.SUGGESTION_BOX
    # A supervisor is a member of the village but does not handle its box: forbidden to write.
    assert api("supervisor").post("/api/v1/selfservice/inbox/reply", {"suggestion": s.id, "answer": "x"}, format="json").status_code == 404
