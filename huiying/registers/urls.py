"""Pages of huiying.registers (mounted at /registers/ in huiying/urls.py)."""
from django.urls import path

from . import views

app_name = "registers"

urlpatterns = [
    path("", views.index, name="index"),
    path("template.xlsx", views.template_download, name="template"),
    path("<int:pk>/", views.upload_detail, name="upload"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
