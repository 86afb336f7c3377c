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
from huiying.concerns.models import Concern, ConcernRating, Visit
from huiying.core import clock
from huiying.dashboard import services as ds
from huiying.dashboard.models import FOLDED, NO_DUE, ConcernTally, RatingTally, Resp, TallyHorizon, VisitTally
from huiying.supervision.models import SupervisorRating

from helpers import a_datetime, act, drive, fresh, register, valid_args


def resp_of(c: Concern) -> int:
    finished = c.resolved_at or c.closed_at
    if c.overdue_since and (c.outcome or c.reopen_count):
        return Resp.LATE
    if not c.outcome and not c.reopen_count:
        return Resp.PENDING
    if not c.outcome or finished is None:
        return Resp.WHILE_DUE
    return Resp.ON_TIME if c.due_date >= timezone.localtime(finished).date() else Resp.LATE


def _scopes(c: Concern):
    """(scope, child) of each unit of the concern's receiving chain."""
    chain = [c.received_county_id, c.received_township_id, c.received_village_id, c.received_point_id]
    for depth, scope in enumerate(chain):
        if scope is None:
            continue
        below = chain[depth + 1] if depth + 1 < len(chain) else None
        yield scope, below or (c.received_unit_id if depth < 3 else scope)


def expected_tally() -> Counter:
    """The tally computed here in Python from the concern rows, independently of the SQL."""
    out = Counter()
    horizon = TallyHorizon.current()
    for c in Concern.objects.all():
        month = timezone.localtime(c.received_at).date().replace(day=1)
        cls = "pending" if not c.outcome else "resolved" if c.outcome == "resolved" else "other"
        due = c.due_date if not c.outcome or not (c.resolved_at or c.closed_at) else NO_DUE
        due = FOLDED if due < horizon else due
        for scope, child in _scopes(c):
            for dim, value in (("child", str(child)), ("function", c.function), ("track", c.track), ("channel", c.channel)):
                out[(scope, month, dim, value, cls, due, resp_of(c))] += 1
    return out


def expected_ratings() -> Counter:
    out = Counter()
    for c in Concern.objects.all():
        month = timezone.localtime(c.received_at).date().replace(day=1)
        v = Counter(r.rating for r in ConcernRating.objects.filter(concern=c))
        s = Counter(r.rating for r in SupervisorRating.objects.filter(concern=c))
        for scope, child in _scopes(c):
            for verdict in ("satisfied", "basic", "dissatisfied"):
                out[(scope, child, month, "v_" + verdict)] += v[verdict]
                out[(scope, child, month, "s_" + verdict)] += s[verdict]
            out[(scope, child, month, "rated")] += 1 if v or s else 0
    return +out


def live_ratings() -> Counter:
    out = Counter()
    for t in RatingTally.objects.all():
        for col in ("v_satisfied", "v_basic", "v_dissatisfied", "s_satisfied", "s_basic", "s_dissatisfied", "rated"):
            out[(t.scope_id, t.child_id, t.month, col)] = getattr(t, col)
    assert all(v >= 0 for v in out.values()), out
    return +out


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
    return Counter({(t.scope_id, t.month, t.dim, t.value, t.cls, t.due, t.resp): t.n
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
    assert live_ratings() == expected_ratings()


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


def test_ratings_of_every_kind_keep_the_rating_tally_exact(network, now):
    n = network
    from huiying.supervision import services as sv

    a = drive(n, register(n, unit=n.village), "supervision")
    sv.supervision_rate(actor=n.supervisor, concern=a, rating="satisfied", comment="群众反映良好")
    check()
    act(cs.concern_rate, actor=n.county_commander, concern=a, rating="basic")
    check()
    # A concern rated by villagers in two rows of one statement: still one rated concern.
    b = drive(n, register(n, unit=n.point), "supervision")
    ConcernRating.objects.bulk_create([ConcernRating(concern=b, rating=r, at=now, round=0) for r in ("satisfied", "dissatisfied")])
    check()
    # A verdict changed in place; a concern moved to another unit and month takes its ratings along.
    ConcernRating.objects.filter(concern=b, rating="dissatisfied").update(rating="basic")
    check()
    Concern.objects.filter(pk=b.pk).update(received_unit=n.other_village, received_village=n.other_village, received_point=None,
                                           received_at=a_datetime(dt.date(2025, 12, 1)))
    check()
    # One of two ratings goes, then both (a delete of several rows of one concern at once).
    ConcernRating.objects.filter(pk=ConcernRating.objects.filter(concern=b).first().pk).delete()
    check()
    ConcernRating.objects.filter(concern=b).delete()
    check()
    # Rated by both kinds, one kind's rating goes: still rated.
    SupervisorRating.objects.filter(concern=a).delete()
    check()
    ds.tally_rebuild()
    check()


@pytest.mark.postgres
def test_tally_on_postgres_too(network, now):
    # The same walks as above, explicitly on PostgreSQL (its triggers are plpgsql).
    test_every_kind_of_step_keeps_the_tally_exact(network, now)


@pytest.mark.postgres
def test_rating_tally_on_postgres_too(network, now):
    test_ratings_of_every_kind_keep_the_rating_tally_exact(network, now)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ratings_of_one_concern_at_once_count_it_rated_once(network, now):
    # Each writer holds its transaction open after its rating: without the trigger's lock on
    # the concern, every one of them would count itself the first rating.
    import time

    from test_concurrency import race

    n = network
    c = drive(n, register(n, unit=n.village), "supervision")

    def rate(i):
        with transaction.atomic():
            if i % 2:
                SupervisorRating.objects.create(concern_id=c.pk, rater=n.supervisor, unit=n.village, rating="satisfied", comment="好", at=now, round=i)
            else:
                ConcernRating.objects.create(concern_id=c.pk, rating="basic", at=now, round=0)
            time.sleep(0.3)

    results, errors = race(4, rate)
    assert errors == [None] * 4
    check()
    assert {t.rated for t in RatingTally.objects.filter(scope=n.county)} == {1}
