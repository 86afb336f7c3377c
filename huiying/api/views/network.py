"""The network, read-only: units, the unit tree, hamlets."""
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from huiying import access
from huiying.core.errors import NotFound
from huiying.network.models import Level
from huiying.network.selectors import subtree_q

from .. import selectors
from ..pagination import cursor
from ..serializers.filters import HamletFilter, UnitFilter, UnitTreeFilter, validated_query
from ..serializers.network import HamletSerializer, UnitDetailSerializer, UnitSerializer, UnitTreeSerializer
from .base import ApiView, DetailView, ListView


class UnitList(ListView):
    """Units of your county (every county, for a superuser), filtered."""

    schema_tags = ["network"]
    serializer_class = UnitSerializer
    pagination_class = cursor("id")

    def get_queryset(self):
        f = validated_query(self.request, UnitFilter)
        qs = selectors.visible_units(self.request.user)
        if "level" in f:
            qs = qs.filter(level=f["level"])
        if "parent" in f:
            qs = qs.filter(parent_id=f["parent"])
        if "q" in f:
            qs = qs.filter(Q(name__icontains=f["q"]) | Q(code__startswith=f["q"]))
        return qs

    @extend_schema(parameters=[UnitFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class UnitDetail(DetailView):
    schema_tags = ["network"]
    serializer_class = UnitDetailSerializer

    def get_object(self):
        unit = access.unit_get(self.request.user, self.kwargs["pk"])
        unit.ancestors_list = unit.ancestors()
        return unit


class UnitTree(ApiView):
    """The network as a tree: your county HQ (or `root`) and every unit below it."""

    schema_tags = ["network"]

    @extend_schema(parameters=[UnitTreeFilter], responses=UnitTreeSerializer(many=True))
    def get(self, request):
        f = validated_query(request, UnitTreeFilter)
        units = selectors.visible_units(request.user)
        if "root" in f:
            roots = list(units.filter(pk=f["root"]))
            if not roots:
                raise NotFound("root")
        else:
            roots = list(units.filter(level=Level.COUNTY))
        by_parent: dict[int, list] = {}
        for root in roots:
            for unit in units.filter(subtree_q(root)).exclude(pk=root.pk).order_by("id"):
                by_parent.setdefault(unit.parent_id, []).append(unit)
        # Departments hang off the county HQ; subtree_q of a county covers them too.
        for unit in [*roots, *(u for children in by_parent.values() for u in children)]:
            unit.tree_children = by_parent.get(unit.id, [])
        return Response(UnitTreeSerializer(roots, many=True).data)


class HamletList(ListView):
    """Hamlets (屯) of your county, where villagers live."""

    schema_tags = ["network"]
    serializer_class = HamletSerializer
    pagination_class = cursor("id")

    def get_queryset(self):
        f = validated_query(self.request, HamletFilter)
        qs = selectors.visible_hamlets(self.request.user).select_related("village", "point")
        if "village" in f:
            qs = qs.filter(village_id=f["village"])
        if "q" in f:
            qs = qs.filter(Q(name__icontains=f["q"]) | Q(code__startswith=f["q"]))
        return qs

    @extend_schema(parameters=[HamletFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class HamletDetail(DetailView):
    schema_tags = ["network"]
    serializer_class = HamletSerializer

    def get_object(self):
        hamlet = selectors.visible_hamlets(self.request.user).select_related("village", "point").filter(pk=self.kwargs["pk"]).first()
        if hamlet is None:
            raise NotFound("hamlet")
        return hamlet
