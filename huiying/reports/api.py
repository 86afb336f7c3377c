"""API of the exports: create an export job (the register with the queue page's filters, or
the dashboard tables of a unit and period), read its status, download its file (its owner
only); and the monthly report PDF."""
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from huiying import access
from huiying.api.views.base import ApiView
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Unit

from . import monthly, services
from .forms import parse_month
from .models import ExportJob, ExportKind, ExportStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportJobSerializer(serializers.ModelSerializer):
    what = serializers.ChoiceField(choices=ExportKind.choices, source="kind", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "what", "params", "status", "done", "total", "percent", "error", "filename", "expired", "created_at", "finished_at", "download"]

    def get_download(self, job) -> str | None:
        return reverse("api:reports-export-file", args=[job.pk]) if job.status == ExportStatus.DONE and not job.expired else None


class ExportInput(serializers.Serializer):
    what = serializers.ChoiceField(choices=ExportKind.choices)
    filters = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict,
                                    help_text="register: the queue page's query parameters (q, state, track, function, channel, unit, date_from, date_to, overdue, queue).")
    unit = serializers.IntegerField(required=False, help_text="dashboard: the unit's id")
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class Exports(ApiView):
    """Start an export. The dashboard tables and a small register are written at once (status
    done); a register over HUIYING_EXPORT_STREAM_MAX_ROWS is queued for the worker: poll
    its status until `download` is set."""

    schema_tags = ["exports"]

    @extend_schema(request=ExportInput, responses={201: ExportJobSerializer})
    def post(self, request):
        ser = ExportInput(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if d["what"] == ExportKind.REGISTER:
            job = services.export_register_create(actor=request.user, params=d["filters"])
        else:
            missing = [k for k in ("unit", "date_from", "date_to") if k not in d]
            if missing:
                raise ServiceError(missing[0], _("This field is required."), code="required")
            unit = Unit.objects.filter(pk=d["unit"]).first()
            if unit is None:
                raise NotFound("unit")
            job = services.export_dashboard_create(actor=request.user, unit=unit, date_from=d["date_from"], date_to=d["date_to"])
        job = services.export_start(job)
        return Response(ExportJobSerializer(job).data, status=status.HTTP_201_CREATED)


class ExportDetail(ApiView):
    schema_tags = ["exports"]

    @extend_schema(responses=ExportJobSerializer)
    def get(self, request, job: int):
        return Response(ExportJobSerializer(services.export_get(request.user, job)).data)


class ExportFile(ApiView):
    schema_tags = ["exports"]

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request, job: int):
        job = services.export_get(request.user, job)
        path = services.export_path(job)
        if path is None:
            raise NotFound("export")
        response = FileResponse(path.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX)
        response["Cache-Control"] = "private, no-store"
        return response


class MonthlyReport(ApiView):
    """The monthly report of a unit as a PDF."""

    schema_tags = ["exports"]

    @extend_schema(parameters=[OpenApiParameter("unit", int, required=True), OpenApiParameter("month", str, required=True, description="YYYY-MM")],
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request):
        month = parse_month(request.query_params.get("month", ""))
        if month is None:
            raise ServiceError("month", _("Give the month as YYYY-MM."))
        try:
            unit = Unit.objects.filter(pk=int(request.query_params.get("unit", ""))).first()
        except ValueError:
            unit = None
        if unit is None or not access.can_see_unit(request.user, unit):
            raise NotFound("unit")
        return HttpResponse(monthly.monthly_pdf(request.user, unit, month), content_type="application/pdf")
