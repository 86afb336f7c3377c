"""A unit's work record book (一本工作记录), read-only: the web app's selector, period and
access rule, as JSON — entries with their codes, payloads and hashes, so an integration can
keep its own copy and check the chain."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from huiying import access
from huiying.core.errors import NotFound
from huiying.records.labels import action_label
from huiying.records.selectors import book_period, record_book

from ..pagination import cursor
from ..serializers.common import DateInput
from .base import ListView


class RecordEntrySerializer(serializers.Serializer):
    seq = serializers.IntegerField(help_text="Its number in the county's book.")
    at = serializers.DateTimeField()
    action = serializers.CharField(help_text="A stable code, such as concern.escalate.")
    action_label = serializers.SerializerMethodField()
    actor_name = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    concern = serializers.CharField(source="concern.reference", allow_null=True, default=None)
    visit = serializers.IntegerField(source="visit_id", allow_null=True)
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    payload = serializers.DictField()
    group = serializers.UUIDField()
    prev_hash = serializers.CharField()
    hash = serializers.CharField()

    def get_action_label(self, entry) -> str:
        return str(action_label(entry.action))


class PeriodFilter(serializers.Serializer):
    date_from = DateInput(required=False, help_text="First day (default: the first of this month).")
    date_to = DateInput(required=False, help_text="Last day, included (default: today). At most a year is returned.")


class UnitRecords(ListView):
    """The book of a unit you are a member of (or of a unit above it), for a period; entries
    about confidential concerns only for those who may see them."""

    schema_tags = ["network"]
    serializer_class = RecordEntrySerializer
    pagination_class = cursor("seq")

    def get_queryset(self):
        unit = access.unit_get(self.request.user, self.kwargs["pk"])
        if not access.can_read_record_book(self.request.user, unit):
            raise NotFound("unit", _("No such unit."))  # as the web app: not "forbidden"
        params = PeriodFilter(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        date_from, date_to = book_period(params.validated_data.get("date_from"), params.validated_data.get("date_to"))
        return record_book(self.request.user, unit, date_from=date_from, date_to=date_to)

    @extend_schema(parameters=[PeriodFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
