"""The workflow table, exhaustively: every state × action × role.

For each (state, role) one test drives concerns into the state through the services, then
tries every action through its service inside a savepoint that is rolled back afterwards.
The expected outcome is the literal table below, written from PRODUCT.md's workflow and
*not* read from `huiying.concerns.workflow` — so any change to the table in code fails here
until this table is changed too, on purpose.
"""
import pytest
from django.db import transaction

from huiying import access
from huiying.concerns import services as cs
from huiying.concerns import workflow
from huiying.concerns.models import AgencyAuthorization, AgencyDocument, State
from huiying.core import clock
from huiying.core.errors import Forbidden, NotFound, ServiceError
from huiying.records.models import RecordEntry

from helpers import act, drive, fresh, register, snapshot, staff_of, valid_args

REG, ANA, ESC, ONS, SUP, POS, CLO = (
    State.REGISTERED, State.ANALYSIS, State.ESCALATED, State.ON_SITE, State.SUPERVISION, State.POSTED, State.CLOSED,
)
OPEN = {REG, ANA, ESC, ONS}

# Roles, each placed at a unit where it can serve (see SCENARIOS).
HANDLING = {"clerk", "hamlet_clerk", "center_staff", "commander", "liaison"}
# Escalating and posting are for the tiers' own staff and the commander, not departments.
LOCAL = {"clerk", "hamlet_clerk", "center_staff", "commander"}

# action: (states it may be taken in, roles that may take it). Everything else is refused.
EXPECTED = {
    "assign": ({REG, ANA}, HANDLING),
    "answer": ({REG, ANA}, HANDLING),  # policy track only
    "start_on_site": ({ANA}, HANDLING),
    "record_mediation": ({ONS}, HANDLING),  # dispute track only
    "record_authorization": ({ANA, ONS}, HANDLING),  # agency track only
    "take_document": ({ANA, ONS}, HANDLING),  # agency track only
    "return_document": ({ANA, ONS}, HANDLING),  # agency track only; every document is back before the result
    "escalate": ({REG, ANA, ONS, ESC}, LOCAL),
    "book_appointment": ({ESC}, HANDLING),
    "transfer": ({REG, ANA, ESC}, HANDLING),
    "extend": (OPEN, HANDLING),
    "resolve": ({ANA, ONS}, HANDLING),
    "post": ({SUP}, LOCAL),  # never a confidential concern (see test_services_bad_input)
    "feedback": ({SUP, POS}, HANDLING),
    "close_unresolved": (OPEN, HANDLING),
    "rate": ({SUP, POS, CLO}, HANDLING),
    "object": ({POS}, HANDLING),
    # The county HQ, and a township on its own and its villages' results.
    "reopen": ({SUP, POS, CLO}, {"commander", "center_staff", "center_staff_not_handling"}),
}
ALLOWED = {(state, action, role) for action, (states, roles) in EXPECTED.items() for state in states for role in roles}

# role: (fixture user, handling unit, receiving unit). The first seven are the roles at the
# unit where they act; the last three are the same people where they are *not* the handling
# unit, and may do nothing.
SCENARIOS = {
    "clerk": ("village_clerk", "village", "village"),
    "hamlet_clerk": ("hamlet_clerk", "point", "point"),
    "center_staff": ("township_staff", "township", "township"),
    "commander": ("county_commander", "village", "village"),  # acts county-wide, not the handling unit
    "liaison": ("dept_liaison", "department", "township"),  # transferred or escalated to the department
    "supervisor": ("supervisor", "village", "village"),
    "admin": ("county_admin", "village", "village"),
    "clerk_not_handling": ("village_clerk", "township", "village"),
    "center_staff_not_handling": ("township_staff", "village", "village"),
    "liaison_not_handling": ("dept_liaison", "village", "village"),
}
# An escalated concern got there from a child of its handling unit.
ESCALATED_FROM = {"village": "point", "township": "village", "department": "township"}

# Which concern each action is tried on: one of a track the action applies to.
KIND = {"answer": "policy", "record_mediation": "dispute", "record_authorization": "agency", "take_document": "agency_docs", "return_document": "agency_docs"}
KINDS = {"policy": "policy", "dispute": "dispute", "agency": "agency", "agency_docs": "agency"}


def test_the_literal_table_covers_every_action_and_state():
    # A new transition or state must be added here, with its expected rights, on purpose.
    assert set(EXPECTED) == set(workflow.TRANSITIONS)
    assert set(State) == {REG, ANA, ESC, ONS, SUP, POS, CLO}
    assert {r for r in SCENARIOS if not r.endswith("_not_handling")} == HANDLING | {"supervisor", "admin"}


def with_documents(n, c):
    """Give an agency concern its authorization and one document still taken in: through the
    services where the table lets them run, else as plain rows, so a refusal below is the
    table's and never a missing precondition's."""
    if c.state in (ANA, ONS):
        act(cs.concern_record_authorization, actor=n.county_commander, concern=c, villager=c.villagers.first(), signed_on=clock.today(), scope="代办")
        act(cs.concern_take_document, actor=n.county_commander, concern=c, name="身份证复印件")
    else:
        # No service leaves a document outstanding in these states (taking one in needs
        # analysis or on-site work, and resolving needs every document back).
        AgencyAuthorization.objects.get_or_create(concern=c, defaults={"villager": c.villagers.first(), "signed_on": clock.today(), "scope": "代办", "recorded_by": n.county_commander})
        AgencyDocument.objects.create(concern=c, name="身份证复印件", taken_in_at=clock.now())
    return fresh(c)


def build(n, state, kind, handling, received, villager):
    setup = n.county_commander  # the commander may take every step on every concern
    track = KINDS[kind]
    here = getattr(n, handling)
    if state == ESC:
        origin = getattr(n, ESCALATED_FROM[handling])
        c = register(n, unit=origin, track=track, villagers=[villager])
        if kind == "agency_docs":
            c = act(cs.concern_assign, actor=setup, concern=c, handler=staff_of(n, origin))
            c = with_documents(n, c)
        return act(cs.concern_escalate, actor=setup, concern=c, to_unit=here, reason="超出权限")
    c = register(n, unit=getattr(n, received), track=track, villagers=[villager])
    if here.pk != c.handling_unit_id:
        c = act(cs.concern_transfer, actor=setup, concern=c, to_unit=here, reason="转交")
    c = drive(n, c, state)
    if kind == "agency_docs":
        c = with_documents(n, c)
    return c


STATES = [REG, ANA, ESC, ONS, SUP, POS, CLO]
CASES = [
    pytest.param(state, role, id=f"{state}-{role}")
    for role in SCENARIOS for state in STATES
    # A hamlet point has no child to escalate from, so nothing is ever escalated *to* one.
    if not (state == ESC and SCENARIOS[role][1] == "point")
]


@pytest.mark.parametrize("state,role", CASES)
def test_every_action(network, now, state, role):
    n = network
    username, handling, received = SCENARIOS[role]
    user = n.users[username]
    villager = cs.villager_create(actor=n.county_commander, name="韦小红", hamlet=n.hamlet)
    concerns = {kind: build(n, state, kind, handling, received, villager) for kind in KINDS}
    for c in concerns.values():
        assert c.state == state
        assert c.handling_unit_id == getattr(n, handling).pk

    problems = []
    for action in EXPECTED:
        expected = (state, action, role) in ALLOWED
        c = fresh(concerns[KIND.get(action, "dispute")])
        buttons = {t.action for t in access.allowed_actions(user, c)}
        if (action in buttons) != expected:
            problems.append(f"{action}: allowed_actions says {action in buttons}, expected {expected}")
        service = getattr(cs, f"concern_{action}")
        kwargs = valid_args(action, n, c)
        before = snapshot()
        with transaction.atomic():
            try:
                service(actor=user, concern=c, version=c.version, **kwargs)
            except (Forbidden, NotFound) as e:
                if expected:
                    problems.append(f"{action}: refused ({e}), expected allowed")
                # A concern the user may not see is "not found", never "forbidden".
                visible = access.can_see_concern(user, c)
                if isinstance(e, NotFound) == visible:
                    problems.append(f"{action}: {type(e).__name__} although visible={visible}")
                if snapshot() != before:
                    problems.append(f"{action}: refused but wrote something")
            except ServiceError as e:
                # Arguments are valid, so only the table (access) may refuse.
                problems.append(f"{action}: input refused: {e}")
            else:
                if not expected:
                    problems.append(f"{action}: allowed, expected refused")
                entries = list(RecordEntry.objects.filter(concern=c).order_by("-seq")[:1])
                after = fresh(c)
                if RecordEntry.objects.count() != before["records"] + 1 or entries[0].action != f"concern.{action}" or entries[0].actor_id != user.pk:
                    problems.append(f"{action}: allowed but did not write exactly one record entry")
                if after.version != c.version + 1:
                    problems.append(f"{action}: version {c.version} → {after.version}")
            transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


# --- the table's conditions on the concern itself (guards) --------------------------------

def offered(user, c):
    return {t.action for t in access.allowed_actions(user, fresh(c))}


def refused_by_table(call):
    before = snapshot()
    with pytest.raises(Forbidden) as info:
        call()
    assert info.value.field == "action"
    assert snapshot() == before


def test_a_confidential_concern_is_never_posted_nor_transferred(network, now):
    n = network
    c = register(n, actor=n.village_clerk, track="confidential")
    for user in (n.village_clerk, n.county_commander):
        assert "transfer" not in offered(user, c)
        assert {"assign", "escalate", "extend", "close_unresolved"} <= offered(user, c)
        refused_by_table(lambda: act(cs.concern_transfer, actor=user, concern=c, to_unit=n.other_village, reason="转交"))
    c = drive(n, c, SUP, actor=n.village_clerk)
    for user, more in ((n.village_clerk, set()), (n.county_commander, {"reopen"})):
        assert offered(user, c) == {"feedback", "rate"} | more
        refused_by_table(lambda: act(cs.concern_post, actor=user, concern=c))


def test_transfers_stop_at_the_cap(network, now, settings):
    n = network
    settings.HUIYING_MAX_TRANSFERS = 2
    c = register(n, actor=n.village_clerk)
    act(cs.concern_transfer, actor=n.village_clerk, concern=c, to_unit=n.other_village, reason="转交")
    assert "transfer" in offered(n.other_village_clerk, c)
    act(cs.concern_transfer, actor=n.other_village_clerk, concern=c, to_unit=n.village, reason="转交")
    assert "transfer" not in offered(n.village_clerk, c)
    assert {"assign", "escalate", "close_unresolved"} <= offered(n.village_clerk, c)
    refused_by_table(lambda: act(cs.concern_transfer, actor=n.county_commander, concern=c, to_unit=n.other_village, reason="转交"))


def test_only_a_resolved_concern_is_rated(network, now):
    n = network
    c = register(n, actor=n.village_clerk)
    act(cs.concern_close_unresolved, actor=n.village_clerk, concern=c, outcome="withdrawn", reason="撤回")
    assert fresh(c).state == CLO
    assert offered(n.village_clerk, c) == set()
    refused_by_table(lambda: act(cs.concern_rate, actor=n.village_clerk, concern=c, rating="satisfied"))
    answered = register(n, actor=n.village_clerk, track="policy", function="suggestion", answer="按政策答复")
    assert offered(n.village_clerk, answered) == {"rate"}
