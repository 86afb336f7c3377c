"""Pages of huiying.dashboard (mounted in huiying/urls.py)."""
from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("units/<int:pk>/rankings/", views.ranking, name="rankings"),
    path("units/<int:pk>/workload/", views.workload, name="workload"),
]
