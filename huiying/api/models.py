"""What the API front door keeps of its own: staff API tokens, Open311 client keys,
idempotency records, and webhook subscriptions with their deliveries.

Secrets are stored as SHA-256 hashes (tokens, Open311 keys) and shown once when created.
A webhook secret is the exception: the server needs it to sign every delivery.
"""
import secrets
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApiToken(models.Model):
    """A staff member's API token. It acts with exactly its user's access."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    # The first characters of the key, so that a person can tell their tokens apart.
    prefix = models.CharField(_("prefix"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The response to a create request sent with an Idempotency-Key, kept for 24 hours so
    that a POST retried over a weak network gets the same answer instead of a second row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")]


class Open311Key(models.Model):
    """An api_key issued to an Open311 client application (`huiying open311-key create`)."""

    name = models.CharField(_("client application"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")
        ordering = ["name", "-created_at"]
        # One active key per application; a revoked one keeps its name and its requests.
        constraints = [models.UniqueConstraint(fields=["name"], condition=models.Q(revoked_at__isnull=True), name="open311_key_active_name_unique")]

    def __str__(self) -> str:
        return self.name


class Open311Request(models.Model):
    """Which client sent a concern through Open311, and the location it gave."""

    concern = models.OneToOneField("concerns.Concern", models.PROTECT, related_name="open311", verbose_name=_("concern"))
    key = models.ForeignKey(Open311Key, models.PROTECT, related_name="requests", verbose_name=_("client application"))
    submitted = models.JSONField(_("submitted location and contact"), default=dict)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")


def _new_secret() -> str:
    return secrets.token_hex(32)


class WebhookSubscription(models.Model):
    """An integration's subscription to concern events, delivered as signed POSTs."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=64, default=_new_secret, help_text=_("HMAC-SHA256 key; the receiver checks the X-Huiying-Signature header with it."))
    # Event codes ("concern.escalate"); empty: every concern event.
    events = models.JSONField(_("events"), default=list, blank=True, help_text=_("Event codes such as concern.escalate; leave empty for every event."))
    county = models.ForeignKey("network.Unit", models.PROTECT, null=True, blank=True, related_name="+", limit_choices_to={"level": "county"}, verbose_name=_("county"), help_text=_("Only this county's concerns; empty for all."))
    include_confidential = models.BooleanField(_("include confidential concerns"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    # In their own context: "Pending" and "Failed" mean other things on other pages.
    PENDING = "pending", pgettext_lazy("webhook delivery", "Pending")
    DELIVERED = "delivered", pgettext_lazy("webhook delivery", "Delivered")
    FAILED = "failed", pgettext_lazy("webhook delivery", "Failed")


class WebhookDelivery(models.Model):
    """One event sent (or being retried) to one subscription."""

    subscription = models.ForeignKey(WebhookSubscription, models.CASCADE, related_name="deliveries", verbose_name=_("subscription"))
    event_id = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True)
    event = models.CharField(_("event"), max_length=40)
    concern_reference = models.CharField(_("concern"), max_length=24, blank=True)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"
