"""The export worker task (django-tasks, like `huiying.concerns.tasks`)."""
import logging

from django_tasks import task

from .models import ExportJob, ExportStatus

log = logging.getLogger("huiying.tasks")


@task()
def export_task(job_id: int) -> str:
    from . import services

    job = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).select_related("owner").first()
    if job is None:
        return "gone"
    job = services.export_run(job)
    removed = services.export_cleanup()
    log.info("export %s: %s (%s rows); %s old file(s) removed", job.pk, job.status, job.done, removed)
    return job.status
