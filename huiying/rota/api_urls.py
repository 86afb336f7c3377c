"""Endpoints of huiying.rota under /api/v1/ (mounted in huiying/api/urls.py, inside the
"api" namespace)."""
from django.urls import path

from . import api

urlpatterns = [
    path("units/<int:pk>/roster", api.Roster.as_view(), name="rota-roster"),
    path("units/<int:pk>/roster/generate", api.Generate.as_view(), name="rota-generate"),
    path("units/<int:pk>/roster/swaps", api.SwapCreate.as_view(), name="rota-swap"),
    path("units/<int:pk>/roster/rule", api.RuleSet.as_view(), name="rota-rule"),
    path("units/<int:pk>/roster/availability", api.AvailabilitySet.as_view(), name="rota-availability"),
]
