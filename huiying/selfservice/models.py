"""What the villager's own channels keep beside the core's concerns."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiying.concerns.models import Function


class Submission(models.Model):
    """A concern a villager submitted themselves on the unit's public page (网上自助提交).
    The concern itself lives in the core; this keeps what only self-service has: the optional
    phone number to call or text the villager back. No name is asked."""

    concern = models.OneToOneField("concerns.Concern", models.PROTECT, related_name="submission", verbose_name=_("concern"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("self-service submission")
        verbose_name_plural = _("self-service submissions")


class Suggestion(models.Model):
    """A note dropped in a unit's suggestion box (意见箱). Holds nothing that identifies the
    sender: no name, phone, address, user agent or account — only the text, optionally the
    hamlet and topic, and a hash of the receipt code with which the sender reads the answer."""

    unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="suggestions", verbose_name=_("unit"))
    hamlet = models.ForeignKey("network.Hamlet", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("hamlet"))
    topic = models.CharField(_("topic"), max_length=16, choices=Function.choices, blank=True)
    text = models.TextField(_("suggestion"))
    # HMAC-SHA256 of the receipt code under a server key: a copy of the database alone does
    # not let anyone try the (short) codes offline.
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("received at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    answer = models.TextField(_("answer"), blank=True)
    answer_public = models.BooleanField(_("answered publicly"), default=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    concern = models.ForeignKey("concerns.Concern", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("concern made of it"))

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "created_at"]), models.Index(fields=["unit", "answer_public", "answered_at"])]

    def __str__(self) -> str:
        return self.text[:30]
