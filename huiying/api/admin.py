"""Admin pages of the API front door: tokens and Open311 keys (revocable, never shown),
webhook subscriptions, and every webhook delivery with its attempts (read-only; a failed
one can be sent again)."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from huiying.core import clock

from . import models as m
from .webhooks.delivery import retry_now


class NoAddMixin:
    def has_add_permission(self, request, obj=None):
        return False


@admin.register(m.ApiToken)
class ApiTokenAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    fields = ["user", "name", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        n = queryset.filter(revoked_at__isnull=True).update(revoked_at=clock.now())
        self.message_user(request, _("%(n)s tokens revoked.") % {"n": n}, messages.SUCCESS)


@admin.register(m.Open311Key)
class Open311KeyAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["name", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["name", "prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        n = queryset.filter(revoked_at__isnull=True).update(revoked_at=clock.now())
        self.message_user(request, _("%(n)s keys revoked.") % {"n": n}, messages.SUCCESS)


@admin.register(m.WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "county", "active", "include_confidential", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["secret", "created_at"]


@admin.register(m.WebhookDelivery)
class WebhookDeliveryAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["created_at", "subscription", "event", "concern_reference", "status", "attempts", "last_status_code", "next_attempt_at"]
    list_filter = ["status", "subscription", "event"]
    search_fields = ["concern_reference", "event_id"]
    readonly_fields = [f.name for f in m.WebhookDelivery._meta.fields]
    actions = ["send_again"]

    def has_change_permission(self, request, obj=None):
        # Viewable, never edited: what was sent is a record.
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)

    @admin.action(description=_("Send the selected deliveries again"), permissions=["view"])
    def send_again(self, request, queryset):
        n = 0
        for delivery in queryset.exclude(status=m.DeliveryStatus.DELIVERED):
            retry_now(delivery)
            n += 1
        self.message_user(request, _("%(n)s deliveries queued again.") % {"n": n}, messages.SUCCESS)
