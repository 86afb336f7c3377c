"""Text messages over the API: a concern's messages, and sending a failed one again."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from huiying import access
from huiying.api.views.base import ApiView, ListView
from huiying.concerns import dossier
from huiying.core.errors import NotFound

from . import selectors, services
from .models import Kind, Notification, Status


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    concern = serializers.CharField(source="concern.reference")
    kind = serializers.ChoiceField(choices=Kind.choices)
    phone = serializers.SerializerMethodField(help_text="Masked (138****5678) unless the reader handles the concern.")
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True)

    def get_phone(self, n) -> str:
        return selectors.shown_phone(n, full=self.context.get("show_phones", False))


class ConcernNotifications(ListView):
    """The text messages sent (or waiting, or failed) to a concern's villagers."""

    schema_tags = ["notifications"]
    serializer_class = NotificationSerializer
    pagination_class = None

    def get_queryset(self):
        self.concern = access.concern_get(self.request.user, reference=self.kwargs["reference"])
        return selectors.for_concern(self.concern)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        concern = getattr(self, "concern", None)
        if concern is not None:
            actions = access.allowed_actions(self.request.user, concern)
            context["show_phones"] = dossier.may_see_phones(self.request.user, concern, actions)
        return context


class NotificationRetry(ApiView):
    """Send a failed or waiting message again, with a fresh allowance of attempts."""

    schema_tags = ["notifications"]

    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request, notification: int):
        n = Notification.objects.select_related("concern").filter(pk=notification).first()
        if n is None:
            raise NotFound("notification", _("No such notification."))
        n = services.notification_retry(actor=request.user, notification=n)
        return Response(NotificationSerializer(n, context={"show_phones": False}).data)
