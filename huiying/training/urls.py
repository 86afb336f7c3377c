"""Pages of huiying.training (mounted in huiying/urls.py under /training/): cascaded
training, and the workload pages (which live here so that their strings stay in this app's
catalogue)."""
from django.urls import path

from . import views_workload

app_name = "training"

urlpatterns = [
    path("workload/", views_workload.mine, name="workload_mine"),
    path("workload/<int:pk>/", views_workload.unit_page, name="workload"),
]
