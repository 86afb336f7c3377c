"""Reception and registration: villagers and visits (a visit may bring concerns)."""
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from huiying.concerns import services as cs
from huiying.core.errors import NotFound
from huiying.network.models import Level
from huiying.network.selectors import subtree_q

from .. import selectors
from ..idempotency import HEADER, idempotent
from ..pagination import cursor
from ..schema import IDEMPOTENCY_HEADER_DOC
from ..serializers.filters import VillagerFilter, VisitFilter, validated_query
from ..serializers.intake import VillagerCreateSerializer, VillagerSerializer, VisitCreateSerializer, VisitSerializer
from .base import DetailView, ListCreateView

IDEMPOTENCY_PARAM = OpenApiParameter(HEADER, str, OpenApiParameter.HEADER, required=False, description=IDEMPOTENCY_HEADER_DOC)


class VillagerListCreate(ListCreateView):
    """Search the villagers of the hamlets you serve; register a new one."""

    schema_tags = ["villagers"]
    serializer_class = VillagerSerializer
    pagination_class = cursor("-id")

    def get_queryset(self):
        f = validated_query(self.request, VillagerFilter)
        qs = selectors.visible_villagers(self.request.user).select_related("hamlet__village")
        if "q" in f:
            q = f["q"].strip()
            qs = qs.filter(Q(name__icontains=q) | Q(initials__startswith=q.lower()) | Q(phone__startswith=q))
        if "hamlet" in f:
            qs = qs.filter(hamlet_id=f["hamlet"])
        if "id_number" in f:
            qs = qs.filter(id_number=f["id_number"].strip().upper())
        return qs

    @extend_schema(parameters=[VillagerFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=VillagerCreateSerializer, responses={201: VillagerSerializer}, parameters=[IDEMPOTENCY_PARAM])
    @idempotent
    def post(self, request):
        ser = VillagerCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        villager = cs.villager_create(actor=request.user, **ser.validated_data)
        return Response(VillagerSerializer(villager).data, status=status.HTTP_201_CREATED)


class VillagerDetail(DetailView):
    schema_tags = ["villagers"]
    serializer_class = VillagerSerializer

    def get_object(self):
        villager = selectors.visible_villagers(self.request.user).select_related("hamlet__village").filter(pk=self.kwargs["pk"]).first()
        if villager is None:
            raise NotFound("villager")
        return villager


class VisitListCreate(ListCreateView):
    """Visits (receptions, 热情接待) at your units; log one with the concerns it brought."""

    schema_tags = ["visits"]
    serializer_class = VisitSerializer
    pagination_class = cursor("-visited_at", "-id")

    def get_queryset(self):
        f = validated_query(self.request, VisitFilter)
        qs = selectors.visible_visits(self.request.user).select_related("unit", "staff").prefetch_related("villagers")
        if "unit" in f:
            unit = selectors.visible_units(self.request.user).filter(pk=f["unit"]).first()
            # Nothing is received at a department, so no visit is under one.
            qs = qs.filter(subtree_q(unit)) if unit is not None and unit.level != Level.DEPARTMENT else qs.none()
        return selectors.in_period(qs, "visited_at", f.get("date_from"), f.get("date_to"))

    @extend_schema(parameters=[VisitFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer}, parameters=[IDEMPOTENCY_PARAM])
    @idempotent
    def post(self, request):
        ser = VisitCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["concerns"] = [dict(c) for c in data.get("concerns", [])]
        visit = cs.visit_log(actor=request.user, **data)
        return Response(VisitSerializer(visit, context={"request": request}).data, status=status.HTTP_201_CREATED)


class VisitDetail(DetailView):
    schema_tags = ["visits"]
    serializer_class = VisitSerializer

    def get_object(self):
        visit = selectors.visible_visits(self.request.user).select_related("unit", "staff").filter(pk=self.kwargs["pk"]).first()
        if visit is None:
            raise NotFound("visit")
        return visit
