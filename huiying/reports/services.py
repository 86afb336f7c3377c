"""Exports (导出): jobs that write a workbook, in the request when small, else in the
background (`tasks.export_run`), with progress; and the removal of old files.

Every export is an `ExportJob`, also a small one written at once, so each export of
personal data is on record (the record book's `export.create`, naming what was asked for).
"""
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Unit
from huiying.records import book

from . import dashboard_export, register, workbook
from .models import ExportJob, ExportKind, ExportStatus

EXPORT_DIR = "exports"


def _county_of(user, unit: Unit | None = None) -> int | None:
    if unit is not None:
        return unit.county_id
    roots = access.unit_roots(user)
    return roots[0].county_id if roots else None


def _record(job: ExportJob, *, action: str, unit: Unit | None = None, payload: dict | None = None) -> None:
    county = _county_of(job.owner, unit)
    if county is None:
        return  # a superuser outside every county: there is no county book to write in
    book.append(county_id=county, action=action, actor=job.owner, unit_id=unit.id if unit else None,
                payload={"job": job.pk, "kind": job.kind, **(payload or {})})


def _check_user(actor) -> None:
    if actor is None or not actor.is_authenticated or not (actor.is_superuser or access.memberships(actor)):
        raise ServiceError("owner", _("Only staff of the network may export."), code="forbidden")


def _check_params(params) -> dict:
    if not isinstance(params, dict) or not all(isinstance(k, str) and isinstance(v, (str, int)) for k, v in params.items()):
        raise ServiceError("params", _("The filters must be names with text values."))
    return {k: str(v) for k, v in params.items()}


@transaction.atomic
def export_register_create(*, actor, params: dict, now: dt.datetime | None = None) -> ExportJob:
    """A job for the concern register narrowed by the queue page's filters (`params`: its
    query parameters). Queued for the worker; see `export_should_stream` for small ones."""
    _check_user(actor)
    params = _check_params(params)
    job = ExportJob.objects.create(owner=actor, kind=ExportKind.REGISTER, params=params, created_at=now or clock.now(),
                                   total=register.register_for(actor, params).count())
    _record(job, action="export.create", payload={"filters": params, "rows": job.total})
    return job


@transaction.atomic
def export_dashboard_create(*, actor, unit: Unit, date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None) -> ExportJob:
    """A job for every dashboard table of `unit` (a unit in the actor's part of the network)."""
    _check_user(actor)
    if not isinstance(unit, Unit):
        raise ServiceError("unit", _("Choose a unit."), code="required")
    access.check_unit_access(actor, unit)
    if not isinstance(date_from, dt.date) or not isinstance(date_to, dt.date) or date_from > date_to:
        raise ServiceError("date_to", _("The end of the period is before its start."))
    params = {"unit": str(unit.id), "date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    job = ExportJob.objects.create(owner=actor, kind=ExportKind.DASHBOARD, params=params, created_at=now or clock.now())
    _record(job, action="export.create", unit=unit, payload={"filters": params})
    return job


def export_should_stream(job: ExportJob) -> bool:
    """Small enough to write in the request (HUIYING_EXPORT_STREAM_MAX_ROWS)."""
    return job.kind == ExportKind.DASHBOARD or job.total <= settings.HUIYING_EXPORT_STREAM_MAX_ROWS


def enqueue(job: ExportJob) -> None:
    from .tasks import export_task

    transaction.on_commit(lambda: export_task.enqueue(job.pk))


def export_start(job: ExportJob) -> ExportJob:
    """Write a small export now; queue a large one for the worker."""
    if export_should_stream(job):
        return export_run(job)
    enqueue(job)
    return job


def _tables(job: ExportJob):
    if job.kind == ExportKind.REGISTER:
        r = register.register_for(job.owner, job.params)
        return [r.table()], r.count()
    unit = Unit.objects.get(pk=int(job.params["unit"]))
    tables = dashboard_export.tables_for(job.owner, unit, start=dt.date.fromisoformat(job.params["date_from"]),
                                         end=dt.date.fromisoformat(job.params["date_to"]))
    return tables, sum(len(t.rows) for t in tables)


def file_name(job: ExportJob) -> str:
    day = timezone.localdate(job.created_at).strftime("%Y%m%d")
    return f"{_gettext('concern-register') if job.kind == ExportKind.REGISTER else _gettext('dashboard')}-{day}-{job.pk}.xlsx"


def export_run(job: ExportJob) -> ExportJob:
    """Write the job's workbook (the worker calls this; a small export calls it in the
    request). Progress is saved as rows are written; a failure is kept with its message."""
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, done=0, error="")
    try:
        tables, total = _tables(job)
        ExportJob.objects.filter(pk=job.pk).update(total=total)
        data = workbook.write(tables, progress=lambda n: ExportJob.objects.filter(pk=job.pk).update(done=n))
        relative = f"{EXPORT_DIR}/{job.owner_id}/{job.pk}.xlsx"
        path = Path(settings.MEDIA_ROOT) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except Exception as exc:  # any failure is shown on the job's page, with a retry
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error=str(exc)[:2000] or exc.__class__.__name__, finished_at=clock.now())
        job.refresh_from_db()
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.DONE, file=relative, filename=file_name(job), done=total, finished_at=clock.now())
    job.refresh_from_db()
    return job


@transaction.atomic
def export_retry(*, actor, job: ExportJob) -> ExportJob:
    """Queue a failed job again (its owner only)."""
    job = export_get(actor, job.pk)
    if job.status != ExportStatus.FAILED:
        raise ServiceError("status", _("Only a failed export is retried."))
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.QUEUED, done=0, error="", finished_at=None)
    job.refresh_from_db()
    enqueue(job)
    return job


def export_get(user, pk) -> ExportJob:
    """The job, if `user` owns it; NotFound otherwise (someone else's export is not found)."""
    job = ExportJob.objects.filter(pk=pk, owner=user).select_related("owner").first() if user is not None and user.is_authenticated else None
    if job is None:
        raise NotFound("export", _("No such export."))
    return job


def export_path(job: ExportJob) -> Path | None:
    """The finished file, if it is still there."""
    if job.status != ExportStatus.DONE or job.expired or not job.file:
        return None
    path = Path(settings.MEDIA_ROOT) / job.file
    return path if path.is_file() else None


def export_cleanup(*, now: dt.datetime | None = None) -> int:
    """Remove the files of jobs finished more than HUIYING_EXPORT_KEEP_HOURS ago. Returns
    how many were removed. The jobs stay (who exported what is kept), marked expired."""
    cutoff = (now or clock.now()) - dt.timedelta(hours=settings.HUIYING_EXPORT_KEEP_HOURS)
    removed = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff, expired=False).exclude(file=""):
        (Path(settings.MEDIA_ROOT) / job.file).unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(expired=True)
        removed += 1
    return removed
