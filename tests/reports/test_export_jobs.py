"""Large exports run in the background: a job with progress, a page that polls, a download
only for its owner, a clear failure with a retry, old files removed."""
import datetime as dt
import io

import openpyxl
from django.core.management import call_command
from django.urls import reverse

from huiying.core import clock
from huiying.dashboard.selectors import dashboard_tables
from huiying.reports import services
from huiying.reports.models import ExportJob, ExportStatus


def run_worker(monkeypatch):
    # The worker drops connections that are inside a transaction, as a test's is.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, max_tasks=5)


def test_a_large_register_runs_in_the_background_with_progress_and_a_download(world, login, client, settings, monkeypatch, django_capture_on_commit_callbacks):
    n = world
    settings.HUIYING_EXPORT_STREAM_MAX_ROWS = 1
    login("county_commander")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("reports:register"), {})
    job = ExportJob.objects.get()
    assert r["Location"] == reverse("reports:job", args=[job.pk])
    assert job.status == ExportStatus.QUEUED and job.total == 4
    page = client.get(r["Location"])
    assert "排队中" in page.content.decode() and 'hx-trigger="every 2s"' in page.content.decode()
    # HTMX polls the status alone.
    partial = client.get(r["Location"], HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<section id="job-status"')

    run_worker(monkeypatch)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and (job.done, job.total) == (4, 4) and job.percent == 100
    page = client.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in page and reverse("reports:download", args=[job.pk]) in page
    r = client.get(reverse("reports:download", args=[job.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert wb.worksheets[0].max_row == 5

    # Someone else's export is not found, neither its page nor its file.
    login("township_staff")
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_progress_is_saved_while_rows_are_written(world, monkeypatch):
    seen = []
    real = services.workbook.write

    def spy(tables, *, progress=None, every=200):
        def note(k):
            progress(k)
            seen.append(ExportJob.objects.get().done)
        return real(tables, progress=note, every=1)

    monkeypatch.setattr(services.workbook, "write", spy)
    job = services.export_run(services.export_register_create(actor=world.county_commander, params={}))
    assert seen[:4] == [1, 2, 3, 4] and job.status == ExportStatus.DONE


def test_a_failed_job_says_so_in_chinese_and_can_be_retried(world, login, client, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*a, **kw):
        raise OSError("disk full")

    monkeypatch.setattr(services.workbook, "write", broken)
    job = services.export_run(services.export_register_create(actor=world.village_clerk, params={}))
    assert job.status == ExportStatus.FAILED and "disk full" in job.error
    login("village_clerk")
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "导出失败" in page and "重试" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("reports:retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ExportStatus.QUEUED and job.error == ""
    run_worker(monkeypatch)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE


def test_old_files_are_removed_after_the_configured_time(world, settings):
    settings.HUIYING_EXPORT_KEEP_HOURS = 2
    job = services.export_run(services.export_register_create(actor=world.village_clerk, params={}))
    path = services.export_path(job)
    assert path.is_file()
    assert services.export_cleanup(now=clock.now() + dt.timedelta(hours=1)) == 0
    assert services.export_cleanup(now=clock.now() + dt.timedelta(hours=3)) == 1
    job.refresh_from_db()
    assert job.expired and not path.exists() and services.export_path(job) is None


def test_the_dashboard_tables_export_one_sheet_per_table(world):
    n = world
    job = services.export_run(services.export_dashboard_create(actor=n.county_commander, unit=n.county, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31)))
    wb = openpyxl.load_workbook(services.export_path(job))
    tables = dashboard_tables(n.county_commander, n.county, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert len(wb.sheetnames) == len(tables) >= 2
    for ws, table in zip(wb.worksheets, tables):
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == [str(c) for c in table.columns]
        assert [list(r) for r in rows[1:]] == [[str(v) if not isinstance(v, (int, float)) else v for v in r] for r in table.rows]
    header, first = list(wb.worksheets[0].iter_rows(values_only=True))[:2]
    assert dict(zip(header, first))["关切"] == 4
