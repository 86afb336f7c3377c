"""Rules that combine: whatever people do, in whatever order,

- received = resolved + pending + other, at the county, a township and a village;
- a concern is pending exactly while it is open, and a closed one has exactly one outcome
  (a reason when it is not "resolved"; `merged_into` exactly when merged);
- every step is one record entry and one version, a refusal is neither;
- the record book verifies.
"""
import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiying import access
from huiying.concerns import deadlines
from huiying.concerns import services as cs
from huiying.concerns.models import OPEN_STATES, OTHER_OUTCOMES, Concern, Outcome, State
from huiying.concerns.workflow import TRANSITIONS
from huiying.core.errors import Forbidden, NotFound, ServiceError
from huiying.records import book
from huiying.records.models import RecordEntry
from huiying.stats.selectors import unit_stats

from helpers import register, valid_args

UNITS = ["village", "point", "other_village", "township", "far_village", "county"]
TRACKS = ["policy", "dispute", "time_limited", "agency", "beyond_authority", "confidential"]
# The commander may act on everything, so it is drawn more often and the concerns get far.
ACTORS = ["county_commander"] * 4 + ["village_clerk", "village_clerk2", "hamlet_clerk", "township_staff", "dept_liaison", "other_village_clerk", "supervisor", "county_admin"]
# Steps that move a concern towards its end, preferred two times in five.
FORWARD = ["assign", "start_on_site", "record_mediation", "record_authorization", "take_document", "return_document", "book_appointment", "resolve", "post", "feedback", "rate", "answer"]
ACTIONS = sorted(TRANSITIONS) + ["tick"]

registrations = st.lists(st.tuples(st.sampled_from(UNITS), st.sampled_from(TRACKS)), min_size=2, max_size=4)
steps = st.lists(
    st.tuples(
        st.integers(0, 3),  # which concern
        st.sampled_from(ACTIONS),  # an action, tried as it is one time in five ...
        st.integers(0, 99),  # ... else the one at this index among those the buttons offer
        st.sampled_from(ACTORS),
        st.sampled_from(["satisfied", "basic", "dissatisfied"]),
        st.sampled_from(sorted(OTHER_OUTCOMES)),
        st.booleans(),  # escalate from a township to the department rather than the county
    ),
    min_size=10,
    max_size=30,
)


def check_invariants(n, concerns):
    for unit in (n.county, n.township, n.other_township, n.village, n.point):
        s = unit_stats(unit)
        assert s["concerns"] == s["resolved"] + s["pending"] + s["other"], (unit.name, s)
    assert unit_stats(n.county)["concerns"] == len(concerns)
    for c in Concern.objects.all():
        assert (c.outcome == "") == (c.state in OPEN_STATES), (c.reference, c.state, c.outcome)
        if c.state == State.CLOSED:
            assert c.outcome in Outcome.values and c.closed_at is not None
        if c.outcome in OTHER_OUTCOMES:
            assert c.outcome_reason
        assert (c.merged_into_id is not None) == (c.outcome == Outcome.MERGED)
        # Each version is one record entry; the overdue flag adds entries but no version.
        entries = RecordEntry.objects.filter(concern=c)
        assert entries.exclude(action="concern.overdue").count() == c.version
    assert book.verify()[1] == []


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(registrations=registrations, steps=steps)
def test_random_work_keeps_the_books_balanced(network, now, registrations, steps):
    n = network
    # Each example runs in a savepoint rolled back at its end, so examples start equal.
    with transaction.atomic():
        villager = cs.villager_create(actor=n.county_commander, name="韦小红", hamlet=n.hamlet)
        concerns = [register(n, unit=getattr(n, unit), track=track, villagers=[villager], actor=n.county_commander) for unit, track in registrations]
        day = 0
        for which, action, pick, actor_name, rating, outcome, to_department in steps:
            c = Concern.objects.get(pk=concerns[which % len(concerns)].pk)
            actor = n.users[actor_name]
            offered = [t.action for t in access.allowed_actions(actor, c)]
            if not offered and pick % 5:
                # Someone who may do nothing here hands over to the commander, so concerns get
                # far; one step in five is still tried as drawn, to be refused.
                actor = n.county_commander
                offered = [t.action for t in access.allowed_actions(actor, c)]
            forward = [a for a in FORWARD if a in offered]
            if forward and pick % 5 in (1, 2):
                action = forward[pick % len(forward)]
            elif offered and pick % 5:
                action = offered[pick % len(offered)]
            if action == "tick":
                day += 3
                deadlines.tick(now=now + dt.timedelta(days=day))
                continue
            others = [x for x in concerns if x.pk != c.pk]
            kwargs = valid_args(action, n, c, rating=rating, outcome=outcome, merged_into=Concern.objects.get(pk=others[0].pk), to_department=to_department)
            records = RecordEntry.objects.count()
            try:
                getattr(cs, f"concern_{action}")(actor=actor, concern=c, version=c.version, **kwargs)
            except ServiceError as e:
                # What the buttons offer, the table lets through; only the input may be refused.
                assert not (action in offered and isinstance(e, (Forbidden, NotFound))), (action, str(e))
                assert RecordEntry.objects.count() == records
                assert Concern.objects.get(pk=c.pk).version == c.version
            else:
                assert RecordEntry.objects.count() == records + 1
        check_invariants(n, concerns)
        transaction.set_rollback(True)
