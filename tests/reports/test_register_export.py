"""The concern register export: access (a township's export holds only its subtree;
confidential concerns only for who may see them), masking, Chinese labels, real dates."""
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from huiying.core.errors import ServiceError
from huiying.records import book
from huiying.records.models import RecordEntry
from huiying.reports import register, services
from huiying.reports.models import ExportJob, ExportStatus


def export_rows(user, params=None):
    job = services.export_register_create(actor=user, params=params or {})
    job = services.export_run(job)
    assert job.status == ExportStatus.DONE, job.error
    wb = openpyxl.load_workbook(services.export_path(job))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return ws, rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_masking_helpers():
    assert register.mask_name("张小明") == "张*明"
    assert register.mask_name("张明") == "张*"
    assert register.mask_name("欧阳小明") == "欧**明"
    assert register.mask_id_number("450102199001011234") == "4501**********1234"


def test_a_township_export_holds_only_its_subtree_and_masks_what_it_does_not_handle(world):
    n = world
    _ws, header, rows = export_rows(n.township_staff)
    refs = {r["编号"] for r in rows}
    assert refs == {n.mine.reference, n.other.reference}  # not 明江镇's, not the confidential one
    mine = next(r for r in rows if r["编号"] == n.mine.reference)
    # The township center does not handle 甲村's concern: the villager's data is masked.
    assert mine["村民"] == "张*明"
    assert mine["联系电话"] == "138****0001"
    assert mine["身份证号"] == "4501**********1231"
    assert mine["回应功能"] == "化解矛盾纠纷" and mine["处置类别"] == "矛盾纠纷现场调解" and mine["办理状态"] == "已受理登记"
    assert mine["办理结果"] == "待办" and mine["是否超期"] == "否"


def test_the_handler_sees_personal_data_and_their_confidential_concern(world):
    n = world
    ws, header, rows = export_rows(n.village_clerk)
    by_ref = {r["编号"]: r for r in rows}
    assert set(by_ref) == {n.mine.reference, n.secret.reference}
    assert by_ref[n.mine.reference]["村民"] == "张小明"
    assert by_ref[n.mine.reference]["联系电话"] == "13800000001"
    assert by_ref[n.mine.reference]["身份证号"] == "450102199001011231"
    # A real date, a frozen header, Chinese headers.
    assert isinstance(by_ref[n.mine.reference]["受理日期"], dt.datetime)
    assert ws.freeze_panes == "A2"
    assert header[0] == "编号"


def test_the_county_sees_everything_and_filters_narrow_it(world):
    n = world
    _ws, _h, rows = export_rows(n.county_commander)
    assert {r["编号"] for r in rows} == {c.reference for c in (n.mine, n.other, n.far, n.secret)}
    assert {r["村民"] for r in rows if r["编号"] == n.far.reference} == {"欧阳明"}  # the commander acts on every concern
    _ws, _h, rows = export_rows(n.county_commander, {"unit": str(n.other_township.id)})
    assert [r["编号"] for r in rows] == [n.far.reference]
    _ws, _h, rows = export_rows(n.county_commander, {"q": "道路"})
    assert [r["编号"] for r in rows] == [n.other.reference]


def test_a_supervisor_sees_no_personal_data(world):
    n = world
    from helpers import drive
    from huiying.concerns.models import State

    drive(n, n.mine, State.SUPERVISION, actor=n.village_clerk)
    _ws, _h, rows = export_rows(n.supervisor)
    assert [r["编号"] for r in rows] == [n.mine.reference]
    assert rows[0]["村民"] == "张*明" and rows[0]["联系电话"] == "138****0001"


def test_an_outside_unit_filter_is_dropped_never_widened(world):
    n = world
    _ws, _h, rows = export_rows(n.township_staff, {"unit": str(n.far_village.id)})
    assert n.far.reference not in {r["编号"] for r in rows}


def test_each_export_is_on_record_and_bad_filters_change_nothing(world):
    n = world
    before = RecordEntry.objects.count()
    with pytest.raises(ServiceError) as e:
        services.export_register_create(actor=n.township_staff, params={"unit": ["x"]})
    assert e.value.field == "params"
    assert RecordEntry.objects.count() == before and not ExportJob.objects.exists()
    job = services.export_register_create(actor=n.township_staff, params={"state": "registered"})
    entry = RecordEntry.objects.latest("seq")
    assert entry.action == "export.create" and entry.payload["job"] == job.pk and entry.payload["filters"] == {"state": "registered"}
    assert book.verify()[1] == []


def test_the_page_exports_a_small_register_at_once(world, login, client):
    n = world
    login("township_staff")
    page = client.get(reverse("reports:register"), {"q": "道路"})
    assert page.status_code == 200 and "1" in page.content.decode()
    r = client.post(reverse("reports:register"), {"q": "道路"})
    assert r.status_code == 302
    r = client.get(r["Location"])
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    refs = [row[0] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert refs == [n.other.reference]


def test_the_command_writes_the_register_as_the_user_sees_it(world, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    n = world
    out = tmp_path / "r.xlsx"
    call_command("export", "register", user="township_staff", unit=n.township.code, date_from="2026-03-01", output=str(out))
    refs = {row[0] for row in openpyxl.load_workbook(out).worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert refs == {n.mine.reference, n.other.reference}
    with pytest.raises(CommandError):
        call_command("export", "register", user="township_staff", unit=n.other_township.code, output=str(out))
