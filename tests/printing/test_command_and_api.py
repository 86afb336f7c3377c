"""`huiying print …` and GET /api/v1/units/<pk>/print/<kind>: thin over the same printables."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from helpers import register

from .conftest import flat, qr_texts


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("print", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_prints_a_unit_card_by_division_code(tmp_path, station):
    target = tmp_path / "card.pdf"
    out, err = run("card", "--unit", station.code, "-o", str(target), "--base-url", "https://hy.example.cn/")
    assert str(target) in out and err == ""
    assert qr_texts(target.read_bytes()) == [f"https://hy.example.cn/p/{station.pk}/"]
    assert "城中镇丁村村委楼一层" in flat(target.read_bytes())


def test_command_without_a_public_address_warns_and_uses_the_local_one(tmp_path, station):
    target = tmp_path / "cards.pdf"
    out, err = run("cards", "--unit", str(station.pk), "-o", str(target))
    assert "HUIYING_PUBLIC_URL" in err and "http://127.0.0.1:8000" in err
    assert qr_texts(target.read_bytes()) == [f"http://127.0.0.1:8000/p/{station.pk}/"]
    text = flat(target.read_bytes())
    assert "黎晓梅" in text and "13907710001" in text  # the operator prints phones


@override_settings(HUIYING_PUBLIC_URL="https://huiying.example.gov.cn")
def test_command_staff_card_roster_workflow(tmp_path, station, now):
    run("card", "--unit", str(station.pk), "--staff", "ding_clerk", "-o", str(tmp_path / "c.pdf"))
    assert flat((tmp_path / "c.pdf").read_bytes()).count("黎晓梅") == 8
    assert qr_texts((tmp_path / "c.pdf").read_bytes()) == [f"https://huiying.example.gov.cn/p/{station.pk}/"]
    run("roster", "--unit", str(station.pk), "--month", "2026-02", "-o", str(tmp_path / "r.pdf"))
    assert "2026年2月" in flat((tmp_path / "r.pdf").read_bytes()) and "02-28" in flat((tmp_path / "r.pdf").read_bytes())
    run("workflow", "--unit", str(station.pk), "-o", str(tmp_path / "w.pdf"))
    assert "丁村回应站·工作流程图" in flat((tmp_path / "w.pdf").read_bytes())


def test_command_records_as_the_operator_or_as_someone(tmp_path, network, now):
    n = network
    secret = register(n, actor=n.village_clerk, track="confidential", confidential=True, handler=n.village_clerk)
    ordinary = register(n, actor=n.village_clerk)
    run("records", "--unit", str(n.village.pk), "--from", "2026-03-01", "--to", "2026-03-31", "-o", str(tmp_path / "b.pdf"))
    text = flat((tmp_path / "b.pdf").read_bytes())
    assert ordinary.reference in text and secret.reference not in text
    run("records", "--unit", str(n.village.pk), "--as", "village_clerk", "-o", str(tmp_path / "h.pdf"))
    assert secret.reference in flat((tmp_path / "h.pdf").read_bytes())
    with pytest.raises(CommandError, match="^--unit: "):
        run("records", "--unit", str(n.village.pk), "--as", "other_village_clerk", "-o", str(tmp_path / "x.pdf"))


@pytest.mark.parametrize(("args", "named"), [
    (["roster", "--unit", "1", "--month", "2026-13"], "--month"),
    (["records", "--unit", "1", "--from", "yesterday"], "--from"),
    (["records", "--unit", "1", "--from", "2026-03-10", "--to", "2026-03-01"], "--to"),
    (["card", "--unit", "999999"], "--unit"),
    (["card", "--unit", "1", "--staff", "nobody"], "--staff"),
    (["roster", "--unit", "1", "--staff", "village_clerk"], "--staff"),
    (["records", "--unit", "1", "--as", "nobody"], "--as"),
])
def test_command_errors_name_the_argument_and_write_nothing(tmp_path, network, args, named, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = [str(network.village.pk) if a == "1" else a for a in args]
    with pytest.raises(CommandError) as e:
        run(*args, "-o", str(tmp_path / "out.pdf"))
    assert str(e.value).startswith(named + ":") or str(e.value).startswith(named.lstrip("-") + ":")
    assert list(tmp_path.iterdir()) == []


# --- API -------------------------------------------------------------------------------

def url(unit, kind):
    return f"/api/v1/units/{unit.pk}/print/{kind}"


def test_api_public_printables_need_no_credentials(api, network):
    for kind in ("card", "poster", "workflow"):
        response = api(None).get(url(network.village, kind))
        assert response.status_code == 200, kind
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    assert qr_texts(api(None).get(url(network.village, "card")).content) == [f"http://testserver/p/{network.village.pk}/"]


def test_api_staff_printables_401_404_200(api, network, stranger):
    from huiying.api.tokens import api_token_create
    from rest_framework.test import APIClient

    for kind in ("cards", "roster", "records"):
        assert api(None).get(url(network.village, kind)).status_code == 401, kind
        assert api("village_clerk").get(url(network.village, kind)).status_code == 200, kind
    assert api(None).get(url(network.village, "card") + "?staff=village_clerk").status_code == 401
    text = flat(api("village_clerk").get(url(network.village, "card") + "?staff=village_clerk2").content)
    assert text.count("赵值班") == 8
    assert api("other_village_clerk").get(url(network.village, "records")).status_code == 404
    _token, raw = api_token_create(actor=None, user=stranger)
    far = APIClient()
    far.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for kind in ("cards", "roster", "records"):
        assert far.get(url(network.village, kind)).status_code == 404, kind
    assert api(None).get(f"/api/v1/units/999999/print/card").status_code == 404
    assert api(None).get(url(network.village, "nonsense")).status_code == 404


def test_api_bad_input_is_400_naming_the_field(api, network):
    response = api("village_clerk").get(url(network.village, "roster") + "?month=2026-00")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["month"]
    response = api("village_clerk").get(url(network.village, "records") + "?date_from=2026-02-30")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["date_from"]
