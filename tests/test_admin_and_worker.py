"""The admin (every model, record book read-only, Chinese by default) and the background worker."""
import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from huiying.concerns import services as cs
from huiying.concerns import tasks
from huiying.concerns.models import Concern, Function, Track
from huiying.core import clock
from huiying.records.models import RecordEntry


@pytest.fixture
def admin_client(client, network):
    user = get_user_model().objects.create_superuser("root", password="pw-for-tests-only")
    client.force_login(user)
    return client


def test_every_model_has_an_admin_page_in_chinese(admin_client, network, now):
    cs.concern_register(actor=network.village_clerk, unit=network.village, function=Function.SUGGESTION, channel="phone", summary="修路", track=Track.TIME_LIMITED)
    ours = [m for m in admin.site._registry if m._meta.app_label in {"network", "concerns", "records"}]
    assert {m.__name__ for m in ours} >= {"Unit", "Hamlet", "Membership", "DutyShift", "Villager", "Visit", "Concern", "RecordEntry"}
    for model in ours:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(reverse("admin:concerns_concern_changelist")).content.decode()
    assert "关切" in page and "处置类别" in page


def test_record_book_is_read_only_in_the_admin(admin_client, network, now):
    cs.concern_register(actor=network.village_clerk, unit=network.village, function=Function.SUGGESTION, channel="phone", summary="修路", track=Track.TIME_LIMITED)
    entry = RecordEntry.objects.first()
    change = admin_client.get(reverse("admin:records_recordentry_change", args=[entry.pk]))
    assert change.status_code == 200 and b'name="_save"' not in change.content
    assert admin_client.post(reverse("admin:records_recordentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:records_recordentry_add")).status_code == 403
    assert RecordEntry.objects.filter(pk=entry.pk).exists()


def test_concern_workflow_fields_cannot_be_edited_in_the_admin(admin_client, network, now):
    c = cs.concern_register(actor=network.village_clerk, unit=network.village, function=Function.SUGGESTION, channel="phone", summary="修路", track=Track.TIME_LIMITED)
    url = reverse("admin:concerns_concern_change", args=[c.pk])
    admin_client.post(url, {"state": "closed", "outcome": "resolved", "summary": "改了", "function": c.function, "channel": c.channel, "details": "", "risk_level": "low"})
    c.refresh_from_db()
    assert c.state == "registered" and c.outcome == ""


def test_the_worker_runs_the_deadline_tick_and_keeps_one_scheduled(network, now, monkeypatch):
    # The worker drops connections that are inside a transaction, as a test's is.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    c = cs.concern_register(actor=network.village_clerk, unit=network.village, function=Function.DISPUTE, channel="phone", summary="水渠纠纷", track=Track.DISPUTE)
    assert tasks.ensure_scheduled() is True
    assert tasks.ensure_scheduled() is False  # one is waiting already
    waiting = DBTaskResult.objects.filter(task_path=tasks.deadline_tick.module_path, status="READY")
    assert waiting.count() == 1
    later = now + dt.timedelta(days=30)
    with clock.frozen(later):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, max_tasks=1)
    c.refresh_from_db()
    assert c.overdue and c.alert_unit_id == network.township.id
    # The tick queued its successor in the database, so a restarted worker carries on.
    assert DBTaskResult.objects.filter(task_path=tasks.deadline_tick.module_path, status="READY").count() == 1
    assert DBTaskResult.objects.filter(task_path=tasks.deadline_tick.module_path, status="SUCCESSFUL").count() == 1


def test_tick_command_is_idempotent(network, now):
    cs.concern_register(actor=network.village_clerk, unit=network.village, function=Function.DISPUTE, channel="phone", summary="水渠纠纷", track=Track.DISPUTE)
    with clock.frozen(now + dt.timedelta(days=30)):
        call_command("tick")
        before = RecordEntry.objects.count()
        call_command("tick")
    assert RecordEntry.objects.count() == before
    assert Concern.objects.filter(overdue=True).count() == 1
