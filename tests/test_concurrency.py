"""Two people acting on the same concern at once: the optimistic version check lets exactly
one through; the other gets a Conflict (HTTP 409) and writes nothing. The PostgreSQL tests
race real threads, each on its own connection."""
import threading

import pytest
from django.db import close_old_connections, connections

from huiying.concerns import services as cs
from huiying.concerns.models import Concern, State
from huiying.core.errors import Conflict
from huiying.records import book
from huiying.records.models import RecordEntry

from helpers import act, fresh, register, snapshot


def test_the_second_of_two_steps_from_the_same_version_is_a_conflict(network, now):
    n = network
    c = act(cs.concern_assign, actor=n.village_clerk, concern=register(n, actor=n.village_clerk), handler=n.village_clerk)
    # Both clerks opened the concern at version 2.
    seen_by_first, seen_by_second = fresh(c), fresh(c)
    cs.concern_start_on_site(actor=n.village_clerk, concern=seen_by_first, version=seen_by_first.version)
    before = snapshot()
    with pytest.raises(Conflict) as info:
        cs.concern_resolve(actor=n.village_clerk2, concern=seen_by_second, version=seen_by_second.version, result="已解决")
    assert info.value.field == "version" and info.value.code == "stale"
    assert info.value.current_version == seen_by_first.version + 1 == fresh(c).version
    assert snapshot() == before
    assert fresh(c).state == State.ON_SITE
    # Reloaded, the second clerk's step goes through.
    act(cs.concern_resolve, actor=n.village_clerk2, concern=c, result="已解决")
    assert fresh(c).state == State.SUPERVISION


def test_the_same_step_twice_is_taken_once(network, now):
    n = network
    c = register(n, actor=n.village_clerk)
    v = c.version
    cs.concern_close_unresolved(actor=n.village_clerk, concern=c, version=v, outcome="withdrawn", reason="撤回")
    records = RecordEntry.objects.count()
    with pytest.raises(Conflict):
        cs.concern_close_unresolved(actor=n.village_clerk2, concern=c, version=v, outcome="withdrawn", reason="撤回")
    assert RecordEntry.objects.count() == records
    assert RecordEntry.objects.filter(action="concern.close_unresolved").count() == 1


def test_registering_with_an_answer_returns_the_current_version(network, now):
    n = network
    c = register(n, actor=n.village_clerk, track="policy", function="suggestion", answer="按政策答复")
    assert (c.state, c.version) == (State.CLOSED, fresh(c).version)
    cs.concern_rate(actor=n.village_clerk, concern=c, version=c.version, rating="satisfied")


def race(n_threads, work):
    """Run `work(i)` in `n_threads` threads released together; return (results, errors)."""
    barrier = threading.Barrier(n_threads)
    results, errors = [None] * n_threads, [None] * n_threads

    def run(i):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except BaseException as e:  # noqa: BLE001 - reported to the test below
            errors[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_the_same_transition_lets_exactly_one_through(network, now):
    n = network
    c = act(cs.concern_assign, actor=n.village_clerk, concern=register(n, actor=n.village_clerk), handler=n.village_clerk)
    c = act(cs.concern_start_on_site, actor=n.village_clerk, concern=c)
    actors = [n.village_clerk, n.village_clerk2, n.county_commander, n.village_clerk, n.village_clerk2, n.county_commander]
    version = c.version

    def resolve(i):
        return cs.concern_resolve(actor=actors[i], concern=Concern(pk=c.pk), version=version, result=f"结果{i}")

    results, errors = race(len(actors), resolve)
    assert sum(r is not None for r in results) == 1, errors
    assert all(isinstance(e, Conflict) for e in errors if e is not None), errors
    assert sum(e is not None for e in errors) == len(actors) - 1
    c = fresh(c)
    assert c.state == State.SUPERVISION and c.version == version + 1
    assert RecordEntry.objects.filter(concern=c, action="concern.resolve").count() == 1
    assert book.verify()[1] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_different_steps_on_the_same_concern(network, now):
    n = network
    c = act(cs.concern_assign, actor=n.village_clerk, concern=register(n, actor=n.village_clerk), handler=n.village_clerk)
    version = c.version
    steps = [
        lambda: cs.concern_start_on_site(actor=n.village_clerk, concern=Concern(pk=c.pk), version=version),
        lambda: cs.concern_extend(actor=n.village_clerk2, concern=Concern(pk=c.pk), version=version, days=2, reason="补材料"),
        lambda: cs.concern_close_unresolved(actor=n.county_commander, concern=Concern(pk=c.pk), version=version, outcome="withdrawn", reason="撤回"),
        lambda: cs.concern_escalate(actor=n.village_clerk, concern=Concern(pk=c.pk), version=version, to_unit=n.township, reason="超出权限"),
    ]
    results, errors = race(len(steps), lambda i: steps[i]())
    assert sum(r is not None for r in results) == 1, errors
    assert all(isinstance(e, Conflict) for e in errors if e is not None), errors
    assert fresh(c).version == version + 1
    assert RecordEntry.objects.filter(concern=c).count() == version + 1
    assert book.verify()[1] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_registrations_get_sequential_references_and_one_chain(network, now):
    n = network
    clerks = [n.village_clerk, n.village_clerk2, n.hamlet_clerk, n.other_village_clerk, n.township_staff, n.far_clerk, n.county_commander, n.village_clerk]
    units = [n.village, n.village, n.point, n.other_village, n.township, n.far_village, n.county, n.village]
    per_thread = 4

    def register_some(i):
        return [register(n, actor=clerks[i], unit=units[i], summary=f"{i}-{k}").reference for k in range(per_thread)]

    results, errors = race(len(clerks), register_some)
    assert errors == [None] * len(clerks)
    references = [r for refs in results for r in refs]
    total = len(clerks) * per_thread
    assert sorted(references) == [f"CS-2026-{k:06d}" for k in range(1, total + 1)]
    # Each thread's own registrations got increasing numbers.
    for refs in results:
        assert refs == sorted(refs)
    rows = list(RecordEntry.objects.filter(county=n.county).order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, total + 1))
    assert book.verify() == (total, [])
