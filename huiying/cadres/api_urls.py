"""Endpoints of huiying.cadres under /api/v1/ (mounted in huiying/api/urls.py, inside the
"api" namespace)."""
from django.urls import path

from . import api

urlpatterns = [
    path("cadre-visits", api.VisitListCreate.as_view(), name="cadres-visits"),
    path("cadre-visits/<int:visit>", api.VisitDetail.as_view(), name="cadres-visit"),
    path("cadre-visits/<int:visit>/cancel", api.VisitCancel.as_view(), name="cadres-cancel"),
    path("cadre-visits/<int:visit>/outcome", api.VisitOutcome.as_view(), name="cadres-outcome"),
]
