"""Export jobs: a register or dashboard export run in the background, with its progress and
its file (under MEDIA_ROOT/exports/, served only to its owner through the download view)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    REGISTER = "register", _("Concern register")
    DASHBOARD = "dashboard", _("Dashboard tables")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("owner"))
    kind = models.CharField(_("kind"), max_length=12, choices=ExportKind.choices)
    # The queue page's query parameters (register) or unit and period (dashboard), as given.
    params = models.JSONField(_("filters"), default=dict)
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    file = models.CharField(_("file"), max_length=200, blank=True)  # relative to MEDIA_ROOT
    filename = models.CharField(_("file name"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expired = models.BooleanField(_("file removed"), default=False)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "created_at"]), models.Index(fields=["status", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
