"""Supervisors (监督员) and what they do: rate finished concerns, and the township's review
of a result a supervisor found dissatisfying.

A supervisor is a `network.Membership` with role SUPERVISOR (the core's); `Supervisor`
adds what kind of supervisor they are. Ratings live here, beside the villagers' own
(`concerns.ConcernRating`), so that the core's rating (which reopens a concern when the
villager is dissatisfied) and a supervisor's (which asks the township to review) stay apart.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiying.concerns.models import Rating


class Kind(models.TextChoices):
    VILLAGE_COMMITTEE = "committee", _("Village affairs supervision committee member")  # 村务监督委员会
    FORMER_CADRE = "former_cadre", _("Former village cadre")  # 离任村干部
    PC_DEPUTY = "pc_deputy", _("People's congress deputy")  # 人大代表
    PARTY_REP = "party_rep", _("Party congress representative")  # 党代表


class Supervisor(models.Model):
    """The supervisor's profile on their membership: which kind of supervisor they are."""

    membership = models.OneToOneField("network.Membership", models.CASCADE, related_name="supervisor", verbose_name=_("membership"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("registered by"))

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.membership.user.get_full_name() or self.membership.user.get_username()} ({self.get_kind_display()})"


class SupervisorRating(models.Model):
    """A supervisor's verdict on a concern's result. `round` is the concern's `reopen_count`
    when rated: one rating per supervisor per result, a reworked result is rated afresh."""

    concern = models.ForeignKey("concerns.Concern", models.PROTECT, related_name="supervisor_ratings", verbose_name=_("concern"))
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="supervisor_ratings", verbose_name=_("supervisor"))
    unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", verbose_name=_("supervisor's unit"))
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("comment"))
    at = models.DateTimeField(_("rated at"))
    round = models.PositiveSmallIntegerField(_("round"), default=0)

    class Meta:
        verbose_name = _("supervisor's rating")
        verbose_name_plural = _("supervisors' ratings")
        ordering = ["-at"]
        constraints = [models.UniqueConstraint(fields=["concern", "rater", "round"], name="supervisor_rating_once_per_result")]
        indexes = [models.Index(fields=["rater", "at"])]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.get_rating_display()}"


class Decision(models.TextChoices):
    UPHELD = "upheld", _("Result upheld")  # 维持结果
    REWORK = "rework", _("Sent back for rework")  # 退回重办


class Review(models.Model):
    """The township's review (复核) of a result a supervisor rated dissatisfied. One per
    concern and round: further dissatisfied ratings of the same result join the open one."""

    concern = models.ForeignKey("concerns.Concern", models.PROTECT, related_name="supervision_reviews", verbose_name=_("concern"))
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    rating = models.ForeignKey(SupervisorRating, models.PROTECT, related_name="+", verbose_name=_("rating that opened it"))
    unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="supervision_reviews", verbose_name=_("reviewing unit"))
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("closed by"))
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["concern", "round"], name="supervision_review_once_per_result")]
        # The township's queue: its open reviews, oldest first.
        indexes = [models.Index(fields=["unit", "closed_at", "opened_at"])]

    def __str__(self) -> str:
        return f"{self.concern_id} @ {self.unit_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
