"""The exports' API: create (201), status, download for the owner only (404 for anyone
else), 401 without credentials, 403 outside one's part of the network; the monthly PDF."""
import io

import openpyxl
from django.urls import reverse
from pypdf import PdfReader


def test_export_create_status_and_download(api, world):
    n = world
    r = api("township_staff").post(reverse("api:reports-exports"), {"what": "register", "filters": {"q": "道路"}}, format="json")
    assert r.status_code == 201, r.content
    job = r.json()
    assert job["status"] == "done" and job["total"] == 1 and job["download"]
    status = api("township_staff").get(reverse("api:reports-export", args=[job["id"]]))
    assert status.status_code == 200 and status.json()["percent"] == 100
    f = api("township_staff").get(job["download"])
    assert f.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(f.streaming_content)))
    assert [row[0] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)] == [n.other.reference]
    # Not the township's neighbour's, nor anyone else's.
    assert api("other_township_staff").get(reverse("api:reports-export", args=[job["id"]])).status_code == 404
    assert api("county_commander").get(job["download"]).status_code == 404
    assert api(None).get(reverse("api:reports-export", args=[job["id"]])).status_code == 401
    assert api(None).post(reverse("api:reports-exports"), {"what": "register"}, format="json").status_code == 401


def test_a_large_export_is_queued(api, world, settings):
    settings.HUIYING_EXPORT_STREAM_MAX_ROWS = 0
    r = api("county_commander").post(reverse("api:reports-exports"), {"what": "register"}, format="json")
    assert r.status_code == 201 and r.json()["status"] == "queued" and r.json()["download"] is None


def test_dashboard_export_refuses_units_outside_and_bad_input(api, world):
    n = world
    body = {"what": "dashboard", "unit": n.other_township.pk, "date_from": "2026-01-01", "date_to": "2026-12-31"}
    assert api("township_staff").post(reverse("api:reports-exports"), body, format="json").status_code == 403
    r = api("township_staff").post(reverse("api:reports-exports"), {**body, "unit": n.township.pk}, format="json")
    assert r.status_code == 201 and r.json()["status"] == "done"
    assert api("township_staff").post(reverse("api:reports-exports"), {"what": "dashboard"}, format="json").status_code == 400
    assert api("township_staff").post(reverse("api:reports-exports"), {**body, "unit": 999999}, format="json").status_code == 404


def test_monthly_pdf(api, world):
    n = world
    r = api("county_commander").get(reverse("api:reports-monthly"), {"unit": n.county.pk, "month": "2026-03"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "测试县" in PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    assert api("township_staff").get(reverse("api:reports-monthly"), {"unit": n.other_township.pk, "month": "2026-03"}).status_code == 403
    assert api("township_staff").get(reverse("api:reports-monthly"), {"unit": n.township.pk, "month": "März"}).status_code == 400
    assert api("township_staff").get(reverse("api:reports-monthly"), {"unit": 999999, "month": "2026-03"}).status_code == 404
    assert api(None).get(reverse("api:reports-monthly"), {"unit": n.county.pk, "month": "2026-03"}).status_code == 401
