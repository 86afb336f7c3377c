"""The tally equals a direct count after every kind of change to a concern: each workflow step
(reopening by a dissatisfied rating included), an overdue tick, a bulk `update()`, a rollback —
on SQLite and on PostgreSQL (the triggers are written once for each)."""
import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from huiying.concerns import deadlines
from huiying.concerns import services as cs
from huiying.concerns.models import Concern, Visit
from huiying.core import clock
from huiying.dashboard import services as ds
from huiying.dashboard.models import NO_DUE, ConcernTally, VisitTally

from helpers import a_datetime, act, drive, fresh, register, valid_args


def expected_tally() -> Counter:
    """The tally computed here in Python from the concern rows, independently of the SQL."""
    out = Counter()
    for c in Concern.objects.all():
        month = timezone.localtime(c.received_at).date().replace(day=1)
        cls = "pending" if not c.outcome else "resolved" if c.outcome == "resolved" else "other"
        due = c.due_date if not c.outcome else NO_DUE
        chain = [c.received_county_id, c.received_township_id, c.received_village_id, c.received_point_id]
        for depth, scope in enumerate(chain):
            if scope is None:
                continue
            below = chain[depth + 1] if depth + 1 < len(chain) else None
            child = below or (c.received_unit_id if depth < 3 else scope)
            out[(scope, child, month, c.function, c.track, c.channel, cls, due)] += 1
    return out


def expected_visits() -> Counter:
    out = Counter()
    for v in Visit.objects.all():
        month = timezone.localtime(v.visited_at).date().replace(day=1)
        chain = [v.county_id, v.township_id, v.village_id, v.point_id]
        for depth, scope in enumerate(chain):
            if scope is None:
                continue
            below = chain[depth + 1] if depth + 1 < len(chain) else None
            child = below or (v.unit_id if depth < 3 else scope)
            out[(scope, child, month, "visits")] += 1
            out[(scope, child, month, "visitors")] += v.visitor_count
    return out


def live_tally() -> Counter:
    return Counter({(t.scope_id, t.child_id, t.month, t.function, t.track, t.channel, t.cls, t.due): t.n
                    for t in ConcernTally.objects.all() if t.n})


def live_visits() -> Counter:
    out = Counter()
    for t in VisitTally.objects.all():
        if t.visits:
            out[(t.scope_id, t.child_id, t.month, "visits")] = t.visits
            out[(t.scope_id, t.child_id, t.month, "visitors")] = t.visitors
    return out


def check():
    assert live_tally() == expected_tally()
    assert live_visits() == expected_visits()


def test_every_kind_of_step_keeps_the_tally_exact(network, now):
    n = network
    check()
    # Registration at every receiving level; a visit with concerns; a policy answer on the spot.
    a = register(n, unit=n.point, track="agency", villagers=[])
    check()
    visit = cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=2, concerns=[{"function": "dispute", "summary": "水渠", "track": "dispute"}])
    check()
    register(n, unit=n.village, track="policy", answer="按政策答复")
    check()
    t = register(n, unit=n.township, track="time_limited")
    register(n, unit=n.county, track="time_limited")
    check()
    # Along the whole path, one step at a time.
    c = visit.concerns.get()
    for state in ("analysis", "on_site", "supervision", "posted", "closed"):
        c = drive(n, c, state)
        check()
    # Reopened by a dissatisfied rating: pending again, with a new due date.
    act(cs.concern_rate, actor=n.county_commander, concern=c, rating="dissatisfied")
    check()
    # Escalated, transferred, extended (the due date moves a pending concern's row).
    e = drive(n, register(n, unit=n.other_village), "analysis")
    act(cs.concern_escalate, actor=n.county_commander, concern=e, **valid_args("escalate", n, fresh(e)))
    check()
    tr = register(n, unit=n.village)
    act(cs.concern_transfer, actor=n.county_commander, concern=tr, **valid_args("transfer", n, fresh(tr)))
    check()
    a = drive(n, a, "analysis")
    act(cs.concern_extend, actor=n.county_commander, concern=a, **valid_args("extend", n, fresh(a)))
    check()
    # Ended otherwise: withdrawn, merged.
    act(cs.concern_close_unresolved, actor=n.county_commander, concern=t, outcome="withdrawn", reason="村民撤回")
    check()
    keep = drive(n, register(n, unit=n.far_village), "supervision")
    dup = register(n, unit=n.far_village)
    act(cs.concern_close_unresolved, actor=n.county_commander, concern=dup, outcome="merged", reason="重复", merged_into=keep)
    check()
    # The overdue tick flags without moving counts; overdue is read from the due date.
    with clock.frozen(now + dt.timedelta(days=60)):
        deadlines.tick()
    check()


def test_bulk_update_and_rollback(network, now):
    n = network
    c = register(n, unit=n.point)
    register(n, unit=n.other_village, received_at=a_datetime(dt.date(2026, 1, 31), hour=23))  # late evening: local month matters
    check()
    Concern.objects.filter(pk=c.pk).update(function="suggestion", channel="online")
    check()
    with pytest.raises(RuntimeError), transaction.atomic():
        Concern.objects.filter(pk=c.pk).update(outcome="resolved")
        raise RuntimeError("rolled back")
    check()
    Concern.objects.filter(pk=c.pk).update(received_at=a_datetime(dt.date(2025, 11, 30)))
    check()


def test_rebuild_gives_the_same_tally(network, now):
    n = network
    drive(n, register(n, unit=n.point), "closed")
    register(n, unit=n.village)
    cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=4)
    before = (live_tally(), live_visits())
    ds.tally_rebuild()
    assert (live_tally(), live_visits()) == before
    ConcernTally.objects.all().delete()
    ds.tally_rebuild()
    check()


@pytest.mark.postgres
def test_tally_on_postgres_too(network, now):
    # The same walk as above, explicitly on PostgreSQL (its triggers are plpgsql).
    test_every_kind_of_step_keeps_the_tally_exact(network, now)
