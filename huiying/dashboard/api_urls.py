"""Endpoints of huiying.dashboard under /api/v1/ (mounted in huiying/api/urls.py, inside the
"api" namespace)."""
from django.urls import path

from . import api

urlpatterns = [
    path("units/<int:pk>/dashboard", api.UnitDashboard.as_view(), name="dashboard-unit"),
]
