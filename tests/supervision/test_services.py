"""The supervision services: registering supervisors, rating, the township's review — each
rule, and each refusal naming its field and writing nothing."""
import pytest
from django.utils import translation

from helpers import act, drive, fresh, register, snapshot
from huiying.concerns import services as cs
from huiying.concerns.models import State
from huiying.core.errors import Forbidden, NotFound, ServiceError
from huiying.network import services as net
from huiying.network.models import Role
from huiying.records.models import RecordEntry
from huiying.supervision import selectors, services
from huiying.supervision.models import Decision, Kind, Review, Supervisor, SupervisorRating


def everything() -> dict:
    snap = snapshot()
    snap["supervision"] = (Supervisor.objects.count(), SupervisorRating.objects.count(), sorted(Review.objects.values_list("pk", "closed_at", "decision")))
    return snap


def refused(call, field: str, kind=ServiceError):
    before = everything()
    with pytest.raises(kind) as e:
        call()
    assert e.value.field == field, e.value
    assert everything() == before
    return e.value


# --- registering ---------------------------------------------------------------------------

def test_township_staff_register_a_supervisor_in_their_township(network, now):
    s = services.supervisor_register(actor=network.township_staff, unit=network.other_village, username="sup2", full_name="陆监督", kind=Kind.PC_DEPUTY, phone="13800000000")
    assert s.membership.role == Role.SUPERVISOR and s.membership.unit == network.other_village and s.membership.phone == "13800000000"
    assert s.get_kind_display() and [m.user.username for m in selectors.unit_supervisors(network.other_village)] == ["sup2"]
    entry = RecordEntry.objects.get(action="supervision.register")
    assert entry.unit_id == network.other_village.id and entry.payload["kind"] == "pc_deputy"


def test_an_existing_supervisor_gets_a_kind_and_a_second_unit(network, now):
    services.supervisor_register(actor=network.county_commander, unit=network.village, username="supervisor", full_name="", kind=Kind.FORMER_CADRE)
    services.supervisor_register(actor=network.county_admin, unit=network.point, username="supervisor", full_name="", kind=Kind.FORMER_CADRE)
    assert Supervisor.objects.filter(membership__user=network.supervisor).count() == 2


@pytest.mark.parametrize("actor, unit, args, field, kind", [
    ("other_township_staff", "village", {}, "unit", Forbidden),  # another township's village
    ("village_clerk", "village", {}, "unit", Forbidden),  # clerks do not register supervisors
    ("county_commander", "department", {}, "unit", ServiceError),
    ("county_commander", "village", {"kind": "mayor"}, "kind", ServiceError),
    ("county_commander", "village", {"username": " "}, "username", ServiceError),
    ("county_commander", "village", {"full_name": ""}, "full_name", ServiceError),
    ("county_commander", "village", {"username": "village_clerk2"}, "username", ServiceError),  # staff
    ("county_commander", "village", {"phone": "1" * 31}, "phone", ServiceError),
])
def test_registering_refused(network, now, actor, unit, args, field, kind):
    call = dict({"username": "new_sup", "full_name": "新监督", "kind": Kind.VILLAGE_COMMITTEE}, **args)
    e = refused(lambda: services.supervisor_register(actor=network.users[actor], unit=getattr(network, unit), **call), field, kind)
    assert e.text


def test_registering_twice_refused(network, now):
    services.supervisor_register(actor=network.county_commander, unit=network.village, username="supervisor", full_name="", kind=Kind.FORMER_CADRE)
    refused(lambda: services.supervisor_register(actor=network.county_commander, unit=network.village, username="supervisor", full_name="", kind=Kind.PARTY_REP), "username")


# --- rating --------------------------------------------------------------------------------

def test_a_satisfied_rating_is_recorded_and_opens_no_review(network, finished):
    r = services.supervision_rate(actor=network.supervisor, concern=finished, rating="satisfied", comment="群众反映良好")
    assert (r.round, r.unit, r.rating) == (0, network.village, "satisfied")
    assert not Review.objects.exists()
    c = fresh(finished)
    assert (c.state, c.version) == (finished.state, finished.version)  # the concern itself is untouched
    entry = RecordEntry.objects.get(action="supervision.rate")
    assert entry.concern_id == c.id and entry.payload["comment"] == "群众反映良好"
    assert finished not in selectors.results_to_rate(network.supervisor)
    assert list(selectors.my_ratings(network.supervisor)) == [r]


def test_a_dissatisfied_rating_opens_one_review_by_the_township(network, finished, now):
    services.supervision_rate(actor=network.supervisor, concern=finished, rating="dissatisfied", comment="水渠仍然堵塞")
    review = Review.objects.get()
    assert review.unit == network.township and review.is_open and review.round == 0
    assert RecordEntry.objects.get(action="supervision.review_open").unit_id == network.township.id
    assert list(selectors.reviews(network.township_staff)) == [review]
    assert list(selectors.reviews(network.county_commander)) == [review]
    assert not selectors.reviews(network.other_township_staff).exists() and not selectors.reviews(network.village_clerk).exists()
    # A second supervisor's dissatisfied rating of the same result joins the open review.
    services.supervisor_register(actor=network.county_commander, unit=network.township, username="sup_t", full_name="镇监督", kind=Kind.PC_DEPUTY)
    sup_t = network.users["sup_t"] = type(network.supervisor).objects.get(username="sup_t")
    services.supervision_rate(actor=sup_t, concern=finished, rating="dissatisfied", comment="同意")
    assert Review.objects.count() == 1 and SupervisorRating.objects.count() == 2


def test_a_concern_received_at_the_township_is_reviewed_by_the_county(network, now):
    c = drive(network, register(network, unit=network.township, actor=network.township_staff), State.SUPERVISION)
    services.supervisor_register(actor=network.county_commander, unit=network.township, username="sup_t", full_name="镇监督", kind=Kind.PC_DEPUTY)
    sup_t = type(network.supervisor).objects.get(username="sup_t")
    services.supervision_rate(actor=sup_t, concern=c, rating="dissatisfied", comment="答复不清")
    assert Review.objects.get().unit == network.county
    assert not selectors.reviews(network.township_staff).exists()


def test_rating_refused(network, finished, now):
    # Not finished; closed without a result; another unit's; not a supervisor; bad rating; no comment.
    open_c = register(network, actor=network.village_clerk)
    refused(lambda: services.supervision_rate(actor=network.supervisor, concern=open_c, rating="satisfied", comment="好"), "concern", NotFound)
    withdrawn = act(cs.concern_close_unresolved, actor=network.village_clerk, concern=register(network, actor=network.village_clerk), outcome="withdrawn", reason="撤回")
    e = refused(lambda: services.supervision_rate(actor=network.supervisor, concern=withdrawn, rating="satisfied", comment="好"), "concern")
    assert "已解决的结果" in e.text  # in Chinese by default, and in English
    with translation.override("en"):
        assert "Only a resolved result is rated" in e.text
    elsewhere = drive(network, register(network, unit=network.other_village, actor=network.other_village_clerk), State.SUPERVISION)
    refused(lambda: services.supervision_rate(actor=network.supervisor, concern=elsewhere, rating="satisfied", comment="好"), "concern", NotFound)
    refused(lambda: services.supervision_rate(actor=network.township_staff, concern=finished, rating="satisfied", comment="好"), "concern", Forbidden)
    refused(lambda: services.supervision_rate(actor=network.supervisor, concern=finished, rating="great", comment="好"), "rating")
    refused(lambda: services.supervision_rate(actor=network.supervisor, concern=finished, rating="satisfied", comment="  "), "comment")
    secret = drive(network, register(network, actor=network.village_clerk, confidential=True, track="confidential", handler=network.village_clerk), State.SUPERVISION)
    refused(lambda: services.supervision_rate(actor=network.supervisor, concern=secret, rating="satisfied", comment="好"), "concern", NotFound)
    assert secret not in selectors.finished_concerns(network.supervisor)


def test_once_per_rater_per_result_and_afresh_after_rework(network, finished, now):
    services.supervision_rate(actor=network.supervisor, concern=finished, rating="dissatisfied", comment="未解决")
    refused(lambda: services.supervision_rate(actor=network.supervisor, concern=finished, rating="satisfied", comment="再评"), "concern")
    review = Review.objects.get()
    services.supervision_review_close(actor=network.township_staff, review=review, decision=Decision.REWORK, reason="退回重办")
    c = fresh(finished)
    assert (c.state, c.outcome, c.reopen_count) == (State.ON_SITE, "", 1)
    assert [e.action for e in RecordEntry.objects.filter(concern=c).order_by("-seq")[:2]] == ["supervision.review_close", "concern.reopen"]
    drive(network, c, State.SUPERVISION)
    r = services.supervision_rate(actor=network.supervisor, concern=c, rating="satisfied", comment="已修好")
    assert r.round == 1


def test_review_upheld(network, finished, now):
    services.supervision_rate(actor=network.supervisor, concern=finished, rating="dissatisfied", comment="不满意")
    review = Review.objects.get()
    closed = services.supervision_review_close(actor=network.county_commander, review=review, decision=Decision.UPHELD, reason="经核实已按政策办理")
    assert (closed.decision, closed.closed_by, closed.is_open) == ("upheld", network.county_commander, False)
    c = fresh(finished)
    assert (c.state, c.outcome) == (finished.state, finished.outcome)
    assert RecordEntry.objects.get(action="supervision.review_close").payload["upheld"] is True


def test_review_close_refused(network, finished, now):
    services.supervision_rate(actor=network.supervisor, concern=finished, rating="dissatisfied", comment="不满意")
    review = Review.objects.get()
    refused(lambda: services.supervision_review_close(actor=network.village_clerk, review=review, decision="upheld", reason="x"), "review", Forbidden)
    refused(lambda: services.supervision_review_close(actor=network.other_township_staff, review=review, decision="upheld", reason="x"), "review", NotFound)
    refused(lambda: services.supervision_review_close(actor=network.township_staff, review=review, decision="maybe", reason="x"), "decision")
    refused(lambda: services.supervision_review_close(actor=network.township_staff, review=review, decision="upheld", reason=""), "reason")
    # Reopened meanwhile (the villager objected): it can no longer be sent back, only upheld.
    act(cs.concern_rate, actor=network.village_clerk, concern=finished, rating="dissatisfied")
    refused(lambda: services.supervision_review_close(actor=network.township_staff, review=review, decision="rework", reason="x"), "decision")
    services.supervision_review_close(actor=network.township_staff, review=review, decision="upheld", reason="已由村民评价退回")
    refused(lambda: services.supervision_review_close(actor=network.township_staff, review=review, decision="upheld", reason="again"), "review")
