"""Pages of huiying.reports (mounted at /exports/ in huiying/urls.py)."""
from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("register/", views.register_export, name="register"),
    path("dashboard/", views.dashboard_export, name="dashboard"),
    path("monthly/", views.monthly_report, name="monthly"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
    path("<int:pk>/download/", views.download, name="download"),
]
