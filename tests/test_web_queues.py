"""Queues and search (查询) through HTTP, per role: the subtree, confidentiality in lists,
counts and search, each filter, Chinese keyword search, reference jumps, the escalation,
dispatch and overdue queues, pagination and the HTMX partial."""
import datetime as dt

import pytest
from django.urls import reverse

from huiying.concerns import services as cs
from huiying.concerns.models import Concern, State
from huiying.concerns.search import concern_search, search_terms
from huiying.core import clock

from helpers import a_datetime, act, drive, register

URL = reverse("web:concerns")




@pytest.fixture
def concerns(network, now):
    """A few concerns across the county, one of them confidential (handled by village_clerk)."""
    n = network
    c = {
        "land": register(n, unit=n.village, track="dispute", summary="土地承包合同纠纷", details="两户争一块责任田", channel="phone"),
        "dibao": register(n, unit=n.other_village, track="agency", summary="代办低保申请", channel="online"),
        "road": register(n, unit=n.point, track="time_limited", summary="屯内道路破损", function="suggestion", channel="box"),
        "far": register(n, unit=n.far_village, track="dispute", summary="明江镇的土地边界", channel="phone"),
        "secret": register(n, unit=n.village, track="confidential", summary="举报村干部截留补贴款", handler=n.village_clerk, channel="phone"),
    }
    return c


def listed(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [c.reference for c in response.context["page"].object_list]


def counts(response) -> dict:
    return {t["name"]: t["count"] for t in response.context["tabs"]}


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_the_page_is_a_plain_get_form_that_htmx_enhances(login, concerns):
    page = login("township_staff").get(URL).content.decode()
    assert 'method="get"' in page and 'hx-get="/concerns/"' in page and 'hx-push-url="true"' in page
    assert "<details class=\"filters\"" in page and "查询" in page and 'href="/concerns/"' in page


def test_township_sees_its_subtree_not_the_other_township(login, concerns):
    c = concerns
    mine = listed(login("township_staff").get(URL))
    assert c["land"].reference in mine and c["dibao"].reference in mine and c["road"].reference in mine
    assert c["far"].reference not in mine
    other = listed(login("other_township_staff").get(URL))
    assert other == [c["far"].reference]
    everything = listed(login("county_commander").get(URL))
    assert set(everything) == {x.reference for x in c.values()}


def test_confidential_is_absent_from_lists_counts_and_search_of_non_handlers(login, concerns):
    secret = concerns["secret"]
    for username in ("village_clerk2", "township_staff", "supervisor", "hamlet_clerk", "other_township_staff"):
        client = login(username)
        response = client.get(URL)
        assert secret.reference not in listed(response)
        assert "截留补贴" not in response.content.decode()
        assert counts(response)["all"] == len(listed(response)), username
        found = client.get(URL, {"q": "截留补贴"})
        assert listed(found) == [] and counts(found)["all"] == 0, username
        # Typing its reference neither jumps to it nor confirms it exists.
        by_ref = client.get(URL, {"q": secret.reference})
        assert by_ref.status_code == 200 and listed(by_ref) == []
    township = login("township_staff").get(URL)
    assert counts(township)["all"] == 3  # land, dibao, road — not the secret one
    for username in ("county_commander", "village_clerk"):
        found = login(username).get(URL, {"q": "截留补贴"})
        assert listed(found) == [secret.reference] and counts(found)["all"] == 1
        assert "涉密" in found.content.decode()


def test_search_finds_two_character_words_and_longer_phrases(login, concerns):
    c = concerns
    client = login("county_commander")
    assert set(listed(client.get(URL, {"q": "土地"}))) == {c["land"].reference, c["far"].reference}
    assert listed(client.get(URL, {"q": "低保"})) == [c["dibao"].reference]
    assert listed(client.get(URL, {"q": "土地承包合同"})) == [c["land"].reference]
    assert listed(client.get(URL, {"q": "责任田"})) == [c["land"].reference]  # in the details
    # Every term must appear (AND), whatever separates them.
    for q in ("土地 纠纷", "土地　纠纷", "土地，纠纷", " 纠纷  土地 "):
        assert listed(client.get(URL, {"q": q})) == [c["land"].reference], q
    assert listed(client.get(URL, {"q": "土地 低保"})) == []
    assert listed(client.get(URL, {"q": "100%"})) == []  # LIKE wildcards are escaped
    assert set(listed(client.get(URL, {"q": "cs-2026"}))) == {x.reference for x in c.values()}


def test_search_module_directly_on_this_database(concerns):
    qs = Concern.objects.all()
    assert search_terms(" 土地、纠纷  土地 ") == ["土地", "纠纷"]
    assert concern_search(qs, "").count() == qs.count()
    assert list(concern_search(qs, "地").values_list("summary", flat=True).order_by("id")) == ["土地承包合同纠纷", "明江镇的土地边界"]
    assert concern_search(qs, "低保").get() == concerns["dibao"]
    assert concern_search(qs, "道路 破损").get() == concerns["road"]
    assert concern_search(qs, "_").count() == 0


def test_a_reference_typed_exactly_jumps_to_the_concern(login, concerns):
    land = concerns["land"]
    client = login("township_staff")
    response = client.get(URL, {"q": land.reference.lower()})
    assert response.status_code == 302 and response["Location"] == reverse("web:concern", args=[land.reference])
    htmx = client.get(URL, {"q": land.reference}, HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == reverse("web:concern", args=[land.reference])
    # Another township's reference is not found, not forbidden.
    far = client.get(URL, {"q": concerns["far"].reference})
    assert far.status_code == 200 and listed(far) == []


@pytest.mark.parametrize("params, expected", [
    ({"state": "analysis"}, {"land"}),
    ({"track": "agency"}, {"dibao"}),
    ({"function": "suggestion"}, {"road"}),
    ({"channel": "box"}, {"road"}),
    ({"channel": "online"}, {"dibao"}),
    ({"unit": "village"}, {"land", "road", "secret"}),
    ({"unit": "point"}, {"road"}),
    ({"unit": "other_township"}, {"far"}),
    ({"date_from": "2026-03-01", "date_to": "2026-03-05"}, {"dibao"}),
    ({"date_from": "2026-03-11"}, {"land", "road", "far", "secret"}),
    ({"overdue": "on"}, {"dibao"}),
    ({"state": "registered", "track": "dispute", "unit": "county"}, {"far"}),
])
def test_each_filter_narrows(login, concerns, network, params, expected):
    n = network
    drive(n, concerns["land"], State.ANALYSIS)
    # dibao was received a week ago and is past due on the frozen "today" (2026-03-11).
    Concern.objects.filter(pk=concerns["dibao"].pk).update(received_at=a_datetime(dt.date(2026, 3, 4)), due_date=dt.date(2026, 3, 10))
    if "unit" in params:
        params = {**params, "unit": getattr(n, params["unit"]).pk}
    got = set(listed(login("county_commander").get(URL, params)))
    assert got == {concerns[k].reference for k in expected}


def test_a_unit_outside_ones_part_of_the_network_is_refused_not_widened(login, concerns, network):
    response = login("township_staff").get(URL, {"unit": network.far_village.pk})
    assert concerns["far"].reference not in listed(response)
    assert "unit" in response.context["form"].errors


def test_drill_down_shows_the_selected_units_children_with_counts(login, concerns, network):
    n = network
    response = login("township_staff").get(URL, {"unit": n.township.pk})
    chips = {b["unit"].name: b["count"] for b in response.context["breakdown"]}
    assert chips == {"甲村": 2, "乙村": 1}  # the secret one is not counted
    select = response.context["form"].fields["unit"].widget.choices
    names = [label for _value, label in select]
    assert any("甲村" in x for x in names) and not any("丙村" in x for x in names)


def test_escalations_and_dispatches_to_departments(login, concerns, network, now):
    n = network
    land = concerns["land"]
    act(cs.concern_escalate, actor=n.village_clerk, concern=land, to_unit=n.township, reason="超出村级权限")
    township = login("township_staff").get(URL, {"queue": "incoming"})
    assert listed(township) == [land.reference] and counts(township)["incoming"] == 1
    assert listed(login("village_clerk").get(URL, {"queue": "incoming"})) == []
    assert listed(login("other_township_staff").get(URL, {"queue": "incoming"})) == []
    act(cs.concern_escalate, actor=n.township_staff, concern=land, to_unit=n.department, reason="需民政部门办理")
    for username in ("township_staff", "county_commander"):
        sent = login(username).get(URL, {"queue": "dispatched"})
        assert listed(sent) == [land.reference] and counts(sent)["dispatched"] == 1, username
    assert listed(login("dept_liaison").get(URL, {"queue": "incoming"})) == [land.reference]
    assert counts(login("other_township_staff").get(URL))["dispatched"] == 0
    assert "dispatched" not in counts(login("village_clerk").get(URL))
    assert "incoming" not in counts(login("hamlet_clerk").get(URL))


def test_overdue_queue_climbs_the_subtree(login, concerns, network):
    with clock.frozen(clock.now() + dt.timedelta(days=40)):
        township = login("township_staff").get(URL, {"queue": "overdue"})
        assert set(listed(township)) == {concerns[k].reference for k in ("land", "dibao", "road")}
        assert counts(township)["overdue"] == 3
        assert listed(login("other_township_staff").get(URL, {"queue": "overdue"})) == [concerns["far"].reference]
        assert len(listed(login("county_commander").get(URL, {"queue": "overdue"}))) == 5
        assert "已超期" in township.content.decode()
    assert listed(login("township_staff").get(URL, {"queue": "overdue"})) == []


def test_unit_queue_is_open_concerns_of_my_unit(login, concerns, network):
    drive(network, concerns["road"], State.SUPERVISION)
    assert set(listed(login("village_clerk").get(URL, {"queue": "unit"}))) == {concerns["land"].reference, concerns["secret"].reference}
    assert listed(login("hamlet_clerk").get(URL, {"queue": "unit"})) == []


def test_pagination_newest_first(login, network, now, monkeypatch):
    from huiying.web.views import queues as view

    monkeypatch.setattr(view, "PER_PAGE", 3)
    made = [register(network, unit=network.village, summary=f"第{i}件", received_at=now - dt.timedelta(hours=i)) for i in range(7)]
    client = login("village_clerk")
    first = client.get(URL)
    assert listed(first) == [c.reference for c in made[:3]]
    assert first.context["page"].paginator.num_pages == 3 and counts(first)["all"] == 7
    assert listed(client.get(URL, {"page": 3})) == [made[6].reference]
    assert listed(client.get(URL, {"page": "nonsense"})) == [c.reference for c in made[:3]]
    assert 'rel="next"' in first.content.decode()


def test_htmx_gets_the_results_partial_with_the_form_state_out_of_band(login, concerns, network):
    client = login("township_staff")
    response = client.get(URL, {"queue": "overdue", "unit": network.village.pk}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'class="tabs"' in body
    assert 'id="id_queue" value="overdue" hx-swap-oob="true"' in body and 'id="id_unit" hx-swap-oob="true"' in body
    assert "HX-Request" in response["Vary"]
    restore = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()
