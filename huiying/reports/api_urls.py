"""Endpoints of huiying.reports under /api/v1/ (mounted in huiying/api/urls.py, inside the
\"api\" namespace)."""
from django.urls import path

from . import api

urlpatterns = [
    path("exports", api.Exports.as_view(), name="reports-exports"),
    path("exports/<int:job>", api.ExportDetail.as_view(), name="reports-export"),
    path("exports/<int:job>/file", api.ExportFile.as_view(), name="reports-export-file"),
    path("reports/monthly", api.MonthlyReport.as_view(), name="reports-monthly"),
]
