"""Background work on django-tasks' database backend (the API that becomes django.tasks).

The deadline tick re-enqueues itself with `run_after`, so the schedule lives in the task
table: a restarted worker picks up where it left off and nothing is lost. `ensure_scheduled`
keeps exactly one future tick queued.
"""
import datetime as dt
import logging

from django.conf import settings
from django_tasks import task

from huiying.core import clock

from . import deadlines

log = logging.getLogger("huiying.tasks")


@task()
def deadline_tick() -> dict:
    result = deadlines.tick()
    log.info("deadline tick: %s", result)
    schedule_next()
    return result


def schedule_next() -> None:
    deadline_tick.using(run_after=clock.now() + dt.timedelta(seconds=settings.HUIYING_TICK_INTERVAL)).enqueue()


def ensure_scheduled() -> bool:
    """Queue a tick unless one is already waiting. Returns True if one was queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=deadline_tick.module_path, status="READY").exists()
    if not waiting:
        deadline_tick.enqueue()
    return not waiting
