"""Endpoints of huiying.printing under /api/v1/ (mounted in huiying/api/urls.py, inside the
"api" namespace)."""
from django.urls import path

from .api import UnitPrintable

urlpatterns = [
    path("units/<int:pk>/print/<str:kind>", UnitPrintable.as_view(), name="printing-unit"),
]
