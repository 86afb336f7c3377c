"""How the API behaves: cursor pagination, the web's filters, optimistic concurrency (409
with the current version), errors as JSON naming the field, Chinese by default."""
import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from huiying.concerns import services as cs
from huiying.concerns.models import State

from helpers import act, drive, fresh, register, snapshot


def test_cursor_pagination_walks_every_concern_once_even_while_new_ones_arrive(api, network, now):
    n = network
    for i in range(23):
        register(n, actor=n.village_clerk, summary=f"关切{i}", received_at=now - dt.timedelta(minutes=i))
    client = api("village_clerk")
    page = client.get("/api/v1/concerns?page_size=10").json()
    seen = [c["reference"] for c in page["results"]]
    assert page["previous"] is None and len(seen) == 10
    register(n, actor=n.village_clerk, summary="分页中新来的")  # newest: lands before the cursor, shifts nothing
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [c["reference"] for c in page["results"]]
    assert len(seen) == len(set(seen)) == 23
    assert "cursor=" in client.get("/api/v1/concerns?page_size=10").json()["next"]
    assert client.get("/api/v1/concerns?cursor=garbage").status_code == 404


def test_every_list_is_cursor_paginated(api, network, now):
    for url in ["/api/v1/units", "/api/v1/hamlets", "/api/v1/villagers", "/api/v1/visits", "/api/v1/concerns", "/api/v1/tokens"]:
        body = api("county_commander").get(url + "?page_size=1").json()
        assert set(body) == {"next", "previous", "results"}, url


@pytest.fixture
def mix(network, now):
    n = network
    v = cs.villager_create(actor=n.village_clerk, name="覃阿婆", hamlet=n.hamlet2)
    return {
        "open": register(n, actor=n.village_clerk, summary="水渠漏水", handler=n.village_clerk, villagers=[v]),
        "policy": register(n, actor=n.village_clerk, track="policy", summary="医保政策咨询"),
        "done": drive(n, register(n, actor=n.village_clerk, summary="已办结的纠纷"), State.SUPERVISION, actor=n.village_clerk),
        "old": register(n, actor=n.village_clerk, summary="去年的事", received_at=now - dt.timedelta(days=40)),
        "point": register(n, actor=n.hamlet_clerk, unit=n.point, summary="屯里的事"),
        "far": register(n, actor=n.far_clerk, unit=n.far_village, summary="别镇的事"),
    }


@pytest.mark.parametrize("query, expected", [
    ("", {"open", "policy", "done", "old", "point", "far"}),
    ("state=registered", {"open", "policy", "old", "point", "far"}),
    ("track=policy", {"policy"}),
    ("function=dispute&pending=true", {"open", "old", "point", "far"}),
    ("pending=false", {"done"}),
    ("q=纠纷", {"done"}),
    ("q=纠纷 已办结", {"done"}),
    ("handler=village_clerk", {"open", "done"}),
    ("unit={village}", {"open", "policy", "done", "old", "point"}),
    ("unit={point}", {"point"}),
    ("date_from={today}", {"open", "policy", "done", "point", "far"}),
    ("date_to={long_ago}", {"old"}),
    ("overdue=true", {"old"}),
    ("queue=overdue", {"old"}),
    ("queue=all", {"open", "policy", "done", "old", "point", "far"}),
    ("queue=unit", set()),  # nothing is handled at the county HQ
    ("queue=mine", set()),  # the commander handles none of them
])
def test_filters(api, network, mix, now, query, expected):
    query = query.format(village=network.village.id, point=network.point.id, today=now.date(), long_ago=now.date() - dt.timedelta(days=30))
    r = api("county_commander").get(f"/api/v1/concerns?{query}&page_size=100")
    assert r.status_code == 200, r.json()
    assert {c["summary"] for c in r.json()["results"]} == {mix[k].summary for k in expected}


@pytest.mark.parametrize("query, field", [
    ("state=nonsense", "state"), ("pending=perhaps", "pending"), ("unit=abc", "unit"), ("unit={far}", "unit"),
    ("date_from=2026-13-01", "date_from"), ("date_from=2026-03-02&date_to=2026-03-01", "date_to"), ("queue=everything", "queue"),
    ("date_from=1066-10-14", "date_from"),
])
def test_a_bad_filter_is_a_400_naming_it(api, network, query, field):
    r = api("village_clerk").get(f"/api/v1/concerns?{query.format(far=network.far_village.id)}")
    assert r.status_code == 400 and list(r.json()["errors"]) == [field], r.json()


def test_a_stale_version_gets_409_with_the_current_version_and_changes_nothing(api, network, concern):
    client = api("village_clerk")
    assert client.post(f"/api/v1/concerns/{concern.reference}/assign", {"version": 1, "handler": "village_clerk"}, format="json").status_code == 200
    before = snapshot()
    # A second clerk, who read version 1 on a weak network, tries another step.
    r = api("village_clerk2").post(f"/api/v1/concerns/{concern.reference}/close_unresolved", {"version": 1, "outcome": "withdrawn", "reason": "撤回"}, format="json")
    assert r.status_code == 409
    assert r.json()["current_version"] == 2 == fresh(concern).version
    assert list(r.json()["errors"]) == ["version"]
    assert snapshot() == before
    # Reloaded, the same step goes through.
    r = api("village_clerk2").post(f"/api/v1/concerns/{concern.reference}/close_unresolved", {"version": 2, "outcome": "withdrawn", "reason": "撤回"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "closed"


def test_a_stale_version_is_409_even_when_the_step_is_no_longer_possible(api, network, concern):
    # Someone closed it meanwhile: the client learns it is stale (and reloads) rather than "forbidden".
    act(cs.concern_close_unresolved, actor=network.village_clerk, concern=concern, outcome="withdrawn", reason="撤回")
    r = api("village_clerk").post(f"/api/v1/concerns/{concern.reference}/assign", {"version": 1, "handler": "village_clerk"}, format="json")
    assert r.status_code == 409 and r.json()["current_version"] == 2


def test_a_missing_version_is_named(api, concern):
    r = api("village_clerk").post(f"/api/v1/concerns/{concern.reference}/start_on_site", {}, format="json")
    assert r.status_code == 403  # not possible while registered: checked before the input
    r = api("village_clerk").post(f"/api/v1/concerns/{concern.reference}/assign", {"handler": "village_clerk"}, format="json")
    assert r.status_code == 400 and r.json() == {"errors": {"version": ["This field is required."]}}


@pytest.mark.parametrize("body, field", [
    ({"function": "dispute", "channel": "phone", "track": "dispute"}, "summary"),
    ({"function": "dispute", "channel": "phone", "track": "dispute", "summary": "x" * 201}, "summary"),  # the service's limit
    ({"function": "dispute", "channel": "phone", "track": "nonsense", "summary": "x"}, "track"),
    ({"function": "dispute", "channel": "visit", "track": "dispute", "summary": "x"}, "visit"),  # the service's rule
    ({"function": "dispute", "channel": "phone", "track": "dispute", "summary": "x", "villagers": [999999]}, "villagers.0"),
    ({"function": "dispute", "channel": "phone", "track": "dispute", "summary": "x", "handler": "nobody"}, "handler"),
    ({"function": "dispute", "channel": "phone", "track": "dispute", "summary": "x", "handler": "far_clerk"}, "handler"),
    ({"function": "dispute", "channel": "phone", "track": "dispute", "summary": "x", "received_at": "yesterday"}, "received_at"),
    ({"function": "dispute", "channel": "phone", "track": "dispute", "summary": "x", "answer": "答复"}, "answer"),
])
def test_errors_are_json_naming_the_field(api, network, body, field):
    before = snapshot()
    r = api("village_clerk").post("/api/v1/concerns", {"unit": network.village.id, **body}, format="json")
    assert r.status_code == 400
    assert list(r.json()) == ["errors"] and list(r.json()["errors"]) == [field], r.json()
    assert all(isinstance(m, str) and m for m in r.json()["errors"][field])
    assert snapshot() == before


def test_a_visits_concern_errors_are_named_by_position(api, network):
    body = {"unit": network.village.id, "visitor_count": 1, "concerns": [
        {"function": "dispute", "summary": "好的", "track": "dispute"}, {"function": "dispute", "summary": " ", "track": "dispute"}]}
    r = api("village_clerk").post("/api/v1/visits", body, format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["concerns.1.summary"]


def test_malformed_json_is_named_body(api, network):
    r = api("village_clerk").generic("POST", "/api/v1/concerns", "{not json", content_type="application/json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["body"]


def test_errors_speak_chinese_by_default(network, now):
    from rest_framework.test import APIClient

    from huiying.api.tokens import api_token_create

    _t, raw = api_token_create(actor=None, user=network.village_clerk)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    r = client.post("/api/v1/concerns", {"unit": network.village.id, "function": "dispute", "channel": "visit", "track": "dispute", "summary": "x"}, format="json")
    with translation.override("zh-hans"):
        expected = str(_("A concern brought by a visit is registered with its visit."))
    assert r.json() == {"errors": {"visit": [expected]}} and expected != "A concern brought by a visit is registered with its visit."
    r = client.post("/api/v1/concerns", {"unit": network.village.id, "function": "dispute", "channel": "phone", "track": "dispute", "summary": " "}, format="json")
    assert r.json() == {"errors": {"summary": ["该字段不能为空。"]}}  # DRF's own messages are translated too


def test_the_work_queues_are_the_web_apps(api, network, mix):
    assert {c["summary"] for c in api("village_clerk").get("/api/v1/concerns?queue=mine").json()["results"]} == {"水渠漏水"}
    assert {c["summary"] for c in api("village_clerk").get("/api/v1/concerns?queue=unit").json()["results"]} == {"水渠漏水", "医保政策咨询", "去年的事"}
    assert {c["summary"] for c in api("township_staff").get("/api/v1/concerns?queue=overdue").json()["results"]} == {"去年的事"}


def test_register_a_policy_question_answered_on_the_spot(api, network):
    body = {"unit": network.village.id, "function": "suggestion", "channel": "visit", "track": "policy", "summary": "养老保险怎么交"}
    visit = api("village_clerk").post("/api/v1/visits", {"unit": network.village.id, "visitor_count": 1}, format="json").json()
    r = api("village_clerk").post("/api/v1/concerns", {**body, "visit": visit["id"], "answer": "按年缴纳"}, format="json")
    assert r.status_code == 201
    assert (r.json()["state"], r.json()["outcome"], r.json()["visit"]) == ("closed", "resolved", visit["id"])
    assert api("village_clerk").get(f"/api/v1/visits/{visit['id']}").json()["concerns"] == [r.json()["reference"]]


def test_a_concern_carries_its_records(api, network, now):
    n = network
    c = drive(n, register(n, actor=n.village_clerk), State.ON_SITE, actor=n.village_clerk)
    act(cs.concern_record_mediation, actor=n.village_clerk, concern=c, held_at=now, place="村部", parties=["甲", "乙"], mediators=["丙"], summary="调解")
    act(cs.concern_extend, actor=n.village_clerk, concern=c, days=2, reason="等材料")
    body = api("village_clerk").get(f"/api/v1/concerns/{c.reference}").json()
    assert body["mediation_sessions"][0]["parties"] == ["甲", "乙"]
    assert body["extensions"][0]["reason"] == "等材料"
    assert body["version"] == fresh(c).version and body["received_at"].endswith("+08:00")


def test_villager_search_and_masked_id_number(api, network):
    client = api("village_clerk")
    r = client.post("/api/v1/villagers", {"name": "张小明", "hamlet": network.hamlet2.id, "id_number": "11010519491231002X", "phone": "13800000000"}, format="json")
    assert r.status_code == 201 and r.json()["id_number"] == "1101**********002X"
    for q in ["q=zxm", "q=小明", "q=138000", "id_number=11010519491231002x"]:
        assert [v["name"] for v in client.get(f"/api/v1/villagers?{q}").json()["results"]] == ["张小明"], q
    r = client.post("/api/v1/villagers", {"name": "张大明", "hamlet": network.hamlet2.id, "id_number": "11010519491231002X"}, format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["id_number"]


def test_a_nul_character_anywhere_is_refused_not_a_server_error(api, network, concern):
    client = api("village_clerk")
    assert client.get("/api/v1/concerns/CS%00").status_code == 404
    assert client.post("/api/v1/concerns/CS%00/assign", {"version": 1}, format="json").status_code == 404
    assert client.get("/api/v1/concerns?q=%00").status_code == 400
    r = client.post("/api/v1/concerns", {"unit": network.village.id, "function": "dispute", "channel": "phone", "track": "dispute", "summary": "a\x00b"}, format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["summary"]
