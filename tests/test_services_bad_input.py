"""Every service refuses bad input with a ServiceError that names the field, and writes
nothing: no row in any table of ours, no record entry, no version bump, no reference number."""
import datetime as dt

import pytest

from huiying import access
from django.utils import timezone

from huiying.concerns import services as cs
from huiying.concerns.models import AgencyDocument, Concern, State
from huiying.concerns.validators import id_check_digit
from huiying.core import clock
from huiying.core.errors import Conflict, Forbidden, NotFound, ServiceError
from huiying.network import services as net
from huiying.network.models import Level, Role

from helpers import act, drive, fresh, register, snapshot

GOOD_ID = "45010219900101123" + id_check_digit("45010219900101123")
BAD_CHECKSUM_ID = GOOD_ID[:17] + ("1" if GOOD_ID[17] != "1" else "2")
# 30 February, with a correct check digit, so it is the date that is refused.
IMPOSSIBLE_DATE_ID = "45010219900230123" + id_check_digit("45010219900230123")


def refused(call, field, exc=ServiceError):
    """`call()` raises `exc` naming `field`, and the database is exactly as before."""
    before = snapshot()
    with pytest.raises(exc) as info:
        call()
    assert info.value.field == field, f"named {info.value.field!r}: {info.value}"
    assert field in info.value.message_dict
    assert snapshot() == before
    return info.value


@pytest.fixture
def villager(network, now):
    return cs.villager_create(actor=network.village_clerk, name="张小明", hamlet=network.hamlet, phone="13800138000", id_number=GOOD_ID)


# --- villagers ----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,field", [
    ({"id_number": BAD_CHECKSUM_ID}, "id_number"),
    ({"id_number": IMPOSSIBLE_DATE_ID}, "id_number"),
    ({"id_number": "4501021990010112"}, "id_number"),
    ({"phone": "12345"}, "phone"),
    ({"phone": "2380013800"}, "phone"),
    ({"name": "  "}, "name"),
    ({"hamlet": None}, "hamlet"),
], ids=["checksum", "impossible-date", "too-short", "short-phone", "bad-phone", "empty-name", "no-hamlet"])
def test_villager_create_refuses(network, now, kwargs, field):
    args = {"actor": network.village_clerk, "name": "李四", "hamlet": network.hamlet, **kwargs}
    refused(lambda: cs.villager_create(**args), field)


def test_villager_id_number_is_unique(network, now, villager):
    refused(lambda: cs.villager_create(actor=network.village_clerk, name="李四", hamlet=network.hamlet, id_number=GOOD_ID.lower()), "id_number")


def test_villager_outside_subtree(network, now):
    refused(lambda: cs.villager_create(actor=network.far_clerk, name="李四", hamlet=network.hamlet), "hamlet", Forbidden)


# --- registration -------------------------------------------------------------------------

def _register(n, **kw):
    args = {"actor": n.village_clerk, "unit": n.village, "function": "dispute", "channel": "phone", "summary": "土地纠纷", "track": "dispute", **kw}
    return lambda: cs.concern_register(**args)


@pytest.mark.parametrize("kwargs,field", [
    ({"summary": ""}, "summary"),
    ({"summary": "   "}, "summary"),
    ({"summary": "长" * 201}, "summary"),
    ({"function": "farming"}, "function"),
    ({"channel": "fax"}, "channel"),
    ({"track": "urgent"}, "track"),
    ({"risk_level": "extreme"}, "risk_level"),
    ({"channel": "visit"}, "visit"),
    ({"answer": "答复"}, "answer"),
    ({"track": "policy", "function": "suggestion", "answer": "  "}, "answer"),
], ids=["empty-summary", "blank-summary", "long-summary", "function", "channel", "track", "risk", "visit-without-visit", "answer-not-policy", "empty-answer"])
def test_concern_register_refuses(network, now, kwargs, field):
    refused(_register(network, **kwargs), field)


def test_concern_register_unknown_or_wrong_level_unit(network, now):
    n = network
    refused(_register(n, actor=n.county_commander, unit=n.department), "unit")
    refused(_register(n, unit="甲村"), "unit")
    refused(_register(n, unit=None), "unit")


def test_concern_register_outside_subtree(network, now):
    n = network
    refused(_register(n, actor=n.far_clerk), "unit", Forbidden)
    refused(_register(n, actor=n.village_clerk, unit=n.other_village), "unit", Forbidden)
    # A supervisor or an administrator does not register concerns.
    refused(_register(n, actor=n.supervisor), "unit", Forbidden)
    refused(_register(n, actor=n.county_admin, unit=n.county), "unit", Forbidden)


def test_concern_register_handler_and_villagers(network, now):
    n = network
    refused(_register(n, handler=n.far_clerk), "handler")
    refused(_register(n, handler=n.supervisor), "handler")
    refused(_register(n, villagers=["张小明"]), "villagers")


def test_concern_register_villager_from_another_county(network, now):
    n = network
    other = net.unit_create(level=Level.COUNTY, parent=None, name="凭祥市", ref_prefix="PX")
    town = net.unit_create(level=Level.TOWNSHIP, parent=other, name="友谊镇")
    village = net.unit_create(level=Level.VILLAGE, parent=town, name="丁村")
    hamlet = net.hamlet_create(village=village, name="丁一屯")
    clerk = net.staff_create(username="px_clerk", full_name="覃", unit=village, role=Role.CLERK)
    stranger = cs.villager_create(actor=clerk, name="外县人", hamlet=hamlet)
    refused(_register(n, villagers=[stranger]), "villagers")
    refused(_register(n, hamlet=hamlet), "hamlet")


# --- visits -------------------------------------------------------------------------------

def test_visit_log_refuses(network, now, villager):
    n = network
    for count in (0, -1, "2", True):
        refused(lambda: cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=count), "visitor_count")
    refused(lambda: cs.visit_log(actor=n.village_clerk, unit=n.department, visitor_count=1), "unit")
    refused(lambda: cs.visit_log(actor=n.far_clerk, unit=n.village, visitor_count=1), "unit", Forbidden)
    refused(lambda: cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=1, visited_at=now + dt.timedelta(hours=1)), "visited_at")
    refused(lambda: cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=1, staff=n.far_clerk), "staff")
    other = cs.villager_create(actor=n.village_clerk, name="李四", hamlet=n.hamlet2)
    refused(lambda: cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=1, villagers=[villager, other]), "visitor_count")


def test_visit_log_with_a_bad_concern_writes_neither_the_visit_nor_the_good_concern(network, now):
    n = network
    concerns = [
        {"function": "dispute", "summary": "土地纠纷", "track": "dispute"},
        {"function": "dispute", "summary": "", "track": "dispute"},
    ]
    refused(lambda: cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=2, concerns=concerns), "concerns.1.summary")


# --- workflow steps -----------------------------------------------------------------------

@pytest.fixture
def concern(network, now, villager):
    """A dispute at 甲村, assigned to its clerk (analysis)."""
    c = register(network, actor=network.village_clerk, villagers=[villager])
    return act(cs.concern_assign, actor=network.village_clerk, concern=c, handler=network.village_clerk)


def step(service, actor, concern, **kw):
    c = fresh(concern)
    return lambda: service(actor=actor, concern=c, version=c.version, **kw)


def test_missing_reason(network, concern):
    n, clerk = network, network.village_clerk
    for reason in ("", "   ", None):
        refused(step(cs.concern_escalate, clerk, concern, to_unit=n.township, reason=reason), "reason")
        refused(step(cs.concern_transfer, clerk, concern, to_unit=n.other_village, reason=reason), "reason")
        refused(step(cs.concern_extend, clerk, concern, days=3, reason=reason), "reason")
        refused(step(cs.concern_close_unresolved, clerk, concern, outcome="withdrawn", reason=reason), "reason")


def test_escalate_only_to_the_parent_or_from_a_township_to_a_department(network, concern):
    n, clerk = network, network.village_clerk
    for to_unit in (n.county, n.other_township, n.other_village, n.point, n.village, n.department, None, "城中镇"):
        refused(step(cs.concern_escalate, clerk, concern, to_unit=to_unit, reason="超出权限"), "to_unit")
    refused(step(cs.concern_escalate, clerk, concern, to_unit=n.township, reason="超出权限", to_handler=n.other_township_staff), "to_handler")


def test_escalate_a_confidential_concern_names_a_handler(network, now):
    n = network
    c = register(n, actor=n.village_clerk, track="confidential")
    refused(step(cs.concern_escalate, n.village_clerk, c, to_unit=n.township, reason="涉私"), "to_handler")


def test_book_appointment_dates(network, concern):
    n = network
    c = act(cs.concern_escalate, actor=n.village_clerk, concern=concern, to_unit=n.township, reason="超出权限")
    today = clock.today()
    staff = n.township_staff
    refused(step(cs.concern_book_appointment, staff, c, date=today - dt.timedelta(days=1), place="村部", cadre="王"), "date")
    refused(step(cs.concern_book_appointment, staff, c, date=c.due_date + dt.timedelta(days=1), place="村部", cadre="王"), "date")
    refused(step(cs.concern_book_appointment, staff, c, date=clock.now(), place="村部", cadre="王"), "date")
    refused(step(cs.concern_book_appointment, staff, c, date=today, place="", cadre="王"), "place")
    refused(step(cs.concern_book_appointment, staff, c, date=today, place="村部", cadre=" "), "cadre")
    refused(step(cs.concern_book_appointment, staff, c, date=today, place="村部", cadre="王", handler=n.village_clerk), "handler")


def test_stale_version_is_a_conflict(network, concern):
    n = network
    stale = fresh(concern)
    act(cs.concern_start_on_site, actor=n.village_clerk, concern=stale)
    current = fresh(concern).version
    assert current == stale.version + 1
    err = refused(lambda: cs.concern_extend(actor=n.village_clerk, concern=stale, version=stale.version, days=2, reason="补材料"), "version", Conflict)
    assert err.current_version == current
    assert err.code == "stale"
    # A version from the future is as stale as one from the past.
    refused(lambda: cs.concern_extend(actor=n.village_clerk, concern=stale, version=current + 1, days=2, reason="补材料"), "version", Conflict)
    for missing in (None, "3", True):
        refused(lambda: cs.concern_extend(actor=n.village_clerk, concern=stale, version=missing, days=2, reason="补材料"), "version")


def test_acting_outside_ones_part_of_the_network(network, concern):
    n = network
    # Invisible: "not found", so the refusal does not even confirm the concern exists.
    for user in (n.far_clerk, n.other_township_staff, n.other_village_clerk, n.dept_liaison, n.hamlet_clerk):
        refused(step(cs.concern_extend, user, concern, days=2, reason="补材料"), "concern", NotFound)
    # Visible but not theirs to act on: forbidden, naming the action.
    for user in (n.township_staff, n.county_admin):
        refused(step(cs.concern_extend, user, concern, days=2, reason="补材料"), "action", Forbidden)


def test_transfer_cap(network, concern, settings):
    n = network
    assert settings.HUIYING_MAX_TRANSFERS == 3
    for to_unit in (n.other_village, n.village, n.other_village):
        act(cs.concern_transfer, actor=n.county_commander, concern=concern, to_unit=to_unit, reason="转交")
    assert fresh(concern).transfer_count == 3
    refused(step(cs.concern_transfer, n.county_commander, concern, to_unit=n.village, reason="转交"), "action", Forbidden)


def test_transfer_refuses(network, concern):
    n, clerk = network, network.village_clerk
    refused(step(cs.concern_transfer, clerk, concern, to_unit=n.village, reason="转交"), "to_unit")
    refused(step(cs.concern_transfer, clerk, concern, to_unit=None, reason="转交"), "to_unit")
    other = net.unit_create(level=Level.COUNTY, parent=None, name="凭祥市", ref_prefix="PX")
    refused(step(cs.concern_transfer, clerk, concern, to_unit=other, reason="转交"), "to_unit")
    secret = register(n, actor=clerk, track="confidential")
    err = refused(step(cs.concern_transfer, clerk, secret, to_unit=n.other_village, reason="转交"), "action", Forbidden)
    assert "confidential" in str(err.messages[0]) or "涉密" in str(err.messages[0])


def test_extension_cap_and_days(network, concern, settings):
    clerk = network.village_clerk
    for days in (0, -1, settings.HUIYING_MAX_EXTENSION_DAYS + 1, "3", None, True):
        refused(step(cs.concern_extend, clerk, concern, days=days, reason="补材料"), "days")
    for _ in range(settings.HUIYING_MAX_EXTENSIONS):
        act(cs.concern_extend, actor=clerk, concern=concern, days=2, reason="补材料")
    refused(step(cs.concern_extend, clerk, concern, days=2, reason="补材料"), "days")


def test_close_unresolved_outcomes(network, concern, villager):
    n, clerk = network, network.village_clerk
    refused(step(cs.concern_close_unresolved, clerk, concern, outcome="merged", reason="重复"), "merged_into")
    refused(step(cs.concern_close_unresolved, clerk, concern, outcome="merged", reason="重复", merged_into=fresh(concern)), "merged_into")
    refused(step(cs.concern_close_unresolved, clerk, concern, outcome="resolved", reason="x"), "outcome")
    refused(step(cs.concern_close_unresolved, clerk, concern, outcome="", reason="x"), "outcome")
    other = register(n, actor=clerk, villagers=[villager])
    refused(step(cs.concern_close_unresolved, clerk, concern, outcome="withdrawn", reason="撤回", merged_into=other), "merged_into")
    # Not into a concern the user cannot see, nor into one that ended otherwise.
    far = register(n, actor=n.far_clerk, unit=n.far_village)
    refused(step(cs.concern_close_unresolved, clerk, concern, outcome="merged", reason="重复", merged_into=far), "merged_into")
    act(cs.concern_close_unresolved, actor=clerk, concern=other, outcome="withdrawn", reason="撤回")
    refused(step(cs.concern_close_unresolved, clerk, concern, outcome="merged", reason="重复", merged_into=fresh(other)), "merged_into")


def test_rating(network, concern):
    n, clerk = network, network.village_clerk
    closed = register(n, actor=clerk)
    act(cs.concern_close_unresolved, actor=clerk, concern=closed, outcome="withdrawn", reason="撤回")
    assert fresh(closed).state == State.CLOSED
    refused(step(cs.concern_rate, clerk, closed, rating="satisfied"), "action", Forbidden)
    c = drive(n, concern, State.SUPERVISION, actor=clerk)
    refused(step(cs.concern_rate, clerk, c, rating="happy"), "rating")
    act(cs.concern_rate, actor=clerk, concern=c, rating="satisfied")
    refused(step(cs.concern_rate, clerk, c, rating="dissatisfied"), "action", Forbidden)
    # A dissatisfied rating reopens the concern; its next result is rated afresh, once.
    other = drive(n, register(n, actor=clerk), State.SUPERVISION, actor=clerk)
    act(cs.concern_rate, actor=clerk, concern=other, rating="dissatisfied")
    assert fresh(other).state == State.ON_SITE and fresh(other).outcome == ""
    refused(step(cs.concern_rate, clerk, other, rating="satisfied"), "action", Forbidden)
    act(cs.concern_resolve, actor=clerk, concern=other, result="再次处理")
    act(cs.concern_rate, actor=clerk, concern=other, rating="basic")
    refused(step(cs.concern_rate, clerk, other, rating="basic"), "action", Forbidden)
    assert "rate" not in [t.action for t in access.allowed_actions(clerk, fresh(other))]


def test_confidential_is_never_posted_and_answered_in_person(network, now):
    n, clerk = network, network.village_clerk
    c = register(n, actor=clerk, track="confidential")
    c = drive(n, c, State.SUPERVISION, actor=clerk)
    refused(step(cs.concern_post, clerk, c), "action", Forbidden)
    for method in ("phone", "sms", "letter"):
        refused(step(cs.concern_feedback, clerk, c, method=method), "method")
    refused(step(cs.concern_feedback, clerk, c, method="carrier-pigeon"), "method")


def test_agency_documents(network, concern, villager):
    n, clerk = network, network.village_clerk
    c = register(n, actor=clerk, track="agency", villagers=[villager])
    c = act(cs.concern_assign, actor=clerk, concern=c, handler=clerk)
    refused(step(cs.concern_take_document, clerk, c, name="户口簿"), "name")
    stranger = cs.villager_create(actor=clerk, name="李四", hamlet=n.hamlet2)
    refused(step(cs.concern_record_authorization, clerk, c, villager=stranger, signed_on=clock.today(), scope="代办"), "villager")
    refused(step(cs.concern_record_authorization, clerk, c, villager=villager, signed_on=clock.today() + dt.timedelta(days=1), scope="代办"), "signed_on")
    refused(step(cs.concern_record_authorization, clerk, c, villager=villager, signed_on=clock.today(), scope=""), "scope")
    act(cs.concern_record_authorization, actor=clerk, concern=c, villager=villager, signed_on=clock.today(), scope="代办")
    refused(step(cs.concern_record_authorization, clerk, c, villager=villager, signed_on=clock.today(), scope="代办"), "villager")
    refused(step(cs.concern_take_document, clerk, c, name=""), "name")
    doc = act(cs.concern_take_document, actor=clerk, concern=c, name="户口簿")
    refused(step(cs.concern_resolve, clerk, c, result="已办结"), "result")
    other_doc = AgencyDocument.objects.create(concern=concern, name="别的", taken_in_at=clock.now())
    refused(step(cs.concern_return_document, clerk, c, document=other_doc), "document")
    refused(step(cs.concern_return_document, clerk, c, document=None), "document")
    act(cs.concern_return_document, actor=clerk, concern=c, document=doc)
    refused(step(cs.concern_return_document, clerk, c, document=doc), "document")


def test_other_step_inputs(network, concern):
    n, clerk = network, network.village_clerk
    refused(step(cs.concern_assign, clerk, concern, handler=n.far_clerk), "handler")
    refused(step(cs.concern_assign, clerk, concern, handler=n.supervisor), "handler")
    refused(step(cs.concern_assign, clerk, concern, handler=clerk, track="urgent"), "track")
    refused(step(cs.concern_resolve, clerk, concern, result=" "), "result")
    policy = register(n, actor=clerk, track="policy", function="suggestion")
    refused(step(cs.concern_answer, clerk, policy, answer=""), "answer")
    c = act(cs.concern_start_on_site, actor=clerk, concern=concern)
    good = {"held_at": clock.now(), "place": "村部", "parties": ["张三", "李四"], "mediators": ["调解员"], "summary": "协商"}
    for bad, field in [
        ({"parties": ["张三"]}, "parties"),
        ({"parties": ["张三", " "]}, "parties"),
        ({"mediators": []}, "mediators"),
        ({"place": ""}, "place"),
        ({"summary": ""}, "summary"),
        ({"held_at": clock.now() + dt.timedelta(hours=1)}, "held_at"),
        ({"held_at": clock.today()}, "held_at"),
        ({"agreement_reached": True}, "agreement"),
    ]:
        refused(step(cs.concern_record_mediation, clerk, c, **{**good, **bad}), field)


def test_a_confidential_concern_keeps_its_track(network, now):
    n, clerk = network, network.village_clerk
    c = register(n, actor=clerk, track="confidential")
    refused(step(cs.concern_assign, clerk, c, handler=clerk, track="dispute"), "track")


# --- the network --------------------------------------------------------------------------

def test_unit_create_refuses(network):
    n = network
    cases = [
        ({"level": Level.VILLAGE, "parent": n.county}, "parent"),
        ({"level": Level.HAMLET, "parent": n.township}, "parent"),
        ({"level": Level.TOWNSHIP, "parent": n.village}, "parent"),
        ({"level": Level.DEPARTMENT, "parent": n.township}, "parent"),
        ({"level": Level.TOWNSHIP, "parent": None}, "parent"),
        ({"level": Level.COUNTY, "parent": n.county, "ref_prefix": "XX"}, "parent"),
        ({"level": Level.COUNTY, "parent": None}, "ref_prefix"),
        ({"level": Level.COUNTY, "parent": None, "ref_prefix": "nm"}, "ref_prefix"),
        ({"level": "province", "parent": None}, "level"),
        ({"level": Level.VILLAGE, "parent": n.township, "name": " "}, "name"),
        ({"level": Level.VILLAGE, "parent": n.township, "code": "4500001002"}, "code"),
        ({"level": Level.VILLAGE, "parent": n.township, "code": "45000010020A"}, "code"),
        ({"level": Level.VILLAGE, "parent": n.township, "code": n.village.code}, "code"),
    ]
    for kwargs, field in cases:
        args = {"name": "新村", **kwargs}
        refused(lambda: net.unit_create(**args), field)


def test_staff_create_refuses(network):
    n = network
    cases = [
        ({"unit": n.township, "role": Role.CLERK}, "role"),
        ({"unit": n.village, "role": Role.CENTER_STAFF}, "role"),
        ({"unit": n.township, "role": Role.COMMANDER}, "role"),
        ({"unit": n.village, "role": Role.LIAISON}, "role"),
        ({"unit": n.department, "role": Role.SUPERVISOR}, "role"),
        ({"unit": n.township, "role": Role.ADMIN}, "role"),
        ({"unit": n.village, "role": "mayor"}, "role"),
        ({"unit": n.village, "role": Role.CLERK, "employment": "casual"}, "employment"),
        ({"unit": n.village, "role": Role.CLERK, "username": " "}, "username"),
        ({"unit": n.village, "role": Role.CLERK, "username": "village_clerk"}, "username"),
    ]
    for kwargs, field in cases:
        args = {"username": "new_person", "full_name": "新人", **kwargs}
        refused(lambda: net.staff_create(**args), field)


def test_other_network_services_refuse(network, now):
    n = network
    refused(lambda: net.hamlet_create(village=n.township, name="新屯"), "village")
    refused(lambda: net.hamlet_create(village=n.village, name=" "), "name")
    refused(lambda: net.hamlet_create(village=n.village, name="甲一屯"), "name")
    refused(lambda: net.hamlet_create(village=n.other_village, name="新屯", point=n.point), "point")
    refused(lambda: net.hamlet_create(village=n.village, name="新屯", code="123"), "code")
    refused(lambda: net.membership_add(user=n.village_clerk, unit=n.village, role=Role.CLERK), "role")
    refused(lambda: net.membership_add(user=n.village_clerk, unit=n.county, role=Role.CLERK), "role")
    refused(lambda: net.duty_shift_add(unit=n.other_village, user=n.village_clerk, day=clock.today()), "user")


def test_nothing_written_means_no_reference_number_used(network, now):
    """A refused registration must not consume a reference number: the next good one is #1."""
    n = network
    with pytest.raises(ServiceError):
        _register(n, summary="")()
    c = register(n, actor=n.village_clerk)
    assert c.reference == f"CS-{timezone.localdate(now).year}-000001"
    assert Concern.objects.count() == 1


def test_the_snapshot_sees_a_write(network, now):
    # The check above is only worth something if a real write changes the snapshot.
    before = snapshot()
    register(network, actor=network.village_clerk)
    assert snapshot() != before
    before = snapshot()
    c = Concern.objects.get()
    act(cs.concern_extend, actor=network.village_clerk, concern=c, days=1, reason="补材料")
    after = snapshot()
    assert after["concern_versions"] != before["concern_versions"] and after["records"] == before["records"] + 1
