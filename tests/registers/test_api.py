"""The registers' API: template, upload (checked, per-row errors), confirm; 401/403/404."""
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huiying.concerns.models import Concern
from huiying.records.models import RecordEntry

from .conftest import GOOD, xlsx


def upload(client, unit, data, name="g.xlsx"):
    return client.post(reverse("api:registers-uploads"), {"unit": unit.pk, "file": SimpleUploadedFile(name, data)}, format="multipart")


def test_template_upload_and_confirm(api, network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    n = network
    t = api("village_clerk").get(reverse("api:registers-template"))
    assert t.status_code == 200 and openpyxl.load_workbook(io.BytesIO(t.content)).sheetnames[0] == "台账"
    r = upload(api("county_commander"), n.township, xlsx(GOOD))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "ready" and body["summary"]["concerns"] == 3 and body["errors"] == []
    assert not Concern.objects.exists()
    assert api("township_staff").post(reverse("api:registers-confirm", args=[body["id"]])).status_code == 404
    c = api("county_commander").post(reverse("api:registers-confirm", args=[body["id"]]))
    assert c.status_code == 200 and c.json()["status"] == "imported"
    assert Concern.objects.count() == 3 and RecordEntry.objects.filter(action="register.import").count() == 4
    assert api("county_commander").post(reverse("api:registers-confirm", args=[body["id"]])).status_code == 400


def test_a_bad_row_is_named(api, network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rows = [dict(r) for r in GOOD]
    rows[3]["日期"] = "去年"
    r = upload(api("county_commander"), network.township, xlsx(rows))
    assert r.status_code == 201 and r.json()["status"] == "invalid"
    assert [(e["row"], e["column"]) for e in r.json()["errors"]] == [(5, "日期")]
    assert api("county_commander").post(reverse("api:registers-confirm", args=[r.json()["id"]])).status_code == 400
    assert not Concern.objects.exists()


def test_refusals(api, network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert upload(api("other_township_staff"), network.township, xlsx(GOOD)).status_code == 403
    assert upload(api("supervisor"), network.village, xlsx(GOOD)).status_code == 403
    assert upload(api(None), network.township, xlsx(GOOD)).status_code == 401
    assert api("county_commander").get(reverse("api:registers-upload", args=[12345])).status_code == 404
    assert api(None).get(reverse("api:registers-template")).status_code == 401
