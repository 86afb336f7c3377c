"""Cascaded training (层层培训): the county HQ sets a training task and assigns it to
townships; each level passes it down to the units below it (township → villages →
hamlet points), holds its own session, records who attended on which day, and marks its
session done. State changes only in `huiying.training.services`."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingTask(models.Model):
    county = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", verbose_name=_("county"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    material = models.TextField(_("material"), blank=True)
    link = models.URLField(_("material link"), max_length=500, blank=True)
    due_date = models.DateField(_("due date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("training task")
        verbose_name_plural = _("training tasks")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["county", "created_at"])]

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class TrainingAssignment(models.Model):
    """One unit's part of a task. `parent` is the assignment of the unit that passed it down
    (none for a township, which the county HQ assigned). Started = it recorded attendance or
    passed the task down; done = its session was marked complete."""

    task = models.ForeignKey(TrainingTask, models.CASCADE, related_name="assignments", verbose_name=_("training task"))
    unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="training_assignments", verbose_name=_("unit"))
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("passed down by"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(_("assigned at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("completed by"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("training assignment")
        verbose_name_plural = _("training assignments")
        ordering = ["task", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="training_assignment_unique")]
        indexes = [models.Index(fields=["unit", "task"])]

    def __str__(self) -> str:
        return f"{self.task} @ {self.unit}"

    @property
    def status(self) -> str:
        if self.completed_at:
            return Status.DONE
        return Status.IN_PROGRESS if self.started_at else Status.NOT_STARTED

    def get_status_display(self) -> str:
        return Status(self.status).label

    def is_overdue(self, today) -> bool:
        return self.completed_at is None and self.task.due_date < today


class Attendance(models.Model):
    """Someone of the unit attended its session on a day."""

    assignment = models.ForeignKey(TrainingAssignment, models.CASCADE, related_name="attendance", verbose_name=_("training assignment"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("attendee"))
    day = models.DateField(_("day"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["day", "id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "user", "day"], name="training_attendance_unique")]
