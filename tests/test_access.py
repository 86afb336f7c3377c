"""Who sees which concerns (huiying.access): the four levels, departments, supervisors and
the confidential rule."""
import pytest
from django.contrib.auth.models import AnonymousUser

from huiying import access
from huiying.concerns import services as cs
from huiying.concerns.models import Concern, State
from huiying.core.errors import Forbidden, NotFound
from huiying.network import services as net
from huiying.network.models import Role

from helpers import act, drive, fresh, register


def seen(user) -> set[str]:
    return set(access.visible_concerns(user).values_list("summary", flat=True))


@pytest.fixture
def concerns(network, now):
    """One concern per place, named by where it was received, plus finished and confidential ones."""
    n = network
    c = {
        "village": register(n, actor=n.village_clerk, unit=n.village, summary="village"),
        "point": register(n, actor=n.hamlet_clerk, unit=n.point, summary="point"),
        "other_village": register(n, actor=n.other_village_clerk, unit=n.other_village, summary="other_village"),
        "township": register(n, actor=n.township_staff, unit=n.township, summary="township"),
        "far_village": register(n, actor=n.far_clerk, unit=n.far_village, summary="far_village"),
        "county": register(n, actor=n.county_commander, unit=n.county, summary="county"),
        "secret": register(n, actor=n.village_clerk, unit=n.village, track="confidential", summary="secret"),
    }
    c["finished"] = drive(n, register(n, actor=n.village_clerk, unit=n.village, summary="finished"), State.SUPERVISION, actor=n.village_clerk)
    c["posted"] = drive(n, register(n, actor=n.village_clerk, unit=n.point, summary="posted"), State.POSTED, actor=n.county_commander)
    c["closed"] = drive(n, register(n, actor=n.village_clerk, unit=n.village, summary="closed"), State.CLOSED, actor=n.village_clerk)
    c["finished_elsewhere"] = drive(n, register(n, actor=n.other_village_clerk, unit=n.other_village, summary="finished_elsewhere"), State.SUPERVISION, actor=n.other_village_clerk)
    c["secret_finished"] = drive(n, register(n, actor=n.village_clerk, unit=n.village, track="confidential", summary="secret_finished"), State.SUPERVISION, actor=n.village_clerk)
    return c


ALL = {"village", "point", "other_village", "township", "far_village", "county", "secret", "finished", "posted", "closed", "finished_elsewhere", "secret_finished"}


def test_the_county_hq_sees_everything_including_confidential(network, concerns):
    n = network
    for user in (n.county_commander, n.county_admin):
        assert seen(user) == ALL
        assert access.visible_concerns(user).count() == len(ALL)
        assert access.concern_get(user, pk=concerns["secret"].pk) == concerns["secret"]


def test_township_staff_see_their_subtree_only(network, concerns):
    n = network
    assert seen(n.township_staff) == {"village", "point", "other_village", "township", "finished", "posted", "closed", "finished_elsewhere"}
    assert seen(n.other_township_staff) == {"far_village"}
    with pytest.raises(NotFound):
        access.concern_get(n.other_township_staff, pk=concerns["village"].pk)


def test_village_and_hamlet_clerks_see_their_subtree_only(network, concerns):
    n = network
    own = {"village", "point", "finished", "posted", "closed"}
    # The registrar handles the confidential ones they registered; their colleague does not.
    assert seen(n.village_clerk) == own | {"secret", "secret_finished"}
    assert seen(n.village_clerk2) == own
    assert seen(n.other_village_clerk) == {"other_village", "finished_elsewhere"}
    assert seen(n.hamlet_clerk) == {"point", "posted"}
    assert seen(n.far_clerk) == {"far_village"}


def test_a_village_keeps_seeing_what_it_sent_up_and_sees_what_is_sent_to_it(network, concerns):
    n = network
    up = act(cs.concern_escalate, actor=n.village_clerk, concern=concerns["village"], to_unit=n.township, reason="超出权限")
    assert up.handling_unit == n.township
    assert "village" in seen(n.village_clerk)  # received in its subtree
    # ... but it is no longer the village's to act on.
    assert access.allowed_actions(n.village_clerk, up) == []
    with pytest.raises(Forbidden):
        act(cs.concern_extend, actor=n.village_clerk, concern=up, days=1, reason="x")
    # A concern transferred in from the neighbouring village is seen by both villages.
    act(cs.concern_transfer, actor=n.other_village_clerk, concern=concerns["other_village"], to_unit=n.village, reason="属甲村")
    assert "other_village" in seen(n.village_clerk)
    assert "other_village" in seen(n.other_village_clerk)
    # One from the other township too, which its own township keeps seeing.
    act(cs.concern_transfer, actor=n.far_clerk, concern=concerns["far_village"], to_unit=n.village, reason="属甲村")
    assert "far_village" in seen(n.village_clerk) and "far_village" in seen(n.township_staff)
    assert "far_village" in seen(n.other_township_staff)
    assert "far_village" not in seen(n.other_village_clerk)


def test_a_department_sees_what_was_dispatched_to_it_even_after_it_moved_on(network, concerns):
    n = network
    assert seen(n.dept_liaison) == set()
    c = act(cs.concern_escalate, actor=n.township_staff, concern=concerns["township"], to_unit=n.department, reason="需民政局处理")
    assert seen(n.dept_liaison) == {"township"}
    assert {t.action for t in access.allowed_actions(n.dept_liaison, c)} == {"book_appointment", "transfer", "extend", "close_unresolved"}
    # The commander moves it on to the other township: the department still sees it (it
    # was dispatched there) but no longer acts on it.
    c = act(cs.concern_transfer, actor=n.county_commander, concern=c, to_unit=n.other_township, reason="改由明江镇办理")
    assert seen(n.dept_liaison) == {"township"}
    assert access.allowed_actions(n.dept_liaison, c) == []
    assert seen(n.other_township_staff) == {"far_village", "township"}


def test_a_department_sees_what_it_handles(network, concerns):
    n = network
    c = act(cs.concern_transfer, actor=n.county_commander, concern=concerns["county"], to_unit=n.department, reason="民政事项")
    assert seen(n.dept_liaison) == {"county"}
    assert "assign" in {t.action for t in access.allowed_actions(n.dept_liaison, c)}


def test_supervisors_see_only_finished_non_confidential_concerns_of_their_subtree(network, concerns):
    n = network
    assert seen(n.supervisor) == {"finished", "posted", "closed"}
    with pytest.raises(NotFound):
        access.concern_get(n.supervisor, pk=concerns["village"].pk)
    with pytest.raises(NotFound):
        access.concern_get(n.supervisor, pk=concerns["secret_finished"].pk)
    # Once the open concern is finished the supervisor sees it; reopened, it is hidden again.
    c = drive(network, concerns["village"], State.SUPERVISION, actor=n.village_clerk)
    assert "village" in seen(n.supervisor)
    act(cs.concern_rate, actor=n.village_clerk, concern=c, rating="dissatisfied")
    assert "village" not in seen(n.supervisor)


def test_a_township_supervisor_sees_the_townships_finished_concerns(network, concerns):
    n = network
    sup = net.staff_create(username="township_supervisor", full_name="人大代表", unit=n.township, role=Role.SUPERVISOR)
    assert seen(sup) == {"finished", "posted", "closed", "finished_elsewhere"}


def test_confidential_is_invisible_to_everyone_but_its_handlers_and_the_county_hq(network, concerns):
    n = network
    secret = concerns["secret"]
    outsiders = [n.village_clerk2, n.hamlet_clerk, n.township_staff, n.supervisor, n.dept_liaison, n.other_township_staff, n.far_clerk]
    for user in outsiders:
        assert "secret" not in seen(user) and "secret_finished" not in seen(user)
        assert not access.visible_concerns(user).filter(confidential=True).exists()
        assert access.visible_concerns(user).filter(pk=secret.pk).count() == 0
        for lookup in ({"pk": secret.pk}, {"reference": secret.reference}):
            with pytest.raises(NotFound):
                access.concern_get(user, **lookup)
        assert access.allowed_actions(user, secret) == []
        with pytest.raises(NotFound):
            act(cs.concern_extend, actor=user, concern=secret, days=1, reason="x")
    # Its handlers: the clerk who registered it, and whoever is assigned to it.
    assert access.concern_get(n.village_clerk, reference=secret.reference) == secret
    act(cs.concern_assign, actor=n.village_clerk, concern=secret, handler=n.village_clerk2)
    assert "secret" in seen(n.village_clerk2)
    assert "secret" in seen(n.county_commander) and "secret" in seen(n.county_admin)
    assert "secret" not in seen(n.hamlet_clerk)


def test_escalating_a_confidential_concern_names_who_sees_it(network, concerns):
    n = network
    colleague = net.staff_create(username="township_staff2", full_name="农中心", unit=n.township, role=Role.CENTER_STAFF)
    secret = concerns["secret"]
    with pytest.raises(Exception) as info:
        act(cs.concern_escalate, actor=n.village_clerk, concern=secret, to_unit=n.township, reason="涉私")
    assert info.value.field == "to_handler"
    assert "secret" not in seen(n.township_staff)
    c = act(cs.concern_escalate, actor=n.village_clerk, concern=secret, to_unit=n.township, reason="涉私", to_handler=n.township_staff)
    assert c.track == "confidential" and c.confidential
    assert "secret" in seen(n.township_staff)
    assert "extend" in {t.action for t in access.allowed_actions(n.township_staff, c)}
    # The named handler's colleague at the same center does not see it.
    assert "secret" not in seen(colleague)
    with pytest.raises(NotFound):
        access.concern_get(colleague, pk=secret.pk)
    # The registering clerk still does; a supervisor never does.
    assert "secret" in seen(n.village_clerk)
    assert "secret" not in seen(n.supervisor)


def test_a_confidential_concern_dispatched_to_a_department(network, now):
    n = network
    secret = register(n, actor=n.township_staff, unit=n.township, track="confidential", summary="dept-secret")
    act(cs.concern_escalate, actor=n.township_staff, concern=secret, to_unit=n.department, reason="涉私", to_handler=n.dept_liaison)
    assert "dept-secret" in seen(n.dept_liaison)
    other_liaison = net.staff_create(username="dept_liaison2", full_name="民政2", unit=n.department, role=Role.LIAISON)
    assert "dept-secret" not in seen(other_liaison)


def test_missing_and_invisible_look_the_same(network, concerns):
    n = network
    with pytest.raises(NotFound) as missing:
        access.concern_get(n.far_clerk, pk=10**9)
    with pytest.raises(NotFound) as hidden:
        access.concern_get(n.far_clerk, pk=concerns["village"].pk)
    assert (missing.value.field, missing.value.code, missing.value.text) == (hidden.value.field, hidden.value.code, hidden.value.text)


def test_strangers_see_nothing(network, concerns):
    n = network
    stranger = net.staff_create(username="nobody", full_name="无", unit=n.village, role=Role.CLERK)
    stranger.memberships.all().delete()
    for user in (None, AnonymousUser(), stranger):
        assert not access.visible_concerns(user).exists()
        assert access.allowed_actions(user, concerns["village"]) == []


def test_a_superuser_sees_everything(network, concerns):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="x")
    assert seen(root) == ALL


def test_unit_access_for_registration(network):
    n = network
    assert access.check_unit_access(n.village_clerk, n.point).unit == n.village
    assert access.check_unit_access(n.county_commander, n.far_village).unit == n.county
    for user, unit in [(n.village_clerk, n.other_village), (n.village_clerk, n.township), (n.hamlet_clerk, n.village), (n.township_staff, n.far_village)]:
        with pytest.raises(Forbidden) as info:
            access.check_unit_access(user, unit)
        assert info.value.field == "unit"


def test_the_concern_objects_from_visible_concerns_are_plain_concerns(network, concerns):
    # Duplicates would inflate lists and counts (several handlers, several escalations).
    n = network
    c = concerns["secret"]
    act(cs.concern_assign, actor=n.village_clerk, concern=c, handler=n.village_clerk2)
    act(cs.concern_assign, actor=n.village_clerk, concern=c, handler=n.village_clerk)
    assert access.visible_concerns(n.village_clerk).filter(pk=c.pk).count() == 1
    assert access.visible_concerns(n.county_commander).count() == Concern.objects.count()
    assert fresh(c).handlers.count() == 2
