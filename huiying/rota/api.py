"""The duty roster over the API (/api/v1/units/{id}/roster…): read a month, generate it,
record a swap, set the rule and a part-time member's weekdays. The same services as the
page; a unit outside the reader's county is 404, a refused write 403 or 400 naming the field."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from huiying import access
from huiying.api.serializers.common import DateInput, UnitRefSerializer, UserRefSerializer, UsernameField
from huiying.api.views.base import ApiView
from huiying.core import clock

from . import selectors as sel
from . import services
from .models import DayKind

MONTH_HELP = "YYYY-MM (default: this month)."


class RosterMonthQuery(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False, help_text=MONTH_HELP)


class RosterRuleSerializer(serializers.Serializer):
    per_day = serializers.IntegerField(min_value=1, max_value=sel.MAX_PER_DAY, help_text="People on duty each day.")
    days = serializers.ChoiceField(choices=DayKind.choices, help_text="every_day, or workdays (China's official calendar, adjusted weekends included).")


class RosterSwapSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.DateField()
    from_user = UserRefSerializer()
    to_user = UserRefSerializer()
    reason = serializers.CharField()
    at = serializers.DateTimeField()


class RosterDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    duty_day = serializers.BooleanField(help_text="Whether the unit's rule puts anyone on duty that day.")
    on_duty = UserRefSerializer(many=True, source="people")
    swaps = RosterSwapSerializer(many=True)


class RosterSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    month = serializers.CharField()
    rule = RosterRuleSerializer()
    days = RosterDaySerializer(many=True)


class RosterGenerateInput(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM: this month (only the days after today are replaced) or a later one.")


class RosterGeneratedSerializer(serializers.Serializer):
    month = serializers.CharField()
    start = serializers.DateField(help_text="The first day replaced.")
    shifts = serializers.IntegerField()
    short_days = serializers.ListField(child=serializers.DateField(), help_text="Days with fewer people available than the rule asks for.")


class RosterSwapInput(serializers.Serializer):
    day = DateInput()
    from_user = UsernameField(max_length=150, help_text="Username of who hands the day over (on duty that day).")
    to_user = UsernameField(max_length=150, help_text="Username of who takes it (staff of the unit, available, not on duty that day).")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class RosterAvailabilityInput(serializers.Serializer):
    user = UsernameField(max_length=150, help_text="A part-time staff member of the unit.")
    weekdays = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), min_length=1, max_length=7, help_text="Monday = 0 … Sunday = 6.")


class RosterAvailabilitySerializer(serializers.Serializer):
    user = UserRefSerializer(source="membership.user")
    weekdays = serializers.ListField(child=serializers.IntegerField())


def _roster(unit, first):
    return {"unit": unit, "month": first.strftime("%Y-%m"), "rule": sel.rule_for(unit), "days": sel.month_roster(unit, first)}


def _input(serializer_class, request):
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


class Roster(ApiView):
    """A unit's duty roster (轮值表) for a month: every day with who is on duty and the swaps."""

    schema_tags = ["rota"]

    @extend_schema(operation_id="rota_roster", parameters=[RosterMonthQuery], responses=RosterSerializer)
    def get(self, request, pk: int):
        unit = access.unit_get(request.user, pk)
        q = RosterMonthQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        first = sel.parse_month(q.validated_data.get("month") or clock.today())
        return Response(RosterSerializer(_roster(unit, first)).data)


class Generate(ApiView):
    """Generate the month's rotation (staff of the unit or of a unit above it)."""

    schema_tags = ["rota"]

    @extend_schema(operation_id="rota_generate", request=RosterGenerateInput, responses=RosterGeneratedSerializer)
    def post(self, request, pk: int):
        unit = access.unit_get(request.user, pk)
        data = _input(RosterGenerateInput, request)
        result = services.roster_generate(actor=request.user, unit=unit, month=data["month"])
        return Response(RosterGeneratedSerializer({"month": result.month.strftime("%Y-%m"), "start": result.start, "shifts": result.shifts, "short_days": result.short_days}).data)


class SwapCreate(ApiView):
    """Record that one staff member hands a duty day to another (换班)."""

    schema_tags = ["rota"]

    @extend_schema(operation_id="rota_swap", request=RosterSwapInput, responses={201: RosterSwapSerializer})
    def post(self, request, pk: int):
        unit = access.unit_get(request.user, pk)
        data = _input(RosterSwapInput, request)
        swap = services.roster_swap(actor=request.user, unit=unit, **data)
        return Response(RosterSwapSerializer(swap).data, status=status.HTTP_201_CREATED)


class RuleSet(ApiView):
    """Set how many are on duty a day and on which days (applies at the next generation)."""

    schema_tags = ["rota"]

    @extend_schema(operation_id="rota_rule", request=RosterRuleSerializer, responses=RosterRuleSerializer)
    def post(self, request, pk: int):
        unit = access.unit_get(request.user, pk)
        rule = services.roster_rule_set(actor=request.user, unit=unit, **_input(RosterRuleSerializer, request))
        return Response(RosterRuleSerializer(rule).data)


class AvailabilitySet(ApiView):
    """Set the weekdays a part-time staff member serves (applies at the next generation)."""

    schema_tags = ["rota"]

    @extend_schema(operation_id="rota_availability", request=RosterAvailabilityInput, responses=RosterAvailabilitySerializer)
    def post(self, request, pk: int):
        unit = access.unit_get(request.user, pk)
        availability = services.availability_set(actor=request.user, unit=unit, **_input(RosterAvailabilityInput, request))
        return Response(RosterAvailabilitySerializer(availability).data)



