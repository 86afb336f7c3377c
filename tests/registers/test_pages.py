"""The staff pages: template download, upload with the per-row error report in Chinese,
confirmation that imports all rows."""
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huiying.concerns.models import Concern
from huiying.registers.models import RegisterUpload, UploadStatus

from .conftest import GOOD, xlsx


def test_the_template_has_chinese_headers_an_example_and_notes(network, login, client):
    login("village_clerk")
    r = client.get(reverse("registers:template"))
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["台账", "填写说明"]
    header, example = list(wb["台账"].iter_rows(values_only=True))[:2]
    assert header[0] == "日期 *" and "事由" in header and "办理结果" in header
    assert str(example[0]).startswith("示例")
    notes = [row for row in wb["填写说明"].iter_rows(values_only=True)]
    assert any(row[0] == "处置类别" and "矛盾纠纷现场调解" in (row[3] or "") for row in notes)


def test_the_filled_in_template_imports(network, login, client, now, tmp_path, settings):
    """The template itself, its example row kept and one real row added, goes through."""
    settings.MEDIA_ROOT = tmp_path
    login("village_clerk")
    wb = openpyxl.load_workbook(io.BytesIO(client.get(reverse("registers:template")).content))
    ws = wb["台账"]
    header = [c.value for c in ws[1]]
    row = {"日期 *": "2025-07-01", "屯": "甲二屯", "村民姓名": "李四", "回应功能": "疏导公众情绪", "处置类别": "限时解决集中公示", "事由": "噪音扰民"}
    ws.append([row.get(h, "") for h in header])
    out = io.BytesIO()
    wb.save(out)
    r = client.post(reverse("registers:index"), {"unit": network.village.pk, "file": SimpleUploadedFile("t.xlsx", out.getvalue())})
    upload = RegisterUpload.objects.get()
    assert upload.status == UploadStatus.READY, upload.errors
    client.post(reverse("registers:confirm", args=[upload.pk]))
    assert Concern.objects.get().summary == "噪音扰民"


def test_upload_shows_every_error_in_chinese_and_imports_nothing(network, login, client, now, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    rows = [dict(r) for r in GOOD]
    rows[1]["回应功能"] = ""
    login("county_commander")
    r = client.post(reverse("registers:index"), {"unit": network.township.pk, "file": SimpleUploadedFile("b.xlsx", xlsx(rows))})
    upload = RegisterUpload.objects.get()
    assert r["Location"] == reverse("registers:upload", args=[upload.pk])
    page = client.get(r["Location"]).content.decode()
    assert "未导入任何数据" in page and "<td>3</td><td style=\"white-space:nowrap\">回应功能</td>" in page and "登记关切时必填" in page
    assert client.post(reverse("registers:confirm", args=[upload.pk])).status_code == 302
    assert not Concern.objects.exists()


def test_upload_then_confirm_imports_once_and_only_for_its_owner(network, login, client, now, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    login("county_commander")
    client.post(reverse("registers:index"), {"unit": network.township.pk, "file": SimpleUploadedFile("g.xlsx", xlsx(GOOD))})
    upload = RegisterUpload.objects.get()
    assert upload.status == UploadStatus.READY and upload.summary["concerns"] == 3
    assert not Concern.objects.exists()  # checked, not yet imported
    login("township_staff")
    assert client.post(reverse("registers:confirm", args=[upload.pk])).status_code == 404
    login("county_commander")
    client.post(reverse("registers:confirm", args=[upload.pk]))
    assert Concern.objects.count() == 3
    upload.refresh_from_db()
    assert upload.status == UploadStatus.IMPORTED and upload.file == ""
    client.post(reverse("registers:confirm", args=[upload.pk]))
    assert Concern.objects.count() == 3  # not twice


def test_the_unit_choice_is_limited_to_the_users_units(network, login, client):
    login("township_staff")
    page = client.get(reverse("registers:index")).content.decode()
    assert "城中镇" in page and "明江镇" not in page
    r = client.post(reverse("registers:index"), {"unit": network.other_township.pk, "file": SimpleUploadedFile("g.xlsx", xlsx(GOOD))})
    assert r.status_code == 200 and not RegisterUpload.objects.exists()
