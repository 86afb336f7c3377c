"""API of the paper-register import: the template, an upload (checked at once: ready, or
every error by row and column) and its confirmation (the import, all or nothing)."""
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from huiying.api.views.base import ApiView
from huiying.core.errors import NotFound
from huiying.network.models import Unit

from . import services
from .models import RegisterUpload
from .template import template_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="the spreadsheet's row number (header = 1; 0 = the file as a whole)")
    column = serializers.CharField(help_text="the column's header as written in the file")
    message = serializers.CharField()


class SummarySerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    visits = serializers.IntegerField()
    concerns = serializers.IntegerField()
    villagers = serializers.IntegerField()
    dry_run = serializers.BooleanField()


class UploadSerializer(serializers.ModelSerializer):
    errors = RowErrorSerializer(many=True)
    summary = SummarySerializer(allow_null=True, source="summary_or_none")

    class Meta:
        model = RegisterUpload
        fields = ["id", "unit", "filename", "status", "errors", "summary", "created_at", "imported_at"]


class UploadInput(serializers.Serializer):
    unit = serializers.IntegerField(help_text="the unit's id")
    file = serializers.FileField(help_text="the filled-in template, .xlsx or CSV")


class Template(ApiView):
    schema_tags = ["registers"]

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request):
        response = HttpResponse(template_bytes(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="register-template.xlsx"'
        return response


class Uploads(ApiView):
    """Upload a register: every row is checked, nothing is imported yet."""

    schema_tags = ["registers"]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": UploadInput}, responses={201: UploadSerializer})
    def post(self, request):
        ser = UploadInput(data=request.data)
        ser.is_valid(raise_exception=True)
        unit = Unit.objects.filter(pk=ser.validated_data["unit"]).first()
        if unit is None:
            raise NotFound("unit")
        f = ser.validated_data["file"]
        upload = services.register_upload(actor=request.user, unit=unit, data=f.read(), filename=f.name)
        return Response(UploadSerializer(upload).data, status=status.HTTP_201_CREATED)


class UploadDetail(ApiView):
    schema_tags = ["registers"]

    @extend_schema(responses=UploadSerializer)
    def get(self, request, upload: int):
        return Response(UploadSerializer(services.register_upload_get(request.user, upload)).data)


class Confirm(ApiView):
    """Import a checked upload (status becomes imported), or — if the network changed since
    the check — nothing, with the new errors (status invalid)."""

    schema_tags = ["registers"]

    @extend_schema(request=None, responses=UploadSerializer)
    def post(self, request, upload: int):
        done = services.register_confirm(actor=request.user, upload=services.register_upload_get(request.user, upload))
        return Response(UploadSerializer(done).data)
