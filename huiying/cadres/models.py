"""Cadres going down to stations (预约下站): a county or department cadre books a day at a
station, for a purpose and the concerns they come for; afterwards the outcome is recorded
on each of those concerns."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Done")


class CadreVisit(models.Model):
    unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="cadre_visits", verbose_name=_("station"))
    date = models.DateField(_("date"))
    purpose = models.TextField(_("purpose"))
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="cadre_visits", verbose_name=_("cadre"))
    # The cadre's unit and title as booked: what the public sees (a county HQ or a department
    # and a post such as 副局长), never the cadre's phone or the purpose text.
    cadre_unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", verbose_name=_("cadre's unit"))
    cadre_title = models.CharField(_("title"), max_length=50, blank=True)
    concerns = models.ManyToManyField("concerns.Concern", through="VisitConcern", related_name="cadre_visits", verbose_name=_("concerns"))
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.BOOKED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("booked by"))
    booked_at = models.DateTimeField(_("booked at"))
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("cancelled or done at"), null=True, blank=True)
    summary = models.TextField(_("outcome of the visit"), blank=True)
    # Ancestors of `unit`, so "visits in this township" is one indexed equality (see network.Unit).
    county = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", editable=False)
    township = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", null=True, editable=False)
    village = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", null=True, editable=False)
    point = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", null=True, editable=False)

    class Meta:
        verbose_name = _("cadre visit")
        verbose_name_plural = _("cadre visits")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["county", "date"]), models.Index(fields=["township", "date"]), models.Index(fields=["village", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.unit}"


class VisitConcern(models.Model):
    """A concern a visit comes for, and what the visit did about it."""

    visit = models.ForeignKey(CadreVisit, models.CASCADE, related_name="served")
    concern = models.ForeignKey("concerns.Concern", models.PROTECT, related_name="+")
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["visit", "concern"], name="visit_concern_unique")]
