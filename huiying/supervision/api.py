"""The REST endpoints of supervision (under /api/v1/supervision/, names "supervision-…"):
a unit's supervisors (list, register), a supervisor's rating, my ratings, the reviews
(list, close) and a unit's three rates. Views hold no rules: the services and selectors do."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from huiying import access
from huiying.api.pagination import cursor
from huiying.api.serializers.common import UnitRefSerializer, UserRefSerializer
from huiying.api.views.base import ApiView, ListView
from huiying.concerns.models import Rating
from huiying.core.errors import NotFound
from huiying.network.models import Level, Unit

from . import rates, selectors, services
from .models import Decision, Kind

TAGS = ["supervision"]


class SupervisionConcernSerializer(serializers.Serializer):
    reference = serializers.CharField()
    summary = serializers.CharField()
    state = serializers.CharField()


class SupervisorSerializer(serializers.Serializer):
    user = UserRefSerializer()
    unit = UnitRefSerializer()
    kind = serializers.SerializerMethodField()

    def get_kind(self, m) -> str | None:
        profile = getattr(m, "supervisor", None)
        return profile.kind if profile else None


class SupervisorInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Kind.choices)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class SupervisorRatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    concern = SupervisionConcernSerializer()
    rater = UserRefSerializer()
    unit = UnitRefSerializer()
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField()
    at = serializers.DateTimeField()
    round = serializers.IntegerField()


class RatingInput(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(max_length=2000)


class SupervisionReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    concern = SupervisionConcernSerializer()
    round = serializers.IntegerField()
    unit = UnitRefSerializer()
    rating = SupervisorRatingSerializer()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    closed_by = UserRefSerializer(allow_null=True)
    decision = serializers.CharField(help_text="upheld, rework, or empty while open")
    reason = serializers.CharField()


class ReviewFilter(serializers.Serializer):
    open = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="true: open reviews; false: closed; absent: both.")


class ReviewCloseInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField(max_length=2000)


class SupervisionRateSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True, help_text="numerator / denominator in [0, 1]; null when too few")
    too_few = serializers.BooleanField()


class SupervisionUnitRatesSerializer(serializers.Serializer):
    response = SupervisionRateSerializer()
    resolution = SupervisionRateSerializer()
    satisfaction = SupervisionRateSerializer()
    rated_concerns = serializers.IntegerField()


class SupervisionUnitRatesRowSerializer(SupervisionUnitRatesSerializer):
    unit = UnitRefSerializer()


class SupervisionRatesSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    rates = SupervisionUnitRatesSerializer()
    below = SupervisionUnitRatesRowSerializer(many=True, help_text="Every unit of the level below, with its rates.")
    definitions = serializers.DictField(child=serializers.CharField())


class RatesFilter(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="Default: 1 January of this year.")
    end = serializers.DateField(required=False, help_text="Default: today.")

    def validate(self, data):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise serializers.ValidationError({"end": [_("The end comes before the start.")]})
        return data


def _valid(serializer_class, data):
    ser = serializer_class(data=data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


class UnitSupervisors(ApiView):
    """A unit's supervisors (everyone in the county's network reads them); township center
    staff and the county HQ register new ones."""

    schema_tags = TAGS

    @extend_schema(operation_id="supervision_supervisors_list", responses=SupervisorSerializer(many=True))
    def get(self, request, pk: int):
        unit = access.unit_get(request.user, pk)
        return Response(SupervisorSerializer(selectors.unit_supervisors(unit), many=True).data)

    @extend_schema(operation_id="supervision_supervisors_register", request=SupervisorInput, responses={201: SupervisorSerializer})
    def post(self, request, pk: int):
        unit = access.unit_get(request.user, pk)
        data = _valid(SupervisorInput, request.data)
        s = services.supervisor_register(actor=request.user, unit=unit, **data)
        return Response(SupervisorSerializer(s.membership).data, status=201)


class ConcernRate(ApiView):
    """A supervisor rates a finished concern's result (dissatisfied opens a township review)."""

    schema_tags = TAGS

    @extend_schema(operation_id="supervision_rate", request=RatingInput, responses={201: SupervisorRatingSerializer})
    def post(self, request, reference: str):
        concern = access.concern_get(request.user, reference=reference)
        data = _valid(RatingInput, request.data)
        r = services.supervision_rate(actor=request.user, concern=concern, **data)
        return Response(SupervisorRatingSerializer(r).data, status=201)


class MyRatings(ListView):
    """The ratings I gave, newest first."""

    schema_tags = TAGS
    serializer_class = SupervisorRatingSerializer
    pagination_class = cursor("-id")

    def get_queryset(self):
        return selectors.my_ratings(self.request.user).select_related("rater", "unit")


class Reviews(ListView):
    """Reviews of the units I review for (township center staff: their township; a county
    commander: the county)."""

    schema_tags = TAGS
    serializer_class = SupervisionReviewSerializer
    pagination_class = cursor("-id")

    @extend_schema(parameters=[ReviewFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        f = _valid(ReviewFilter, self.request.query_params)
        return selectors.reviews(self.request.user, open=f.get("open"))


class ReviewClose(ApiView):
    """Close a review: the result upheld, or sent back for rework (the concern goes back to
    on-site work)."""

    schema_tags = TAGS

    @extend_schema(operation_id="supervision_review_close", request=ReviewCloseInput, responses={200: SupervisionReviewSerializer})
    def post(self, request, review: int):
        review = selectors.review_get(request.user, review)
        data = _valid(ReviewCloseInput, request.data)
        review = services.supervision_review_close(actor=request.user, review=review, **data)
        return Response(SupervisionReviewSerializer(selectors.review_get(request.user, review.pk)).data)


def _unit_ref(unit: Unit) -> dict:
    return {"id": unit.id, "code": unit.code, "name": unit.name, "level": unit.level}


def _rates(r: rates.UnitRates) -> dict:
    rate = lambda x: {"numerator": x.numerator, "denominator": x.denominator, "value": x.value, "too_few": x.too_few}  # noqa: E731
    return {"response": rate(r.response), "resolution": rate(r.resolution), "satisfaction": rate(r.satisfaction), "rated_concerns": r.rated_concerns}


class UnitRates(ApiView):
    """The three rates of a unit's subtree for a period, and of every unit one level below
    (definitions in docs/statistics.md, and in `definitions`)."""

    schema_tags = TAGS

    @extend_schema(operation_id="supervision_rates", parameters=[RatesFilter], responses=SupervisionRatesSerializer)
    def get(self, request, pk: int):
        from huiying.core import clock

        unit = access.unit_get(request.user, pk)
        if not access.unit_in_reach(request.user, unit):
            raise NotFound("unit", _("No such unit."))
        f = _valid(RatesFilter, request.query_params)
        today = clock.today()
        start, end = f.get("start") or today.replace(month=1, day=1), f.get("end") or today
        if end < start:
            raise serializers.ValidationError({"start": [_("The end comes before the start.")]})
        below = rates.rates_by_unit(unit, start=start, end=end) if unit.level != Level.DEPARTMENT else {}
        units = {u.id: u for u in Unit.objects.filter(pk__in=below)}
        return Response({
            "unit": _unit_ref(unit), "start": start, "end": end, "rates": _rates(rates.unit_rates(unit, start=start, end=end)),
            "below": [{"unit": _unit_ref(units[pk]), **_rates(r)} for pk, r in below.items()],
            "definitions": {k: str(v) for k, v in rates.DEFINITIONS.items()},
        })
