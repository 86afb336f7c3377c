"""Contact cards (亲民卡): contents, the QR code to the public page, embedded font, access."""
from django.test import override_settings
from django.urls import reverse

from .conftest import flat, fonts, pdf_text, qr_texts


def get(client, name, *args, **params):
    return client.get(reverse(f"printing:{name}", args=args), params)


def test_unit_card_is_public_and_says_how_to_reach_the_unit(client, station):
    response = get(client, "unit_card", station.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat(response.content)
    for expected in ("丁村回应站", "城中镇丁村村委楼一层", "周一至周五8:00–12:00、15:00–18:00", "0771-8621234", "亲民卡"):
        assert expected in text
    # A sheet of eight, to cut out; each scans to the unit's public page (one image, drawn
    # eight times: the PDF holds it once).
    assert text.count("城中镇丁村村委楼一层") == 8
    assert qr_texts(response.content) == [f"http://testserver/p/{station.pk}/"]


@override_settings(HUIYING_PUBLIC_URL="https://huiying.example.gov.cn")
def test_the_qr_code_uses_the_configured_public_address(client, station):
    response = get(client, "unit_card", station.pk)
    assert set(qr_texts(response.content)) == {f"https://huiying.example.gov.cn{reverse('board:unit', args=[station.pk])}"}


def test_the_chinese_font_is_embedded_and_the_text_extracts(client, station):
    content = get(client, "unit_card", station.pk).content
    used = fonts(content)
    assert used, "no font found"
    for f in used:
        assert f["subtype"] == "/TrueType" and "WenQuanYiMicroHei" in f["name"]
        assert "/FontFile2" in f["descriptor"], f"{f['name']} is not embedded"
        assert f["unicode"], f"{f['name']} has no ToUnicode map"
    assert "Helvetica" not in str([f["name"] for f in used])
    assert "丁村回应站" in pdf_text(content)


def test_staff_cards_sheet_has_every_member_with_phone_for_colleagues(login, station):
    response = get(login("township_staff"), "staff_cards", station.pk)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    text = flat(response.content)
    for name, phone in (("黎晓梅", "13907710001"), ("农志强", "13907710002"), ("覃秀兰", "13907710003")):
        assert name in text and phone in text
    assert "值班员" in text and "监督员" in text
    assert qr_texts(response.content) == [f"http://testserver/p/{station.pk}/"]


def test_a_supervisor_prints_the_units_phone_instead_of_colleagues_but_their_own(login, station):
    text = flat(get(login("ding_supervisor"), "staff_cards", station.pk).content)
    assert "黎晓梅" in text and "13907710001" not in text and "13907710002" not in text
    assert "0771-8621234" in text  # the station's phone in their place
    assert "13907710003" in text  # their own card shows their own phone


def test_one_staff_members_card(login, station):
    response = get(login("ding_clerk"), "staff_card", station.pk, "ding_clerk2")
    assert response.status_code == 200
    text = flat(response.content)
    assert text.count("农志强") == 8 and "黎晓梅" not in text and "13907710002" in text
    assert get(login("ding_clerk"), "staff_card", station.pk, "village_clerk").status_code == 404  # not of this unit


def test_staff_cards_need_a_sign_in_and_are_not_found_outside_the_county(client, login, station, stranger):
    client.logout()
    response = get(client, "staff_cards", station.pk)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert get(client, "staff_card", station.pk, "ding_clerk").status_code == 302
    client.force_login(stranger)
    assert get(client, "staff_cards", station.pk).status_code == 404
    assert get(client, "staff_card", station.pk, "ding_clerk").status_code == 404
    assert get(client, "unit_card", 999999).status_code == 404


def test_a_unit_without_staff_prints_a_sheet_that_says_so(login, network):
    from huiying.network import services as net
    from huiying.network.models import Level

    empty = net.unit_create(level=Level.VILLAGE, parent=network.township, name="戊村")
    response = get(login("township_staff"), "staff_cards", empty.pk)
    assert response.status_code == 200 and "尚未登记工作人员。" in flat(response.content)


def test_scanning_the_card_opens_the_units_public_page(client, station):
    from urllib.parse import urlsplit

    (scanned,) = qr_texts(get(client, "unit_card", station.pk).content)
    page = client.get(urlsplit(scanned).path)
    assert page.status_code == 200 and "丁村回应站" in page.content.decode()
