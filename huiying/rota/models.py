"""Duty rosters (轮值表): the rule a unit's rotation follows, the weekdays part-time staff
can serve, and the swaps between staff. The roster itself is `network.DutyShift`."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    EVERY_DAY = "every_day", _("Every day")  # 每日轮值
    WORKDAYS = "workdays", _("Working days only")  # 工作日（按国家法定节假日和调休）


class RosterRule(models.Model):
    """How a unit's month is rotated: how many on duty per day, on which days. A unit
    without a row follows `selectors.DEFAULT_RULE` for its level."""

    unit = models.OneToOneField("network.Unit", models.CASCADE, related_name="roster_rule", verbose_name=_("unit"))
    per_day = models.PositiveSmallIntegerField(_("on duty per day"), default=1)
    days = models.CharField(_("days on duty"), max_length=12, choices=DayKind.choices, default=DayKind.EVERY_DAY)

    class Meta:
        verbose_name = _("roster rule")
        verbose_name_plural = _("roster rules")


class Availability(models.Model):
    """The weekdays a part-time staff member (兼职) can take a duty day, Monday = 0. Full-time
    staff (专职) serve any day the unit's rule covers; a part-time member without a row too."""

    membership = models.OneToOneField("network.Membership", models.CASCADE, related_name="availability", verbose_name=_("membership"))
    weekdays = models.JSONField(_("weekdays"), default=list)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")


class Swap(models.Model):
    """A duty day handed from one staff member to another (换班), kept after the roster moves on."""

    unit = models.ForeignKey("network.Unit", models.CASCADE, related_name="roster_swaps", verbose_name=_("unit"))
    day = models.DateField(_("day"))
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("handed over by"))
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("taken over by"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("swap")
        verbose_name_plural = _("swaps")
        ordering = ["day", "at"]
        indexes = [models.Index(fields=["unit", "day"])]
