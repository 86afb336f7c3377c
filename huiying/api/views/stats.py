"""Statistics for a unit's subtree: `huiying.stats.selectors.unit_stats`, as `huiying stats` shows them."""
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from huiying import access
from huiying.core.errors import NotFound
from huiying.stats.selectors import unit_stats

from .. import selectors
from ..serializers.common import MAX_ID, UnitRefSerializer
from ..serializers.filters import StatsFilter, validated_query
from .base import ApiView


class PeriodSerializer(serializers.Serializer):
    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared as an attribute.
        return {"from": serializers.DateField(allow_null=True), "to": serializers.DateField(allow_null=True)}


class UnitCountsSerializer(serializers.Serializer):
    township = serializers.IntegerField()
    village = serializers.IntegerField()
    hamlet = serializers.IntegerField()
    point = serializers.IntegerField()


class StaffCountsSerializer(serializers.Serializer):
    county = serializers.IntegerField()
    township = serializers.IntegerField()
    village = serializers.IntegerField()
    hamlet = serializers.IntegerField()
    department = serializers.IntegerField()


class StatsSerializer(serializers.Serializer):
    """The figures of docs/statistics.md: concerns = resolved + pending + other, always."""

    unit = UnitRefSerializer()
    period = PeriodSerializer()
    visitors = serializers.IntegerField()
    visits = serializers.IntegerField()
    concerns = serializers.IntegerField()
    resolved = serializers.IntegerField()
    other = serializers.IntegerField()
    pending = serializers.IntegerField()
    overdue = serializers.IntegerField()
    units = UnitCountsSerializer()
    staff = StaffCountsSerializer()


class Stats(ApiView):
    """Figures for a unit's subtree (a unit you serve in, or one below it)."""

    schema_tags = ["statistics"]

    @extend_schema(parameters=[StatsFilter], responses=StatsSerializer)
    def get(self, request):
        f = validated_query(request, StatsFilter)
        code = f["unit"].strip()
        if code.isdigit() and len(code) != 12:
            lookup = Q(pk=int(code)) if int(code) <= MAX_ID else None
        else:
            lookup = Q(code=code) if code else None
        unit = selectors.visible_units(request.user).filter(lookup).first() if lookup is not None else None
        if unit is None:
            raise NotFound("unit")
        access.check_unit_access(request.user, unit)
        return Response(StatsSerializer(unit_stats(unit, date_from=f.get("date_from"), date_to=f.get("date_to"))).data)
