import datetime as dt

import pytest

from huiying.training import services as ts
from huiying.training.models import Attendance, TrainingAssignment, TrainingTask
from huiying.records.models import RecordEntry

from api.conftest import _default_language, api  # noqa: F401  (the API clients of tests/api)

DUE = dt.date(2026, 3, 31)


@pytest.fixture
def task(network, now):
    return ts.training_task_create(actor=network.county_commander, title="回应站工作规范培训", due_date=DUE,
                                   description="全体值班员参加", material="一、热情接待……", link="https://example.org/guide.pdf")


@pytest.fixture
def cascaded(network, task):
    """The task assigned to both townships; 城中镇 passed it to 甲村 and 乙村; 甲村 to its point."""
    n = network
    townships = {a.unit_id: a for a in ts.training_assign(actor=n.county_commander, task=task)}
    chengzhong = townships[n.township.id]
    villages = {a.unit_id: a for a in ts.training_pass_down(actor=n.township_staff, assignment=chengzhong)}
    point = ts.training_pass_down(actor=n.village_clerk, assignment=villages[n.village.id])[0]
    return {"township": chengzhong, "other_township": townships[n.other_township.id],
            "village": villages[n.village.id], "other_village": villages[n.other_village.id], "point": point}


def training_snapshot() -> dict:
    return {
        "tasks": TrainingTask.objects.count(),
        "assignments": sorted(TrainingAssignment.objects.values_list("pk", "started_at", "completed_at")),
        "attendance": Attendance.objects.count(),
        "records": RecordEntry.objects.count(),
    }
