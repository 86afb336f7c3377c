"""Concerns: the list (the web's queues and filters, cursor-paginated), one concern, and
registration. Every read starts from `huiying.access`; an invisible concern is a 404."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from huiying import access
from huiying.concerns import queues
from huiying.concerns import selectors as cq
from huiying.concerns import services as cs
from huiying.core import clock
from huiying.core.errors import ServiceError
from huiying.network.models import STAFF_ROLES

from .. import selectors
from ..idempotency import idempotent
from ..pagination import cursor
from ..serializers.concerns import ConcernDetailSerializer, ConcernListSerializer
from ..serializers.filters import ConcernFilter, validated_query
from ..serializers.intake import ConcernRegisterSerializer
from .base import DetailView, ListCreateView
from .intake import IDEMPOTENCY_PARAM


def filtered_concerns(user, f: dict):
    """The web app's list (huiying.concerns.queues) with the same filters and search; the
    home page's "mine" and "due soon" lists from its selectors; then `pending` and `handler`."""
    today = clock.today()
    unit = None
    if "unit" in f:
        unit = selectors.visible_units(user).filter(pk=f["unit"]).first()
        if unit is None or not access.unit_in_reach(user, unit):
            raise ServiceError("unit", _("Choose a unit in your part of the network."))
    web = queues.Filters(
        q=f.get("q", ""), state=f.get("state", ""), track=f.get("track", ""), function=f.get("function", ""), channel=f.get("channel", ""),
        unit=unit, date_from=f.get("date_from"), date_to=f.get("date_to"), overdue_only=f.get("overdue", False),
    )
    qs = queues.filtered_concerns(user, web, today=today)
    queue = f.get("queue", queues.ALL)
    if queue == "mine":
        qs = qs.filter(pk__in=cq.my_concerns(user).values("pk"))
    elif queue == "due_soon":
        qs = qs.filter(pk__in=cq.due_soon(user, access.units_user_acts_in(user, roles=STAFF_ROLES), today=today).values("pk"))
    else:
        qs = qs.filter(queues.queue_q(user, queue, today=today))
    if "pending" in f:
        qs = qs.filter(outcome="") if f["pending"] else qs.exclude(outcome="")
    if "handler" in f:
        qs = qs.filter(handler__username=f["handler"])
    return qs.select_related("received_unit", "handling_unit", "handler")


def concern_detail(user, concern):
    """One concern with everything its page shows (a single reader for detail and steps).

    After a step, the concern may have left what `user` sees (a confidential one escalated
    past them): they still get the result of their own step, with no actions offered."""
    found = (
        access.visible_concerns(user).filter(pk=concern.pk)
        .select_related("received_unit", "handling_unit", "handler", "registered_by", "hamlet__village", "merged_into")
        .prefetch_related("villagers", "mediation_sessions", "documents", "appointments__unit", "extensions", "ratings",
                          "escalations__from_unit", "escalations__to_unit", "escalations__by",
                          "transfers__from_unit", "transfers__to_unit", "transfers__by")
        .first()
    )
    if found is None:
        concern.refresh_from_db()
        return concern
    return found


class ConcernListCreate(ListCreateView):
    """Concerns you may see — filtered like the web's lists — and registration (受理登记)."""

    schema_tags = ["concerns"]
    serializer_class = ConcernListSerializer
    pagination_class = cursor("-received_at", "-id")

    def get_queryset(self):
        return filtered_concerns(self.request.user, validated_query(self.request, ConcernFilter))

    @extend_schema(parameters=[ConcernFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ConcernRegisterSerializer, responses={201: ConcernDetailSerializer}, parameters=[IDEMPOTENCY_PARAM])
    @idempotent
    def post(self, request):
        ser = ConcernRegisterSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        concern = cs.concern_register(actor=request.user, **ser.validated_data)
        return Response(ConcernDetailSerializer(concern_detail(request.user, concern), context={"request": request}).data, status=status.HTTP_201_CREATED)


class ConcernDetail(DetailView):
    """One concern: its record, its version, and the steps you may take now."""

    schema_tags = ["concerns"]
    serializer_class = ConcernDetailSerializer
    lookup_field = "reference"

    def get_object(self):
        concern = access.concern_get(self.request.user, reference=self.kwargs["reference"])
        return concern_detail(self.request.user, concern)
