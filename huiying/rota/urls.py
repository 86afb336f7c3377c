"""Pages of huiying.rota (mounted at /rota/ in huiying/urls.py)."""
from django.urls import path

from . import views

app_name = "rota"

urlpatterns = [
    path("units/<int:pk>/", views.unit_now, name="unit"),
    path("units/<int:pk>/<str:month>/", views.unit_month, name="unit_month"),
    path("units/<int:pk>/<str:month>/generate/", views.generate, name="generate"),
    path("units/<int:pk>/<str:month>/swap/", views.swap, name="swap"),
    path("units/<int:pk>/<str:month>/rule/", views.rule, name="rule"),
    path("units/<int:pk>/<str:month>/availability/", views.availability, name="availability"),
]
