"""Reception and registration on one screen, through HTTP: a clerk logs a visit and
registers (or joins) concerns; the HTMX helpers; refusals in Chinese next to the field."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from huiying.concerns import services as cs
from huiying.concerns.models import Concern, State, Villager, Visit
from huiying.concerns.validators import id_check_digit
from huiying.records.models import RecordEntry

from helpers import snapshot

GOOD_ID = "45010219900101123" + id_check_digit("45010219900101123")
BAD_ID = GOOD_ID[:17] + ("1" if GOOD_ID[17] != "1" else "2")




@pytest.fixture
def zxm(network, now):
    """张小明 of 甲一屯, and 张晓梅 of 丙一屯 in another township: both are "zxm"."""
    mine = cs.villager_create(actor=network.village_clerk, name="张小明", hamlet=network.hamlet, phone="13800135678")
    cs.villager_create(actor=network.far_clerk, name="张晓梅", hamlet=network.far_hamlet, phone="13900135678")
    return mine


def block(i, **fields) -> dict:
    data = {"present": "1", "function": "dispute", "summary": "宅基地边界纠纷", "track": "dispute", "risk_level": "low", "seen": "", "join": ""}
    data.update(fields)
    return {f"c{i}-{k}": v for k, v in data.items() if v is not None}


def visit(network, *blocks, **fields) -> dict:
    data = {"unit": network.village.pk, "channel": "visit", "visitor_count": "1", "hamlet": network.hamlet.pk, "op": "save"}
    data.update(fields)
    for b in blocks:
        data.update(b)
    return data


def page_of(response) -> str:
    return response.content.decode()


def field_html(page: str, name: str) -> str:
    """The `.field` wrapper of input `name`: its label, input and errors."""
    start = page.index(f'name="{name}"')
    return page[page.rindex('<div class="field', 0, start):page.index("</div>", start)]


# --- the page -------------------------------------------------------------------------

def test_page_is_chinese_mobile_and_offers_only_the_clerks_units(login, network):
    page = page_of(login("village_clerk").get(reverse("web:reception")))
    assert "接待登记" in page and 'name="viewport"' in page and "https://" not in page
    assert "/static/web/reception.css" in page
    assert "甲村" in page and "甲一屯回应点" in page  # own station and the point below it
    assert "乙村" not in page and "丙村" not in page and "城中镇" not in page.split('id="id_unit"')[1].split("</select>")[0]
    # one concern block is there from the start; the form posts without JavaScript
    assert 'name="c0-present"' in page and 'method="post"' in page and 'value="save"' in page


def test_hamlet_clerk_sees_one_unit_and_its_hamlet_preselected(login, network):
    page = page_of(login("hamlet_clerk").get(reverse("web:reception")))
    assert "甲一屯回应点" in page and 'name="unit" value="%d"' % network.point.pk in page
    assert re.search(r'<option value="%d" selected>' % network.hamlet.pk, page)


@pytest.mark.parametrize("username", ["supervisor", "county_admin"])
def test_who_does_not_register_is_refused_with_a_clear_message(login, network, username):
    client = login(username)
    response = client.get(reverse("web:reception"))
    assert response.status_code == 403 and "不能在此登记" in page_of(response)
    before = snapshot()
    assert client.post(reverse("web:reception"), visit(network, block(0))).status_code == 403
    assert client.get(reverse("web:villager_search"), {"q": "zxm"}).status_code == 403
    assert snapshot() == before


def test_anonymous_is_sent_to_sign_in(client, network):
    response = client.get(reverse("web:reception"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


# --- saving -----------------------------------------------------------------------------

def test_visit_with_two_concerns_gives_two_reference_numbers(login, network, zxm, now):
    client = login("village_clerk")
    data = visit(network, block(0, villagers=[zxm.pk]),
                 block(1, function="agency_service", summary="代办低保申请", track="agency", villagers=[zxm.pk]),
                 visitor_count="2", villagers=[zxm.pk])
    response = client.post(reverse("web:reception"), data)
    assert response.status_code == 302
    v = Visit.objects.get()
    assert v.visitor_count == 2 and list(v.villagers.all()) == [zxm]
    concerns = list(v.concerns.order_by("id"))
    assert [c.track for c in concerns] == ["dispute", "agency"] and all(c.channel == "visit" for c in concerns)
    assert all(list(c.villagers.all()) == [zxm] and c.hamlet == network.hamlet for c in concerns)
    receipt = client.get(response["Location"])
    page = page_of(receipt)
    for c in concerns:
        assert c.reference in page and reverse("web:concern", args=[c.reference]) in page
    assert "已保存" in page and "bigref" in page


def test_a_visit_without_concerns_is_logged(login, network):
    client = login("village_clerk")
    response = client.post(reverse("web:reception"), visit(network, visitor_count="3"))
    assert response.status_code == 302
    v = Visit.objects.get()
    assert v.visitor_count == 3 and not v.concerns.exists()
    assert "没有登记关切" in page_of(client.get(response["Location"]))


def test_a_phone_call_registers_a_concern_without_a_visit(login, network, zxm):
    client = login("village_clerk")
    response = client.post(reverse("web:reception"), visit(network, block(0, villagers=[zxm.pk]), channel="phone", visitor_count=""))
    assert response.status_code == 302
    c = Concern.objects.get()
    assert c.channel == "phone" and c.visit is None and not Visit.objects.exists()
    assert c.reference in page_of(client.get(response["Location"]))


def test_without_a_visit_at_least_one_concern(login, network):
    client = login("village_clerk")
    before = snapshot()
    page = page_of(client.post(reverse("web:reception"), visit(network, channel="online")))
    assert "没有来访时，至少登记一条关切" in page and snapshot() == before


def test_a_policy_question_answered_on_the_spot_is_closed(login, network):
    client = login("village_clerk")
    data = visit(network, block(0, function="suggestion", summary="咨询医保报销比例", track="policy", answer="按县医保政策，住院报销百分之七十。"))
    assert client.post(reverse("web:reception"), data).status_code == 302
    c = Concern.objects.get()
    assert c.state == State.CLOSED and c.outcome == "resolved" and "百分之七十" in c.result


def test_a_blank_track_takes_the_suggested_one(login, network):
    """Without JavaScript nothing preselects the track: the suggestion is used."""
    client = login("village_clerk")
    data = visit(network, block(0, function="agency_service", summary="咨询低保政策", track=None))
    assert client.post(reverse("web:reception"), data).status_code == 302
    assert Concern.objects.get().track == "policy"


# --- bad input: the error next to the field, what was typed kept, nothing written --------

def test_empty_summary_is_refused_next_to_the_field(login, network):
    client = login("village_clerk")
    before = snapshot()
    data = visit(network, block(0, summary="   ", details="水渠被堵，三户人家受影响"), visitor_count="4")
    response = client.post(reverse("web:reception"), data)
    page = page_of(response)
    assert response.status_code == 200 and snapshot() == before
    assert "此项必填" in field_html(page, "c0-summary")
    assert "水渠被堵，三户人家受影响" in page and 'value="4"' in field_html(page, "visitor_count")
    assert re.search(r'name="c0-function" value="dispute"[^>]*checked', page)


def test_the_error_of_the_second_concern_goes_to_the_second_block(login, network):
    client = login("village_clerk")
    before = snapshot()
    page = page_of(client.post(reverse("web:reception"), visit(network, block(0), block(1, summary=""))))
    assert snapshot() == before
    assert "此项必填" in field_html(page, "c1-summary") and "此项必填" not in field_html(page, "c0-summary")


def test_zero_visitors_is_refused_next_to_the_count(login, network):
    client = login("village_clerk")
    before = snapshot()
    page = page_of(client.post(reverse("web:reception"), visit(network, block(0, summary="路灯坏了"), visitor_count="0")))
    assert snapshot() == before
    assert "来访人数至少为 1" in field_html(page, "visitor_count") and 'value="路灯坏了"' in page


def test_a_function_is_needed(login, network):
    client = login("village_clerk")
    before = snapshot()
    page = page_of(client.post(reverse("web:reception"), visit(network, block(0, function=None))))
    assert snapshot() == before and "请选择关切属于哪项功能" in page


def test_a_unit_outside_the_clerks_network_is_refused(login, network):
    client = login("village_clerk")
    before = snapshot()
    page = page_of(client.post(reverse("web:reception"), visit(network, block(0), unit=network.far_village.pk)))
    assert snapshot() == before and "has-error" in field_html(page, "unit")


# --- villagers: search, pick, add -------------------------------------------------------

def test_pinyin_initials_and_phone_find_the_villager(login, network, zxm):
    client = login("village_clerk")
    for q in ("zxm", "ZX", "5678", "张小", "13800135678"):
        page = page_of(client.get(reverse("web:villager_search"), {"q": q}))
        assert "张小明" in page and f'"pick": "{zxm.pk}"' in page, q
        assert "138****5678" in page and "13800135678" not in page  # the phone is masked
    assert "未找到村民" in page_of(client.get(reverse("web:villager_search"), {"q": "wxy"}))


def test_search_is_limited_to_the_users_part_of_the_network(login, network, zxm):
    assert "张晓梅" not in page_of(login("village_clerk").get(reverse("web:villager_search"), {"q": "zxm"}))
    assert "张小明" not in page_of(login("far_clerk").get(reverse("web:villager_search"), {"q": "zxm"}))
    assert "张小明" not in page_of(login("other_village_clerk").get(reverse("web:villager_search"), {"q": "13800135678"}))
    county = page_of(login("county_commander").get(reverse("web:villager_search"), {"q": "zxm"}))
    assert "张小明" in county and "张晓梅" in county
    # Nor can a villager from elsewhere be picked or saved with a visit.
    far = Villager.objects.get(name="张晓梅")
    client = login("village_clerk")
    assert client.get(reverse("web:villager_pick"), {"pick": far.pk}).status_code == 404
    before = snapshot()
    client.post(reverse("web:reception"), visit(network, villagers=[far.pk]))
    assert snapshot() == before


def test_picking_a_villager_adds_a_chip_and_ticks_every_block(login, network, zxm):
    client = login("village_clerk")
    response = client.get(reverse("web:villager_pick"), {"pick": zxm.pk, "c0-present": "1", "c2-present": "1", "visitor_count": "1"})
    page = page_of(response)
    assert f'name="villagers" value="{zxm.pk}"' in page
    assert 'hx-swap-oob="beforeend:#c0-vl"' in page and 'hx-swap-oob="beforeend:#c2-vl"' in page


def test_a_new_villager_is_registered_inline_and_added(login, network, now):
    client = login("village_clerk")
    data = {"nv-name": "韦阿婆", "nv-phone": "", "nv-id_number": GOOD_ID, "nv-hamlet": "", "hamlet": network.hamlet2.pk, "c0-present": "1", "visitor_count": "1"}
    response = client.post(reverse("web:villager_new"), data, headers={"HX-Request": "true"})
    v = Villager.objects.get(name="韦阿婆")
    page = page_of(response)
    assert v.initials == "wap" and v.hamlet == network.hamlet2  # the visit's hamlet by default
    assert f'name="villagers" value="{v.pk}"' in page and 'hx-swap-oob="beforeend:#c0-vl"' in page
    assert RecordEntry.objects.filter(action="villager.register").count() == 1


def test_a_bad_id_number_on_a_new_villager_is_refused_next_to_it(login, network):
    client = login("village_clerk")
    before = snapshot()
    data = {"nv-name": "韦阿婆", "nv-id_number": BAD_ID, "nv-hamlet": network.hamlet.pk, "c0-present": "1"}
    response = client.post(reverse("web:villager_new"), data, headers={"HX-Request": "true"})
    page = page_of(response)
    assert snapshot() == before
    assert response["HX-Retarget"] == "#new-villager" and "校验位" in field_html(page, "nv-id_number")
    assert 'value="韦阿婆"' in page and BAD_ID in page
    # The same without JavaScript: the whole page comes back with everything typed kept.
    page = page_of(client.post(reverse("web:reception"), visit(network, block(0, summary="修路"), op="add_villager", **{"nv-name": "韦阿婆", "nv-id_number": BAD_ID})))
    assert snapshot() == before
    assert "校验位" in field_html(page, "nv-id_number") and 'value="修路"' in page and "<details class=\"nv-box\" open" in page


# --- without JavaScript: every small edit is a round trip --------------------------------

def test_without_javascript_search_pick_add_and_remove(login, network, zxm):
    client = login("village_clerk")
    url = reverse("web:reception")
    page = page_of(client.post(url, visit(network, block(0, summary="修路"), op="search", q="zxm")))
    assert f'value="pick:{zxm.pk}"' in page and 'value="修路"' in page
    page = page_of(client.post(url, visit(network, block(0, summary="修路"), op=f"pick:{zxm.pk}", q="zxm")))
    assert f'name="villagers" value="{zxm.pk}"' in page
    assert re.search(rf'name="c0-villagers" value="{zxm.pk}" checked', page)
    page = page_of(client.post(url, visit(network, block(0, summary="修路"), op="add_concern", villagers=[zxm.pk], **{"c0-villagers": [zxm.pk]})))
    assert 'name="c1-present"' in page and re.search(rf'name="c1-villagers" value="{zxm.pk}" checked', page)
    page = page_of(client.post(url, visit(network, block(0, summary="修路"), block(1), op="remove:0")))
    assert 'name="c0-present"' not in page and 'name="c1-present"' in page
    page = page_of(client.post(url, visit(network, block(0), op=f"unpick:{zxm.pk}", villagers=[zxm.pk])))
    assert f'name="villagers" value="{zxm.pk}"' not in page
    page = page_of(client.post(url, visit(network, op="add_villager", **{"nv-name": "蒙阿公", "nv-hamlet": network.hamlet.pk})))
    v = Villager.objects.get(name="蒙阿公")
    assert f'name="villagers" value="{v.pk}"' in page and 'value="蒙阿公"' not in page
    assert not Visit.objects.exists() and not Concern.objects.exists()


def test_htmx_adds_a_concern_block(login, network, zxm):
    page = page_of(login("village_clerk").get(reverse("web:reception_block"), {"i": "3", "villagers": [zxm.pk]}))
    assert 'name="c3-present"' in page and re.search(rf'name="c3-villagers" value="{zxm.pk}" checked', page)
    assert 'id="add-concern" class="add" hx-swap-oob="true"' in page and '"i": "4"' in page


# --- the suggested track ------------------------------------------------------------------

def test_the_track_is_suggested_from_function_and_words(login, network):
    client = login("village_clerk")
    url = reverse("web:suggest_track")
    page = page_of(client.get(url, {"i": "0", "c0-function": "agency_service", "c0-summary": "代办残疾证"}))
    assert re.search(r'<label class="opt suggested"><input type="radio" name="c0-track" value="agency" checked>', page)
    assert "建议" in page
    page = page_of(client.get(url, {"i": "0", "c0-function": "agency_service", "c0-summary": "咨询低保政策", "c0-track": "agency", "c0-suggested": "agency"}))
    assert re.search(r'value="policy" checked', page) and "咨询" in page  # a new suggestion replaces the old one
    page = page_of(client.get(url, {"i": "0", "c0-function": "dispute", "c0-summary": "家暴", "c0-track": "dispute", "c0-suggested": "dispute"}))
    assert re.search(r'value="confidential" checked', page)
    page = page_of(client.get(url, {"i": "0", "c0-function": "dispute", "c0-summary": "咨询", "c0-track": "agency", "c0-suggested": "dispute"}))
    assert re.search(r'value="agency" checked', page)  # the clerk's own choice stays


# --- similar open concerns and joining ----------------------------------------------------

@pytest.fixture
def ditch(network, now, zxm):
    """An open collective concern from 甲一屯."""
    return cs.concern_register(actor=network.village_clerk, unit=network.village, function="dispute", channel="phone",
                               summary="水渠堵塞影响灌溉", track="dispute", hamlet=network.hamlet, villagers=[zxm])


def test_similar_open_concerns_of_the_hamlet_are_shown(login, network, ditch):
    client = login("village_clerk")
    page = page_of(client.get(reverse("web:similar"), {"i": "0", "hamlet": network.hamlet.pk, "c0-summary": "水渠又堵了"}))
    assert ditch.reference in page and f'value="{ditch.pk}:{ditch.version}"' in page and "登记为新关切" in page
    assert f'name="c0-seen" value="{ditch.pk}"' in page
    assert ditch.reference not in page_of(client.get(reverse("web:similar"), {"i": "0", "hamlet": network.hamlet2.pk, "c0-summary": "水渠又堵了"}))
    assert ditch.reference not in page_of(client.get(reverse("web:similar"), {"i": "0", "hamlet": network.hamlet.pk, "c0-summary": "路灯坏了"}))
    # on the page itself too, before a summary is typed (all open concerns of the hamlet)
    assert ditch.reference in page_of(client.post(reverse("web:reception"), visit(network, block(0, summary=""), op="refresh")))


def test_saving_next_to_an_unseen_similar_concern_asks_first(login, network, ditch):
    client = login("village_clerk")
    before = snapshot()
    page = page_of(client.post(reverse("web:reception"), visit(network, block(0, summary="水渠又堵了"))))
    assert snapshot() == before and ditch.reference in page and "相似的未办结关切" in page
    response = client.post(reverse("web:reception"), visit(network, block(0, summary="水渠又堵了", seen=str(ditch.pk))))
    assert response.status_code == 302 and Concern.objects.count() == 2


def test_joining_adds_the_villagers_to_the_open_concern(login, network, ditch, now):
    client = login("village_clerk")
    other = cs.villager_create(actor=network.village_clerk, name="李大伯", hamlet=network.hamlet)
    data = visit(network, block(0, summary="水渠又堵了", join=f"{ditch.pk}:{ditch.version}", seen=str(ditch.pk), villagers=[other.pk]),
                 villagers=[other.pk])
    response = client.post(reverse("web:reception"), data)
    assert response.status_code == 302
    ditch.refresh_from_db()
    assert Concern.objects.count() == 1 and set(ditch.villagers.all()) == {other, Villager.objects.get(name="张小明")}
    entry = RecordEntry.objects.get(action="concern.join")
    assert entry.concern_id == ditch.pk and entry.visit == Visit.objects.get() and entry.payload["villagers"] == [other.pk]
    assert ditch.version == 2
    page = page_of(client.get(response["Location"]))
    assert ditch.reference in page and "已加入的关切" in page


def test_joining_a_concern_changed_meanwhile_is_refused_at_the_choice(login, network, ditch):
    client = login("village_clerk")
    stale = f"{ditch.pk}:{ditch.version}"
    cs.concern_assign(actor=network.village_clerk, concern=ditch, version=ditch.version, handler=network.village_clerk2)
    before = snapshot()
    page = page_of(client.post(reverse("web:reception"), visit(network, block(0, join=stale, seen=str(ditch.pk)), villagers=[])))
    assert snapshot() == before and "被他人修改" in page


# --- CSRF ---------------------------------------------------------------------------------

def test_csrf_is_enforced_for_htmx_posts(login, network):
    strict = login("village_clerk", Client(enforce_csrf_checks=True), password=True)
    data = {"nv-name": "韦阿婆", "nv-hamlet": network.hamlet.pk}
    assert strict.post(reverse("web:villager_new"), data, headers={"HX-Request": "true"}).status_code == 403
    assert strict.post(reverse("web:reception"), visit(network)).status_code == 403
    assert not Villager.objects.exists() and not Visit.objects.exists()
    page = page_of(strict.get(reverse("web:reception")))
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = strict.post(reverse("web:villager_new"), data, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200 and Villager.objects.filter(name="韦阿婆").exists()
