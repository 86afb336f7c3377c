"""Endpoints of huiying.supervision under /api/v1/ (mounted in huiying/api/urls.py, inside the
"api" namespace: named "supervision-…")."""
from django.urls import path

from . import api

urlpatterns = [
    path("supervision/units/<int:pk>/supervisors", api.UnitSupervisors.as_view(), name="supervision-supervisors"),
    path("supervision/units/<int:pk>/rates", api.UnitRates.as_view(), name="supervision-rates"),
    path("supervision/concerns/<reference:reference>/ratings", api.ConcernRate.as_view(), name="supervision-rate"),
    path("supervision/ratings", api.MyRatings.as_view(), name="supervision-ratings"),
    path("supervision/reviews", api.Reviews.as_view(), name="supervision-reviews"),
    path("supervision/reviews/<int:review>/close", api.ReviewClose.as_view(), name="supervision-review-close"),
]
