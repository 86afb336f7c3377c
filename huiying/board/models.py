"""The public notice board (公示牌): batches of posted results and villagers' objections.

What the board shows is a snapshot taken when the result was posted, already anonymised
(`board.anonymise`): a later edit of the concern (a name typed into the result) can never
reach the public page, the poster or the API.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiying.concerns.models import Function, Track


class PostingBatch(models.Model):
    """One collective posting (集中公示) at a unit: a posting period and an objection window."""

    unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="posting_batches", verbose_name=_("unit"))
    period_start = models.DateField(_("posted from"))
    period_end = models.DateField(_("posted until"))
    objection_until = models.DateField(_("objections until"))
    posted_at = models.DateTimeField(_("posted at"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("posted by"))
    # Concerns posted before the board existed, snapshotted afterwards (`board_backfill`).
    backfilled = models.BooleanField(_("taken over from earlier postings"), default=False)

    class Meta:
        verbose_name = _("posting batch")
        verbose_name_plural = _("posting batches")
        ordering = ["-period_start", "-id"]
        indexes = [models.Index(fields=["unit", "period_end"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")), name="batch_period_ordered"),
            models.CheckConstraint(
                condition=models.Q(objection_until__gte=models.F("period_start")) & models.Q(objection_until__lte=models.F("period_end")),
                name="batch_objection_within_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start}–{self.period_end}"


class PostedItem(models.Model):
    """One result on the board, as it is shown: every text field is the anonymised snapshot."""

    batch = models.ForeignKey(PostingBatch, models.PROTECT, related_name="items")
    concern = models.ForeignKey("concerns.Concern", models.PROTECT, related_name="board_items")
    reference = models.CharField(_("reference number"), max_length=24)
    function = models.CharField(_("function"), max_length=16, choices=Function.choices)
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    summary = models.CharField(_("summary"), max_length=400)
    result = models.TextField(_("result"))
    hamlet_name = models.CharField(_("hamlet"), max_length=100, blank=True)
    posted_on = models.DateField(_("posted on"))
    # An objection sends the result back for rework: it is no longer the result, so it
    # leaves the board (the objection stays, for staff).
    objected_at = models.DateTimeField(_("objected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("posted result")
        verbose_name_plural = _("posted results")
        ordering = ["batch", "id"]
        constraints = [models.UniqueConstraint(fields=["batch", "concern"], name="posted_item_once_per_batch")]

    def __str__(self) -> str:
        return f"{self.reference} {self.summary}"

    @property
    def function_label(self) -> str:
        return str(Function(self.function).label)

    @property
    def track_label(self) -> str:
        return str(Track(self.track).label)

    @property
    def objection_until(self):
        return self.batch.objection_until

    def objection_open(self, today) -> bool:
        """Within the objection window, and the result still posted (not yet answered back)."""
        from huiying.concerns.models import State

        state = getattr(self, "concern_state", None) or self.concern.state
        return self.batch.period_start <= today <= self.batch.objection_until and state == State.POSTED

    @property
    def unit_name(self) -> str:
        return self.batch.unit.name


class Objection(models.Model):
    """A villager's objection to a posted result (公示异议). The reason and the optional
    call-back phone are for the unit's staff only; nothing here is shown publicly."""

    item = models.ForeignKey(PostedItem, models.PROTECT, related_name="objections")
    concern = models.ForeignKey("concerns.Concern", models.PROTECT, related_name="board_objections")
    reason = models.TextField(_("reason"))
    phone = models.CharField(_("phone for a call-back"), max_length=20, blank=True)
    at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-at"]
