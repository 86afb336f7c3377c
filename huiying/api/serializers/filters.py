"""Query parameters of the lists, validated like any input (a bad one is a 400 naming it)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from huiying.concerns.models import Channel, Function, State, Track
from huiying.concerns.search import MAX_QUERY
from huiying.network.models import Level

from .common import DateInput, IdField

QUEUES = [
    ("all", "everything you see"),
    ("unit", "open concerns handled at your units"),
    ("incoming", "concerns escalated to your units, awaiting a visit booking"),
    ("dispatched", "concerns sent from your part of the network to a county department"),
    ("overdue", "open concerns past their due date, across everything you see"),
    ("mine", "open concerns you handle (home page)"),
    ("due_soon", "open concerns at your units due within two working days (home page)"),
]
SEARCH = {"max_length": 100}


def period_checked(attrs: dict, end_field: str) -> dict:
    if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
        raise serializers.ValidationError({end_field: _("The end of the period is before its start.")})
    return attrs


def query_data(request, serializer_class) -> dict:
    """The query string as plain data: list fields get every value (?state=a&state=b), the
    others their last; parameters not given are left out (so they take no default)."""
    fields = serializer_class().fields
    data = {}
    for name, field in fields.items():
        if name not in request.query_params:
            continue
        values = request.query_params.getlist(name)
        data[name] = values if isinstance(field, serializers.ListField) else values[-1]
    return data


def validated_query(request, serializer_class) -> dict:
    ser = serializer_class(data=query_data(request, serializer_class), context={"request": request})
    ser.is_valid(raise_exception=True)
    return ser.validated_data


class ConcernFilter(serializers.Serializer):
    """The web app's queue and filters (huiying.concerns.queues), by the same names, plus
    `pending` and `handler`."""

    queue = serializers.ChoiceField(choices=QUEUES, required=False, help_text="A work queue, as the web app's list and home page offer them.")
    q = serializers.CharField(required=False, max_length=MAX_QUERY, help_text="Keywords (all must appear in the reference, summary or details) or a reference number.")
    state = serializers.ChoiceField(choices=State.choices, required=False)
    track = serializers.ChoiceField(choices=Track.choices, required=False)
    function = serializers.ChoiceField(choices=Function.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    unit = IdField(required=False, help_text="Received or handled in this unit's subtree (a department: handled or dispatched there).")
    date_from = DateInput(required=False, help_text="Received on or after this day (YYYY-MM-DD).")
    date_to = DateInput(required=False, help_text="Received on or before this day (YYYY-MM-DD).")
    overdue = serializers.BooleanField(required=False, help_text="true: only open concerns past their due date.")
    pending = serializers.BooleanField(required=False, help_text="true: no outcome yet; false: ended.")
    handler = serializers.CharField(required=False, max_length=150, help_text="Handler's username.")

    def validate(self, attrs):
        return period_checked(attrs, "date_to")


class UnitFilter(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    parent = IdField(required=False)
    q = serializers.CharField(required=False, help_text="Part of the name or division code.", **SEARCH)


class UnitTreeFilter(serializers.Serializer):
    root = IdField(required=False, help_text="Start here instead of at your county HQ.")


class HamletFilter(serializers.Serializer):
    village = IdField(required=False)
    q = serializers.CharField(required=False, help_text="Part of the name or division code.", **SEARCH)


class VillagerFilter(serializers.Serializer):
    q = serializers.CharField(required=False, help_text="Part of the name, pinyin initials (张小明: zxm), or phone.", **SEARCH)
    hamlet = IdField(required=False)
    id_number = serializers.CharField(required=False, max_length=18, help_text="The whole ID card number.")


class VisitFilter(serializers.Serializer):
    unit = IdField(required=False, help_text="Received at this unit or below (its id).")
    date_from = DateInput(required=False, help_text="Visited on or after this day (YYYY-MM-DD).")
    date_to = DateInput(required=False, help_text="Visited on or before this day (YYYY-MM-DD).")

    def validate(self, attrs):
        return period_checked(attrs, "date_to")


class StatsFilter(serializers.Serializer):
    """As `huiying stats --unit CODE --from DATE --to DATE`."""

    unit = serializers.CharField(max_length=20, help_text="The unit: its 12-digit division code, or its id.")

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared as an attribute.
        fields = super().get_fields()
        fields["from"] = DateInput(required=False, source="date_from", help_text="First day of the period (YYYY-MM-DD).")
        fields["to"] = DateInput(required=False, source="date_to", help_text="Last day of the period, included.")
        return fields

    def validate(self, attrs):
        return period_checked(attrs, "to")


class TokenFilter(serializers.Serializer):
    user = serializers.CharField(required=False, max_length=150, help_text="Administrators: whose tokens.")
