"""Notifications to villagers (text messages): one row per message and phone, kept with its
delivery attempts so staff can see what reached whom and what failed."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """The moments a villager is told about (issue 4): each is sent once per concern, round
    (`Concern.reopen_count`) and phone."""

    REGISTERED = "registered", pgettext_lazy("text message", "Registration")  # 已登记
    APPOINTMENT = "appointment", pgettext_lazy("text message", "Visit booked")  # 预约下访
    RESULT = "result", pgettext_lazy("text message", "Result")  # 办理结果
    RATING_REQUEST = "rating_request", pgettext_lazy("text message", "Rating request")  # 请评价


class Status(models.TextChoices):
    PENDING = "pending", pgettext_lazy("text message", "Waiting to be sent")
    SENT = "sent", pgettext_lazy("text message", "Sent")
    FAILED = "failed", pgettext_lazy("text message", "Failed")


class Notification(models.Model):
    concern = models.ForeignKey("concerns.Concern", models.CASCADE, related_name="notifications", verbose_name=_("concern"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=0, help_text="the concern's reopen_count when queued")
    phone = models.CharField(_("phone"), max_length=20)
    text = models.TextField(_("text"))
    backend = models.CharField(_("sent by"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"))
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same event delivered twice (a retried signal, two workers) queues one message.
            models.UniqueConstraint(fields=["concern", "kind", "round", "phone"], name="notification_once"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.kind} {self.status}"
