"""Every other endpoint × role: allowed, refused (403, or 401 without credentials) and
invisible (404 — another county's network, another township's villagers and concerns)."""
import pytest

from huiying.concerns import services as cs
from huiying.concerns.models import State
from huiying.network import services as net
from huiying.network.models import Level, Role

from helpers import drive, register, snapshot

ROLES = ["county_commander", "county_admin", "dept_liaison", "township_staff", "other_township_staff", "village_clerk",
         "village_clerk2", "other_village_clerk", "far_clerk", "hamlet_clerk", "supervisor"]


@pytest.fixture
def world(network, now):
    """The fixture network, a concern and a villager at 甲村, and a second county."""
    n = network
    n.villager = cs.villager_create(actor=n.village_clerk, name="张小明", hamlet=n.hamlet2, phone="13800000001")
    n.visit = cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=1, villagers=[n.villager])
    n.concern = register(n, actor=n.village_clerk, villagers=[n.villager])
    n.finished = drive(n, register(n, actor=n.village_clerk), State.SUPERVISION, actor=n.village_clerk)
    n.elsewhere = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", code="451000000000", ref_prefix="LX")
    n.elsewhere_village = net.unit_create(level=Level.VILLAGE, parent=net.unit_create(level=Level.TOWNSHIP, parent=n.elsewhere, name="某镇"), name="某村")
    n.elsewhere_hamlet = net.hamlet_create(village=n.elsewhere_village, name="某屯")
    net.staff_create(username="elsewhere_commander", full_name="外县", unit=n.elsewhere, role=Role.COMMANDER)
    n.users["elsewhere_commander"] = n.elsewhere.memberships.get().user
    return n


def status(api, who, method, url, body=None):
    return getattr(api(who), method)(url, body, format="json").status_code


# --- the network: every member of the county reads it; another county's is not found ------

@pytest.mark.parametrize("who", ROLES)
def test_network_reads_are_open_to_everyone_in_the_county(api, world, who):
    n = world
    for url in ["/api/v1/me", "/api/v1/units", "/api/v1/units/tree", f"/api/v1/units/{n.village.id}", "/api/v1/hamlets", f"/api/v1/hamlets/{n.hamlet.id}"]:
        assert status(api, who, "get", url) == 200, url
    assert status(api, who, "get", f"/api/v1/units/{n.elsewhere_village.id}") == 404
    assert status(api, who, "get", f"/api/v1/hamlets/{n.elsewhere_hamlet.id}") == 404
    assert status(api, who, "get", f"/api/v1/units/tree?root={n.elsewhere.id}") == 404
    ids = {u["id"] for u in api(who).get("/api/v1/units?page_size=100").json()["results"]}
    assert n.village.id in ids and n.elsewhere_village.id not in ids


def test_network_reads_need_credentials(api, world):
    for url in ["/api/v1/me", "/api/v1/units", "/api/v1/units/tree", f"/api/v1/units/{world.village.id}", "/api/v1/hamlets"]:
        assert status(api, None, "get", url) == 401


def test_the_other_county_sees_its_own_tree(api, world):
    tree = api("elsewhere_commander").get("/api/v1/units/tree").json()
    assert [t["name"] for t in tree] == ["邻县"] and tree[0]["children"][0]["children"][0]["name"] == "某村"


# --- villagers and visits: staff of the units that receive them, and the county HQ -------

# The web app's rule (concerns.selectors.villagers_served / receiving_units): the staff who
# receive people there — an administrator is not one of them.
SEES_VILLAGER = {"county_commander", "township_staff", "village_clerk", "village_clerk2"}


@pytest.mark.parametrize("who", ROLES)
def test_villagers_and_visits_are_seen_by_the_staff_who_serve_them(api, world, who):
    n = world
    expected = 200 if who in SEES_VILLAGER else 404
    assert status(api, who, "get", f"/api/v1/villagers/{n.villager.id}") == expected
    assert status(api, who, "get", f"/api/v1/visits/{n.visit.id}") == expected
    listed = [v["id"] for v in api(who).get("/api/v1/villagers").json()["results"]]
    assert listed == ([n.villager.id] if who in SEES_VILLAGER else [])
    assert len(api(who).get("/api/v1/visits").json()["results"]) == (1 if who in SEES_VILLAGER else 0)


@pytest.mark.parametrize("who, expected", [
    ("village_clerk", 201), ("county_commander", 201), ("township_staff", 201),
    ("far_clerk", 403), ("hamlet_clerk", 403), ("supervisor", 403), ("dept_liaison", 403), (None, 401),
])
def test_registering_a_villager(api, world, who, expected):
    before = snapshot()
    r = api(who).post("/api/v1/villagers", {"name": "李四", "hamlet": world.hamlet2.id}, format="json")
    assert r.status_code == expected, r.json()
    if expected != 201:
        assert snapshot() == before


def test_a_hamlet_of_another_county_is_no_such_object(api, world):
    r = api("village_clerk").post("/api/v1/villagers", {"name": "李四", "hamlet": world.elsewhere_hamlet.id}, format="json")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["hamlet"]


@pytest.mark.parametrize("who, expected", [
    ("village_clerk", 201), ("township_staff", 201), ("county_commander", 201),
    ("far_clerk", 403), ("other_village_clerk", 403), ("supervisor", 403), ("dept_liaison", 403), (None, 401),
])
def test_logging_a_visit_with_a_concern(api, world, who, expected):
    before = snapshot()
    # The visit is received by the station's clerk; a township or the HQ may log it for them.
    body = {"unit": world.village.id, "visitor_count": 2, "staff": "village_clerk", "concerns": [{"function": "dispute", "summary": "水利纠纷", "track": "dispute"}]}
    r = api(who).post("/api/v1/visits", body, format="json")
    assert r.status_code == expected, r.json()
    if expected == 201:
        assert len(r.json()["concerns"]) == 1
    else:
        assert snapshot() == before


# --- concerns ---------------------------------------------------------------------------

SEES_OPEN = {"county_commander", "county_admin", "township_staff", "village_clerk", "village_clerk2"}


@pytest.mark.parametrize("who", ROLES)
def test_reading_a_concern(api, world, who):
    n = world
    assert status(api, who, "get", f"/api/v1/concerns/{n.concern.reference}") == (200 if who in SEES_OPEN else 404)
    # Supervisors see finished concerns of their village, and only those.
    assert status(api, who, "get", f"/api/v1/concerns/{n.finished.reference}") == (200 if who in SEES_OPEN | {"supervisor"} else 404)
    listed = {c["reference"] for c in api(who).get("/api/v1/concerns").json()["results"]}
    assert (n.concern.reference in listed) == (who in SEES_OPEN)
    assert status(api, None, "get", f"/api/v1/concerns/{n.concern.reference}") == 401


@pytest.mark.parametrize("who, unit, expected", [
    ("village_clerk", "village", 201), ("hamlet_clerk", "point", 201), ("township_staff", "village", 201), ("county_commander", "county", 201),
    ("hamlet_clerk", "village", 403), ("far_clerk", "village", 403), ("supervisor", "village", 403), ("dept_liaison", "village", 403),
    ("county_admin", "village", 403),  # an administrator is not a handler
    ("village_clerk", "elsewhere_village", 400),  # another county's unit: no such object
    (None, "village", 401),
])
def test_registering_a_concern(api, world, who, unit, expected):
    before = snapshot()
    body = {"unit": getattr(world, unit).id, "function": "dispute", "channel": "phone", "summary": "山林纠纷", "track": "dispute"}
    r = api(who).post("/api/v1/concerns", body, format="json")
    assert r.status_code == expected, r.json()
    if expected == 201:
        assert r.json()["state"] == "registered" and r.json()["received_unit"]["id"] == getattr(world, unit).id
    else:
        assert snapshot() == before


# --- statistics: a unit you serve in or below; another county's is not found -------------

@pytest.mark.parametrize("who, unit, expected", [
    ("county_commander", "county", 200), ("county_admin", "county", 200), ("township_staff", "township", 200),
    ("township_staff", "village", 200), ("village_clerk", "village", 200), ("supervisor", "village", 200),
    ("dept_liaison", "department", 200),
    ("village_clerk", "county", 403), ("village_clerk", "other_village", 403), ("other_township_staff", "village", 403),
    ("hamlet_clerk", "village", 403),
    ("county_commander", "elsewhere", 404), (None, "village", 401),
])
def test_statistics(api, world, who, unit, expected):
    u = getattr(world, unit)
    r = api(who).get(f"/api/v1/stats?unit={u.code or u.id}")
    assert r.status_code == expected, r.json()
    if expected == 200 and unit == "village":
        body = r.json()
        assert body["concerns"] == 2 == body["resolved"] + body["pending"] + body["other"]


# --- tokens: your own; an administrator's for the staff of their county --------------------

@pytest.mark.parametrize("who, owner, expected", [
    ("village_clerk", "village_clerk", 204), ("county_admin", "village_clerk", 204),
    ("county_commander", "village_clerk", 404), ("township_staff", "village_clerk", 404), ("village_clerk2", "village_clerk", 404),
    ("elsewhere_commander", "village_clerk", 404), (None, "village_clerk", 401),
])
def test_revoking_a_token(api, world, who, owner, expected):
    api(owner)  # the owner's client holds a token
    from huiying.api.models import ApiToken

    token = ApiToken.objects.filter(user__username=owner).first()
    assert api(who).delete(f"/api/v1/tokens/{token.id}").status_code == expected
    token.refresh_from_db()
    assert (token.revoked_at is not None) == (expected == 204)


# --- the record book: members of the unit or above; confidential entries for their readers only

@pytest.mark.parametrize("who, unit, expected", [
    ("village_clerk", "village", 200), ("supervisor", "village", 200), ("township_staff", "village", 200), ("county_commander", "village", 200),
    ("village_clerk", "county", 404), ("far_clerk", "village", 404), ("hamlet_clerk", "village", 404), ("elsewhere_commander", "village", 404),
    (None, "village", 401),
])
def test_reading_a_units_record_book(api, world, who, unit, expected):
    r = api(who).get(f"/api/v1/units/{getattr(world, unit).id}/records?page_size=100")
    assert r.status_code == expected
    if expected == 200:
        entries = r.json()["results"]
        assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
        assert {e["action"] for e in entries} >= {"villager.register", "visit.log", "concern.register"}


def test_the_record_book_hides_confidential_entries_from_those_who_may_not_see_them(api, world):
    secret = register(world, actor=world.village_clerk, track="confidential", summary="家事")
    refs = lambda who: {e["concern"] for e in api(who).get(f"/api/v1/units/{world.village.id}/records?page_size=100").json()["results"]}  # noqa: E731
    assert secret.reference in refs("village_clerk") and secret.reference in refs("county_commander")
    assert secret.reference not in refs("supervisor") and secret.reference not in refs("village_clerk2")
    r = api("village_clerk").get(f"/api/v1/units/{world.village.id}/records?date_from=2026-13-01")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["date_from"]
