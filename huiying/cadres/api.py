"""Cadres' visits over the API (/api/v1/cadre-visits…): list, book, read, cancel, record the
outcome — the page's services and selectors. An invisible visit, unit or concern is 404."""
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from huiying import access
from huiying.api.pagination import cursor
from huiying.api.serializers.common import DateInput, IdField, UnitRefSerializer, UserRefSerializer
from huiying.api.serializers.filters import validated_query
from huiying.api.views.base import ApiView, ListView
from huiying.concerns.models import Concern
from huiying.core import clock
from huiying.core.errors import NotFound
from huiying.network.models import Unit

from . import selectors as sel
from . import services
from .models import VisitStatus

REFERENCE = {"max_length": 24}


class CadreVisitConcernSerializer(serializers.Serializer):
    reference = serializers.CharField(source="concern.reference")
    summary = serializers.CharField(source="concern.summary")
    outcome = serializers.CharField(help_text="What the visit did about it (empty until recorded).")


class CadreVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRefSerializer()
    date = serializers.DateField()
    status = serializers.ChoiceField(choices=VisitStatus.choices)
    cadre = UserRefSerializer()
    cadre_unit = UnitRefSerializer()
    cadre_title = serializers.CharField()
    purpose = serializers.SerializerMethodField(help_text="Null when the visit serves a concern you may not see.")
    concerns = serializers.SerializerMethodField()
    summary = serializers.CharField(help_text="The outcome of the visit, once recorded.")
    cancel_reason = serializers.CharField()
    booked_at = serializers.DateTimeField()

    def get_purpose(self, visit) -> str | None:
        return sel.purpose_shown(self.context["request"].user, visit)

    @extend_schema_field(CadreVisitConcernSerializer(many=True))
    def get_concerns(self, visit):
        return CadreVisitConcernSerializer(sel.served(self.context["request"].user, visit), many=True).data


class CadreVisitFilter(serializers.Serializer):
    unit = IdField(required=False, help_text="Visits at this unit and the units below it.")
    upcoming = serializers.BooleanField(required=False, help_text="true: booked, today or later.")
    status = serializers.ChoiceField(choices=VisitStatus.choices, required=False)


class CadreVisitBookInput(serializers.Serializer):
    unit = IdField(help_text="The township center, village station or hamlet point visited.")
    date = DateInput(help_text="Today or later.")
    purpose = serializers.CharField(max_length=500, help_text="For the station's staff; never shown to the public.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text="Your post, shown to villagers with your unit (副局长).")
    concerns = serializers.ListField(child=serializers.CharField(**REFERENCE), required=False, max_length=20, help_text="References of the concerns you come for.")


class CadreVisitCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class CadreVisitOutcomeLine(serializers.Serializer):
    concern = serializers.CharField(help_text="A reference of a concern the visit came for.", **REFERENCE)
    text = serializers.CharField(max_length=2000)


class CadreVisitOutcomeInput(serializers.Serializer):
    summary = serializers.CharField(max_length=2000, help_text="What the visit did.")
    outcomes = CadreVisitOutcomeLine(many=True, required=False, max_length=20, help_text="One for each concern of the visit.")


def _detail(request, visit):
    return Response(CadreVisitSerializer(visit, context={"request": request}).data)


class VisitListCreate(ListView):
    """Cadres' visits (预约下站) in your part of the network; book one."""

    schema_tags = ["cadres"]
    serializer_class = CadreVisitSerializer
    pagination_class = cursor("-date", "-id")

    def get_queryset(self):
        f = validated_query(self.request, CadreVisitFilter)
        qs = sel.visible_visits(self.request.user)
        if "unit" in f:
            qs = sel.unit_visits(self.request.user, access.unit_get(self.request.user, f["unit"]))
        if f.get("upcoming"):
            qs = qs.filter(status=VisitStatus.BOOKED, date__gte=clock.today())
        if "status" in f:
            qs = qs.filter(status=f["status"])
        return qs

    @extend_schema(operation_id="cadres_visits", parameters=[CadreVisitFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(operation_id="cadres_book", request=CadreVisitBookInput, responses={201: CadreVisitSerializer})
    def post(self, request):
        ser = CadreVisitBookInput(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        unit = Unit.objects.filter(pk=data.pop("unit")).first()
        if unit is None:
            raise NotFound("unit")
        refs = list(dict.fromkeys(data.pop("concerns", [])))
        concerns = list(Concern.objects.filter(reference__in=refs))
        if len(concerns) != len(refs):
            raise NotFound("concerns")
        visit = services.cadre_visit_book(actor=request.user, unit=unit, concerns=concerns, **data)
        return Response(CadreVisitSerializer(visit, context={"request": request}).data, status=status.HTTP_201_CREATED)


class VisitDetail(ApiView):
    schema_tags = ["cadres"]

    @extend_schema(operation_id="cadres_visit", responses=CadreVisitSerializer)
    def get(self, request, visit: int):
        return _detail(request, sel.visit_get(request.user, visit))


class VisitCancel(ApiView):
    """Cancel a booked visit (the cadre, whoever booked it, the county HQ)."""

    schema_tags = ["cadres"]

    @extend_schema(operation_id="cadres_cancel", request=CadreVisitCancelInput, responses=CadreVisitSerializer)
    def post(self, request, visit: int):
        v = sel.visit_get(request.user, visit)
        ser = CadreVisitCancelInput(data=request.data)
        ser.is_valid(raise_exception=True)
        return _detail(request, services.cadre_visit_cancel(actor=request.user, visit=v, **ser.validated_data))


class VisitOutcome(ApiView):
    """Record the visit's outcome, one text per concern it served: each goes on that concern's timeline."""

    schema_tags = ["cadres"]

    @extend_schema(operation_id="cadres_outcome", request=CadreVisitOutcomeInput, responses=CadreVisitSerializer)
    def post(self, request, visit: int):
        v = sel.visit_get(request.user, visit)
        ser = CadreVisitOutcomeInput(data=request.data)
        ser.is_valid(raise_exception=True)
        lines = ser.validated_data.get("outcomes", [])
        ids = dict(Concern.objects.filter(reference__in=[x["concern"] for x in lines]).values_list("reference", "pk"))
        # A reference that names no concern becomes a key the service refuses as "not of this visit".
        outcomes = {ids.get(x["concern"], -i - 1): x["text"] for i, x in enumerate(lines)}
        return _detail(request, services.cadre_visit_record_outcome(actor=request.user, visit=v, summary=ser.validated_data["summary"], outcomes=outcomes))
