"""The work record book (一本工作记录): append-only and hash-chained per county.

Only `huiying.records.book` writes here. Rows are never updated or deleted: the model and
its queryset refuse both, the admin is read-only, and `huiying verify-records` recomputes
the chain so that an edit made behind the application's back (raw SQL) is found.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class RecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("record entries are never updated")

    def delete(self):
        raise AppendOnlyError("record entries are never deleted")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("record entries are never updated")


class RecordEntry(models.Model):
    county = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", verbose_name=_("county"))
    seq = models.PositiveBigIntegerField(_("number in the county's book"))
    at = models.DateTimeField(_("time"))
    # A stable code ("concern.escalate"), never a translated label: labels change, codes don't.
    action = models.CharField(_("action"), max_length=40)
    # The actor survives the deletion of their account: the name is kept as written, and
    # so is the id (DO_NOTHING, no constraint). SET_NULL would rewrite hashed rows, so that
    # deleting a user would itself look like tampering with the book.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.DO_NOTHING, null=True, blank=True, related_name="+", verbose_name=_("actor"), db_constraint=False)
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("unit"))
    concern = models.ForeignKey("concerns.Concern", models.PROTECT, null=True, blank=True, related_name="records", verbose_name=_("concern"))
    visit = models.ForeignKey("concerns.Visit", models.PROTECT, null=True, blank=True, related_name="records", verbose_name=_("visit"))
    from_state = models.CharField(_("from state"), max_length=20, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, blank=True)
    payload = models.JSONField(_("details"), default=dict)
    # Groups the entries written by one user action (e.g. a visit and its three concerns).
    group = models.UUIDField(_("action group"), default=uuid.uuid4)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("record entry")
        verbose_name_plural = _("work record book")
        ordering = ["county_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["county", "seq"], name="record_seq_unique")]
        indexes = [models.Index(fields=["unit", "at"]), models.Index(fields=["concern", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("record entries are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("record entries are never deleted")


class ChainHead(models.Model):
    """The last entry of each county's chain. Locking this row serialises appends, so the
    chain stays a chain under concurrent writers on PostgreSQL (SQLite serialises anyway)."""

    county = models.OneToOneField("network.Unit", models.PROTECT, primary_key=True, related_name="+")
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("chain head")
