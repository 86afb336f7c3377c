"""concern_join: villagers join an open concern instead of registering a duplicate; and
reception_record, which saves a whole reception (visit, new concerns, joins) at once."""
import pytest

from huiying.concerns import services as cs
from huiying.concerns.models import Concern, State, Visit
from huiying.core.errors import Conflict, Forbidden, NotFound, ServiceError
from huiying.records.models import RecordEntry

from helpers import act, drive, fresh, register, snapshot


def refused(call, field, exc=ServiceError):
    """`call()` raises `exc` naming `field`, and the database is exactly as before."""
    before = snapshot()
    with pytest.raises(exc) as info:
        call()
    assert info.value.field == field, f"named {info.value.field!r}: {info.value}"
    assert snapshot() == before
    return info.value


@pytest.fixture
def people(network, now):
    n = network
    return [cs.villager_create(actor=n.village_clerk, name=name, hamlet=n.hamlet) for name in ("张小明", "李大伯", "黄阿婆")]


@pytest.fixture
def ditch(network, people):
    return register(network, summary="水渠堵塞影响灌溉", track="dispute", villagers=[people[0]], hamlet=network.hamlet, actor=network.village_clerk)


def join(actor, concern, villagers, **kw):
    c = fresh(concern)
    return cs.concern_join(actor=actor, concern=c, version=kw.pop("version", c.version), villagers=villagers, **kw)


def test_join_adds_villagers_bumps_the_version_and_records_it(network, people, ditch):
    n = network
    visit = cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=2, villagers=people[1:])
    c = join(n.village_clerk, ditch, [people[0], people[1]], visit=visit)
    assert set(c.villagers.all()) == {people[0], people[1]} and c.version == 2 and c.state == State.REGISTERED
    assert Concern.objects.count() == 1
    entry = RecordEntry.objects.get(action="concern.join")
    assert entry.concern_id == c.pk and entry.visit_id == visit.pk and entry.unit_id == n.village.pk
    # Only the villager who was not already there is named, by id.
    assert entry.payload == {"reference": c.reference, "villagers": [people[1].pk], "visit": visit.pk}
    assert entry.from_state == entry.to_state == State.REGISTERED


def test_join_without_a_visit_needs_villagers(network, people, ditch):
    refused(lambda: join(network.village_clerk, ditch, []), "villagers")
    refused(lambda: join(network.village_clerk, ditch, ["张小明"]), "villagers")


def test_a_visit_alone_may_join(network, people, ditch):
    visit = cs.visit_log(actor=network.village_clerk, unit=network.village, visitor_count=5)
    assert join(network.village_clerk, ditch, [], visit=visit).version == 2


def test_stale_or_missing_version_is_refused(network, people, ditch):
    n = network
    stale = fresh(ditch)
    act(cs.concern_assign, actor=n.village_clerk, concern=ditch, handler=n.village_clerk2)
    e = refused(lambda: cs.concern_join(actor=n.village_clerk, concern=stale, version=stale.version, villagers=[people[1]]), "version", Conflict)
    assert e.current_version == 2
    refused(lambda: cs.concern_join(actor=n.village_clerk, concern=stale, version=None, villagers=[people[1]]), "version")
    refused(lambda: cs.concern_join(actor=n.village_clerk, concern=stale, version="2", villagers=[people[1]]), "version")


@pytest.mark.parametrize("state", [State.SUPERVISION, State.POSTED, State.CLOSED])
def test_a_finished_concern_is_not_joined(network, people, ditch, state):
    c = drive(network, ditch, state)
    e = refused(lambda: join(network.village_clerk, c, [people[1]]), "concern")
    assert e.code == "closed"


def test_a_concern_closed_unresolved_is_not_joined(network, people, ditch):
    c = act(cs.concern_close_unresolved, actor=network.village_clerk, concern=ditch, outcome="withdrawn", reason="村民撤回")
    refused(lambda: join(network.village_clerk, c, [people[1]]), "concern")


@pytest.mark.parametrize("username", ["far_clerk", "other_village_clerk", "hamlet_clerk", "supervisor"])
def test_who_does_not_see_it_gets_not_found(network, people, ditch, username):
    refused(lambda: join(network.users[username], ditch, [people[1]]), "concern", NotFound)


def test_who_sees_it_but_is_not_its_staff_is_refused(network, people, ditch):
    # The county administrator sees every concern of the county but handles none.
    refused(lambda: join(network.county_admin, ditch, [people[1]]), "concern", Forbidden)


@pytest.mark.parametrize("username", ["village_clerk2", "township_staff", "county_commander"])
def test_staff_of_the_unit_or_above_may_join(network, people, ditch, username):
    assert join(network.users[username], ditch, [people[1]]).villagers.count() == 2


def test_the_receiving_point_may_still_join_after_escalating(network, people):
    n = network
    c = register(n, unit=n.point, actor=n.hamlet_clerk, track="dispute", villagers=[people[0]])
    c = act(cs.concern_escalate, actor=n.hamlet_clerk, concern=c, to_unit=n.village, reason="超出本级权限")
    assert c.handling_unit == n.village
    assert join(n.hamlet_clerk, c, [people[1]]).villagers.count() == 2


def test_a_visit_the_actor_may_not_see_is_refused(network, people, ditch):
    n = network
    far_visit = cs.visit_log(actor=n.far_clerk, unit=n.far_village, visitor_count=1)
    refused(lambda: join(n.village_clerk, ditch, [people[1]], visit=far_visit), "visit", Forbidden)


# --- reception_record: one transaction for the whole screen ------------------------------

def test_reception_record_names_the_concern_by_its_place_on_the_screen(network, people, ditch):
    n = network
    concerns = [
        {"join": fresh(ditch), "version": fresh(ditch).version, "villagers": [people[1]]},
        {"function": "dispute", "summary": " ", "track": "dispute"},
    ]
    e = refused(lambda: cs.reception_record(actor=n.village_clerk, unit=n.village, channel="visit", visitor_count=1, concerns=concerns), "concerns.1.summary")
    assert "必填" in e.text


def test_a_failing_join_undoes_the_visit_and_the_new_concerns(network, people, ditch):
    n = network
    c = drive(n, ditch, State.CLOSED)
    concerns = [{"function": "dispute", "summary": "路灯坏了", "track": "time_limited"}, {"join": c, "version": c.version, "villagers": [people[1]]}]
    refused(lambda: cs.reception_record(actor=n.village_clerk, unit=n.village, channel="visit", visitor_count=1, concerns=concerns), "concerns.1.concern")


def test_reception_record_with_a_visit_new_concerns_and_a_join(network, people, ditch):
    n = network
    concerns = [
        {"function": "agency_service", "summary": "代办低保", "track": "agency", "villagers": [people[2]]},
        {"join": fresh(ditch), "version": fresh(ditch).version, "villagers": [people[1]]},
    ]
    r = cs.reception_record(actor=n.village_clerk, unit=n.village, channel="visit", visitor_count=2, villagers=people[1:], concerns=concerns)
    assert isinstance(r.visit, Visit) and [c.summary for c in r.registered] == ["代办低保"] and r.joined == [fresh(ditch)]
    assert RecordEntry.objects.get(action="concern.join").visit_id == r.visit.pk


def test_reception_record_refuses_an_unknown_channel(network):
    refused(lambda: cs.reception_record(actor=network.village_clerk, unit=network.village, channel="fax", concerns=[]), "channel")
