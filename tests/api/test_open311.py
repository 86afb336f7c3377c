"""Open311 GeoReport v2 conformance, written from the spec (wiki.open311.org/GeoReport_v2 and
Service_Discovery), each check in both formats: .json and .xml."""
import datetime as dt
import json
import re
from xml.etree import ElementTree as ET

import pytest

from huiying.api.models import Open311Request
from huiying.api.open311 import listing
from huiying.api.open311.keys import open311_key_create, open311_key_revoke
from huiying.concerns import services as cs
from huiying.concerns.models import Channel, Concern, State
from huiying.network import services as net
from huiying.network.models import Level, Role
from huiying.records.models import RecordEntry

from helpers import act, drive, register

FORMATS = ["json", "xml"]
W3 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
                  "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                  "lat", "long", "media_url"}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


def _xml_value(el):
    children = list(el)
    if not children:
        return el.text or None
    tags = [c.tag for c in children]
    if len(set(tags)) == 1 and len(tags) > 1 or el.tag in {"values", "attributes", "endpoints", "formats"}:
        return [_xml_value(c) for c in children]
    return {c.tag: _xml_value(c) for c in children}


def parse(response, fmt: str):
    """The body as Python data, read per the spec's format; checks the headers it requires."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(response.content.decode("utf-8"))
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)
    if root.tag in {"services", "service_requests", "errors"}:
        return [_xml_value(c) for c in root]
    return _xml_value(root)


def boolean(value) -> bool:
    assert value in (True, False, "true", "false"), value
    return value in (True, "true")


@pytest.fixture
def o311(network, now, client):
    key, raw = open311_key_create(name="12345热线")
    network.api_key = raw
    network.key = key
    return client


def errors_of(response, fmt, status):
    assert response.status_code == status
    body = parse(response, fmt)
    assert isinstance(body, list) and body, body
    for error in body:
        assert set(error) == {"code", "description"} and str(error["code"]) == str(status) and error["description"]
    return [e["description"] for e in body]


# --- discovery ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(o311, fmt):
    d = parse(o311.get(f"/open311/v2/discovery.{fmt}"), fmt)
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(d)
    assert W3.match(d["changeset"])
    (endpoint,) = d["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and endpoint["type"] in ("production", "test") and W3.match(endpoint["changeset"])
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


# --- services and their definitions ------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_service_list(o311, fmt):
    services = parse(o311.get(f"/open311/v2/services.{fmt}"), fmt)
    assert [s["service_code"] for s in services] == ["agency_service", "dispute", "sentiment", "suggestion"]
    for s in services:
        assert set(s) == SERVICE_FIELDS
        assert boolean(s["metadata"]) is True and s["type"] == "realtime"
        assert s["service_name"] and s["description"] and s["keywords"] and s["group"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", ["agency_service", "dispute", "sentiment", "suggestion"])
def test_service_definitions(o311, network, fmt, code):
    d = parse(o311.get(f"/open311/v2/services/{code}.{fmt}"), fmt)
    assert d["service_code"] == code
    orders = []
    for a in d["attributes"]:
        assert {"variable", "code", "datatype", "required", "datatype_description", "order", "description"} <= set(a)
        assert boolean(a["variable"]) is True and a["datatype"] in DATATYPES and boolean(a["required"]) in (True, False)
        orders.append(int(a["order"]))
        if a["datatype"].endswith("valuelist"):
            assert a["values"] and all(set(v) == {"key", "name"} for v in a["values"])
    assert sorted(orders) == orders and len(set(orders)) == len(orders) and min(orders) == 1
    codes = {a["code"]: a for a in d["attributes"]}
    assert set(codes) == ({"hamlet", "track", "risk_level"} if code == "sentiment" else {"hamlet", "track"})
    assert {v["key"] for v in codes["hamlet"]["values"]} == {str(h.id) for h in (network.hamlet, network.hamlet2, network.other_hamlet, network.far_hamlet)}
    assert "confidential" not in {v["key"] for v in codes["track"]["values"]}


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_code_is_404(o311, fmt):
    assert errors_of(o311.get(f"/open311/v2/services/potholes.{fmt}"), fmt, 404)


# --- POST requests -----------------------------------------------------------------------

def post(o311, network, fmt, **fields):
    data = {"api_key": network.api_key, "service_code": "dispute", "description": "邻里为排水沟起纠纷\n请尽快调解", **fields}
    return o311.post(f"/open311/v2/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_becomes_a_concern_received_where_its_hamlet_is_served(o311, network, fmt):
    n = network
    r = post(o311, n, fmt, **{"attribute[hamlet]": str(n.hamlet.id), "first_name": "三", "last_name": "张", "phone": "13800000000", "account_id": "u-42"})
    assert r.status_code == 201
    (created,) = parse(r, fmt)
    assert set(created) == {"service_request_id", "service_notice", "account_id"}  # a realtime server: no token
    assert created["account_id"] == "u-42"
    c = Concern.objects.get(reference=created["service_request_id"])
    assert (c.channel, c.function, c.track, c.state) == (Channel.ONLINE, "dispute", "dispute", State.REGISTERED)
    assert c.received_unit == n.point == c.handling_unit  # 甲一屯 has a response point
    assert c.summary == "邻里为排水沟起纠纷" and "张三" in c.details and "13800000000" in c.details
    assert not c.villagers.exists()  # unverified: staff add the villager once they have spoken to them
    assert RecordEntry.objects.filter(concern=c, action="concern.register").exists()
    assert Open311Request.objects.get(concern=c).key == n.key
    # Registered by the county's system account: a commander at the HQ that nobody can sign in as.
    system = c.registered_by
    assert system.username == "open311-cs" and not system.is_active
    assert list(system.memberships.values_list("unit", "role")) == [(n.county.id, Role.COMMANDER)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_routing_by_address_id_or_coordinates(o311, network, fmt):
    n = network
    by_id = parse(post(o311, n, fmt, address_id=str(n.hamlet2.id)), fmt)[0]
    assert Concern.objects.get(reference=by_id["service_request_id"]).received_unit == n.village  # 甲二屯 has no point
    by_coords = parse(post(o311, n, fmt, lat="22.13", long="107.07", address_string="明江边"), fmt)[0]
    c = Concern.objects.get(reference=by_coords["service_request_id"])
    assert c.received_unit == n.county and "22.13, 107.07" in c.details and "明江边" in c.details
    assert Open311Request.objects.get(concern=c).submitted["lat"] == 22.13


@pytest.mark.parametrize("fmt", FORMATS)
def test_attributes_choose_track_and_risk_level(o311, network, fmt):
    r = post(o311, network, fmt, service_code="sentiment", address_id=str(network.hamlet.id), **{"attribute[risk_level]": "high", "attribute[track]": "time_limited"})
    c = Concern.objects.get(reference=parse(r, fmt)[0]["service_request_id"])
    assert (c.function, c.track, c.risk_level) == ("sentiment", "time_limited", "high")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("fields, status", [
    ({"api_key": None}, 403),
    ({"api_key": "o311_not-a-key"}, 403),
    ({"service_code": None}, 400),
    ({"service_code": "potholes"}, 404),
    ({}, 400),  # no location at all
    ({"attribute[hamlet]": "999999"}, 400),
    ({"address_id": "450000101201"}, 400),  # a unit's code is not a hamlet's
    ({"attribute[hamlet]": "1", "attribute[track]": "confidential"}, 400),
    ({"lat": "91", "long": "107"}, 400),
    ({"lat": "22.1"}, 400),
    ({"attribute[hamlet]": "1", "description": "长" * 4001}, 400),
    ({"jurisdiction_id": "nowhere.gov"}, 404),
])
def test_post_errors(o311, network, fmt, fields, status):
    before = Concern.objects.count()
    assert errors_of(post(o311, network, fmt, **fields), fmt, status)
    assert Concern.objects.count() == before


def test_a_revoked_key_is_refused(o311, network):
    assert post(o311, network, "json", address_id=str(network.hamlet.id)).status_code == 201
    open311_key_revoke(name="12345热线")
    assert errors_of(post(o311, network, "json", address_id=str(network.hamlet.id)), "json", 403)


# --- GET requests, one request, tokens ----------------------------------------------------

@pytest.fixture
def requests_world(o311, network, now):
    n = network
    c = {
        "open": register(n, actor=n.village_clerk, summary="水渠堵塞", hamlet=n.hamlet),
        "resolved": drive(n, register(n, actor=n.village_clerk, summary="路灯不亮", function="suggestion"), State.SUPERVISION, actor=n.village_clerk),
        "withdrawn": act(cs.concern_close_unresolved, actor=n.village_clerk, concern=register(n, actor=n.village_clerk, summary="撤回的事"), outcome="withdrawn", reason="村民撤回"),
        "old": register(n, actor=n.village_clerk, summary="百日之前", received_at=now - dt.timedelta(days=100)),
        "secret": register(n, actor=n.village_clerk, summary="家事隐私", track="confidential"),
        "made_secret": register(n, actor=n.village_clerk, summary="后转涉密"),
    }
    act(cs.concern_assign, actor=n.village_clerk, concern=c["made_secret"], handler=n.village_clerk, track="confidential")
    return c


def listed(o311, fmt, query=""):
    r = o311.get(f"/open311/v2/requests.{fmt}{query}")
    assert r.status_code == 200, r.content
    return parse(r, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_fields_statuses_and_default_window(o311, requests_world, fmt):
    c = requests_world
    rows = {r["service_request_id"]: r for r in listed(o311, fmt)}
    assert set(rows) == {c[k].reference for k in ("open", "resolved", "withdrawn")}  # 90 days, never confidential
    for r in rows.values():
        assert set(r) == REQUEST_FIELDS
        assert W3.match(r["requested_datetime"]) and W3.match(r["updated_datetime"])
        assert r["status"] in ("open", "closed")
    assert rows[c["open"].reference]["status"] == "open" and W3.match(rows[c["open"].reference]["expected_datetime"])
    assert rows[c["open"].reference]["address"] == "城中镇 甲村 甲一屯"
    assert rows[c["resolved"].reference]["status"] == "closed" and rows[c["withdrawn"].reference]["status"] == "closed"
    assert rows[c["resolved"].reference]["service_code"] == "suggestion"


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_filters(o311, requests_world, now, fmt):
    c = requests_world
    refs = lambda q: {r["service_request_id"] for r in listed(o311, fmt, q)}  # noqa: E731
    assert refs("?status=open") == {c["open"].reference}
    assert refs("?status=open,closed") == refs("")
    assert refs("?service_code=suggestion") == {c["resolved"].reference}
    assert refs("?service_code=dispute,suggestion") == refs("")
    old_start = (now - dt.timedelta(days=110)).isoformat()
    old_end = (now - dt.timedelta(days=95)).isoformat()
    assert refs(f"?start_date={old_start}&end_date={old_end}".replace("+", "%2B")) == {c["old"].reference}
    assert refs(f"?end_date={old_end}".replace("+", "%2B")) == {c["old"].reference}
    # service_request_id overrides every other argument, but never shows a confidential one.
    ids = ",".join(c[k].reference for k in ("old", "open", "secret"))
    assert refs(f"?service_request_id={ids}&status=closed&service_code=agency_service") == {c["old"].reference, c["open"].reference}


def test_get_requests_stops_at_the_limit(o311, requests_world, monkeypatch):
    monkeypatch.setattr(listing, "MAX_RESULTS", 2)
    assert len(listed(o311, "json")) == 2


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query", [
    "?start_date=yesterday", "?status=pending", "?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
    "?start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z",
])
def test_get_requests_errors(o311, requests_world, fmt, query):
    assert errors_of(o311.get(f"/open311/v2/requests.{fmt}{query}"), fmt, 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_and_tokens(o311, requests_world, fmt):
    c = requests_world
    (one,) = parse(o311.get(f"/open311/v2/requests/{c['open'].reference}.{fmt}"), fmt)
    assert set(one) == REQUEST_FIELDS and one["service_request_id"] == c["open"].reference
    (token,) = parse(o311.get(f"/open311/v2/tokens/{c['open'].reference}.{fmt}"), fmt)
    assert token == {"service_request_id": c["open"].reference, "token": c["open"].reference}
    for url in ["/open311/v2/requests/CS-2099-000001", "/open311/v2/tokens/nope"]:
        assert errors_of(o311.get(f"{url}.{fmt}"), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_confidential_concerns_appear_in_no_open311_response(o311, network, requests_world, fmt):
    c = requests_world
    secrets = [c["secret"], c["made_secret"]]
    answers = [o311.get(f"/open311/v2/{path}.{fmt}") for path in ("discovery", "services", "services/dispute", "requests")]
    answers += [o311.get(f"/open311/v2/requests.{fmt}?service_request_id={s.reference}") for s in secrets]
    for answer in answers:
        assert answer.status_code == 200
        assert not any(s.reference in answer.content.decode() or s.summary in answer.content.decode() for s in secrets)
    for s in secrets:
        # Asked for by id: "not found", as for an id that does not exist.
        for path in (f"requests/{s.reference}", f"tokens/{s.reference}"):
            r = o311.get(f"/open311/v2/{path}.{fmt}")
            assert r.status_code == 404 and s.summary not in r.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdictions(o311, network, fmt):
    assert o311.get(f"/open311/v2/services.{fmt}?jurisdiction_id=cs").status_code == 200
    assert o311.get(f"/open311/v2/services.{fmt}?jurisdiction_id=450000000000").status_code == 200
    assert errors_of(o311.get(f"/open311/v2/requests.{fmt}?jurisdiction_id=sfgov.org"), fmt, 404)
    net.unit_create(level=Level.COUNTY, parent=None, name="邻县", code="451000000000", ref_prefix="LX")
    # Two counties on one server: the jurisdiction must be named.
    assert errors_of(o311.get(f"/open311/v2/requests.{fmt}"), fmt, 400)
    assert o311.get(f"/open311/v2/requests.{fmt}?jurisdiction_id=LX").status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_other_methods_and_paths(o311, fmt):
    assert errors_of(o311.put(f"/open311/v2/requests.{fmt}"), fmt, 400)
    assert errors_of(o311.get(f"/open311/v2/unknown.{fmt}"), fmt, 404)


def test_the_open311_key_command(network, now, capsys):
    from django.core.management import call_command

    call_command("open311_key", "create", "微信小程序")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("o311_")
    call_command("open311_key", "list")
    out = capsys.readouterr().out
    assert "微信小程序" in out and "active" in out and raw not in out
    call_command("open311_key", "revoke", "微信小程序")
    call_command("open311_key", "list")
    assert "revoked" in capsys.readouterr().out
    call_command("open311_key", "create", "微信小程序")  # the name is free again
    with pytest.raises(Exception, match="微信小程序"):  # exists already
        call_command("open311_key", "create", "微信小程序")


def test_a_nul_in_a_path_is_not_found(o311, network):
    assert o311.get("/open311/v2/requests/CS%00.json").status_code == 404
    assert o311.get("/open311/v2/tokens/%00.xml").status_code == 404
