"""GET /api/v1/units/<pk>/dashboard?from=&to=: the dashboard's figures as JSON (the same
selector as the page, so the two always agree)."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from huiying.api.serializers.common import DateInput, UnitRefSerializer
from huiying.api.serializers.filters import validated_query
from huiying.api.views.base import ApiView
from huiying.core import clock

from . import rankings, selectors


class DashboardQuery(serializers.Serializer):
    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared as an attribute.
        return {
            "from": DateInput(required=False, help_text="First day of the period (YYYY-MM-DD); with `to`. Default: this calendar year."),
            "to": DateInput(required=False, help_text="Last day of the period, included."),
        }


class CountsSerializer(serializers.Serializer):
    """concerns = resolved + pending + other; overdue: pending past the due date."""

    concerns = serializers.IntegerField()
    resolved = serializers.IntegerField()
    pending = serializers.IntegerField()
    other = serializers.IntegerField()
    overdue = serializers.IntegerField()


class ChildSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    received_here = serializers.BooleanField(help_text="The unit itself (concerns received there, not below).")
    visitors = serializers.IntegerField()
    counts = CountsSerializer()


class KeyedCountsSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    counts = CountsSerializer()


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    visitors = serializers.IntegerField()
    counts = CountsSerializer()


class PeriodOutSerializer(serializers.Serializer):
    def get_fields(self):
        return {"from": serializers.DateField(), "to": serializers.DateField()}


class RankedSerializer(serializers.Serializer):
    place = serializers.IntegerField()
    unit = UnitRefSerializer()
    value = serializers.FloatField()
    concerns = serializers.IntegerField()


class UnrankedSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    concerns = serializers.IntegerField()
    reason = serializers.CharField()


class RankingSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    minimum = serializers.IntegerField()
    ranked = RankedSerializer(many=True)
    unranked = UnrankedSerializer(many=True)


class RateSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="Percent; null when there are too few concerns to rate.")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    definition = serializers.CharField()


class WorkloadRowSerializer(serializers.Serializer):
    unit = serializers.CharField()
    staff = serializers.IntegerField()
    handled = serializers.IntegerField()
    top30_share = serializers.FloatField(allow_null=True, help_text="Percent of the concerns handled by the busiest 30% of the staff.")


class DashboardSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    period = PeriodOutSerializer()
    visitors = serializers.IntegerField()
    visits = serializers.IntegerField()
    totals = CountsSerializer()
    children = ChildSerializer(many=True)
    by_function = KeyedCountsSerializer(many=True)
    by_track = KeyedCountsSerializer(many=True)
    by_channel = KeyedCountsSerializer(many=True)
    by_month = MonthSerializer(many=True)
    staff = serializers.DictField(child=serializers.IntegerField(), help_text="Network staff by level: county, township, village, hamlet, department.")
    rankings = RankingSerializer(many=True)
    rates = RateSerializer(many=True, help_text="huiying.supervision.rates, for the unit's subtree and the period.")
    workload = WorkloadRowSerializer(many=True, allow_null=True, help_text="The unit's own staff, then each unit one level down; null for readers who may not see workload.")


def _counts(c) -> dict:
    return {k: getattr(c, k) for k in selectors.OUTCOME_KEYS}


class UnitDashboard(ApiView):
    """The dashboard of a unit you serve in or a unit below it: figures over its subtree for a
    period, by sub-unit, function, track, channel and month, staff by level, and the rankings
    of its sub-units. Counts include confidential concerns (they name no one)."""

    schema_tags = ["statistics"]

    @extend_schema(parameters=[DashboardQuery], responses=DashboardSerializer)
    def get(self, request, pk):
        q = validated_query(request, DashboardQuery)
        unit = selectors.dashboard_unit(request.user, pk)
        today = clock.today()
        d = selectors.dashboard_full(request.user, unit, start=q.get("from"), end=q.get("to"), today=today)
        minimum = rankings.minimum_from(None)
        ranks = rankings.unit_rankings(request.user, unit, start=d["period"].start, end=d["period"].end, minimum=minimum, today=today)
        data = {
            "unit": unit,
            "period": {"from": d["period"].start, "to": d["period"].end},
            "visitors": d["visitors"], "visits": d["visits"], "totals": _counts(d["totals"]),
            "children": [{"unit": r["unit"], "received_here": r["own"], "visitors": r["visitors"], "counts": _counts(r["counts"])} for r in d["children"]],
            **{key: [{"key": r["key"], "label": str(r["label"]), "counts": _counts(r["counts"])} for r in d[key]] for key in ("by_function", "by_track", "by_channel")},
            "by_month": [{"month": r["month"].strftime("%Y-%m"), "visitors": r["visitors"], "counts": _counts(r["counts"])} for r in d["by_month"]],
            "staff": d["staff"],
            "rankings": [{"key": rk.key, "title": rk.title, "higher_is_better": rk.higher_is_better, "minimum": minimum,
                          "ranked": rk.ranked, "unranked": rk.unranked} for rk in ranks],
            "rates": d["rates"],
            "workload": None if d["workload"] is None else [
                {"unit": name, "staff": staff, "handled": handled, "top30_share": share} for name, staff, handled, share in d["workload"]["rows"]],
        }
        return Response(DashboardSerializer(data).data)
