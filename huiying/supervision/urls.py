"""Pages of huiying.supervision (mounted under /supervision/ in huiying/urls.py)."""
from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.supervisor_home, name="home"),
    path("rate/<str:reference>/", views.rate, name="rate"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("units/<int:pk>/supervisors/", views.unit_supervisors, name="unit_supervisors"),
    path("units/<int:pk>/rates/", views.unit_rates, name="unit_rates"),
]
