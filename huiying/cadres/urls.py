"""Pages of huiying.cadres (mounted at /cadre-visits/ in huiying/urls.py)."""
from django.urls import path

from . import views

app_name = "cadres"

urlpatterns = [
    path("units/<int:pk>/", views.unit_list, name="list"),
    path("units/<int:pk>/book/", views.book, name="book"),
    path("<int:visit>/outcome/", views.outcome, name="outcome"),
    path("<int:visit>/cancel/", views.cancel, name="cancel"),
]
