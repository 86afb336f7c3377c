"""`GET /api/v1/units/<pk>/print/<kind>`: a printable as application/pdf, with the same
access and parameters as the web's downloads and `huiying print` (`printables.make`)."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny

from huiying.api.views.base import ApiView
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Unit

from . import printables, views

# The API's names for the printables: those of `huiying print`.
API_KINDS = {"card": "card", "cards": "cards", "poster": "poster", "roster": "roster", "records": "records", "workflow": "workflow"}

API_FIELDS = {"from": "date_from", "to": "date_to"}


class PrintParams(serializers.Serializer):
    # Plain strings: `printables.make` reads them, so a bad value gets the same message
    # (naming the same field) on the web, in the API and on the command line.
    staff = serializers.CharField(required=False, help_text="card: the username of one staff member of the unit (their card).")
    date_from = serializers.CharField(required=False, help_text="poster, records: first day, YYYY-MM-DD (default: the first of this month).")
    date_to = serializers.CharField(required=False, help_text="poster, records: last day, YYYY-MM-DD (default: today). At most a year.")
    month = serializers.CharField(required=False, help_text="roster: the month, YYYY-MM (default: this month).")


class UnitPrintable(ApiView):
    """A unit's printable as a PDF. `card`, `poster` and `workflow` are public (no
    credentials needed); `cards` and `roster` need a place in the unit's county network,
    `records` a reader of the unit's record book. Not visible: 404."""

    schema_tags = ["printing"]
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[PrintParams, OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(API_KINDS))],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk: int, kind: str):
        name = API_KINDS.get(kind)
        unit = Unit.objects.filter(pk=pk).first()
        if name is None or unit is None:
            raise NotFound("unit" if name else "kind")
        staff = request.query_params.get("staff") if name == "card" else None
        if staff:
            name = "staff_card"
        if name not in printables.PUBLIC_KINDS and not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        try:
            printable = printables.make(name, viewer=request.user, unit=unit, base_url=views.base_url(request), params=request.query_params, username=staff)
        except NotFound:
            raise
        except ServiceError as e:  # named as this API's parameters are
            raise ServiceError(API_FIELDS.get(e.field, e.field), e.text, code=e.code) from None
        return views.pdf_response(printable)
