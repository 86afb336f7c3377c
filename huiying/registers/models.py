"""An uploaded paper register between its check and its import: the file waits under
MEDIA_ROOT/registers/ (never served) until its owner confirms it."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadStatus(models.TextChoices):
    READY = "ready", _("Checked, ready to import")
    INVALID = "invalid", _("Has errors")
    IMPORTED = "imported", _("Imported")


class RegisterUpload(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("uploaded by"))
    unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    file = models.CharField(_("file"), max_length=200, blank=True)  # relative to MEDIA_ROOT; emptied once imported
    filename = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=UploadStatus.choices)
    # [{"row", "column", "message"}] as the check found them.
    errors = models.JSONField(_("errors"), default=list)
    # {"rows", "visits", "concerns", "villagers"} of the check (or the import).
    summary = models.JSONField(_("summary"), default=dict)
    created_at = models.DateTimeField(_("uploaded at"))
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("paper register upload")
        verbose_name_plural = _("paper register uploads")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def summary_or_none(self) -> dict | None:
        return self.summary or None
