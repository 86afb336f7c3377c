"""Endpoints of huiying.registers under /api/v1/ (mounted in huiying/api/urls.py, inside the
\"api\" namespace)."""
from django.urls import path

from . import api

urlpatterns = [
    path("registers/template", api.Template.as_view(), name="registers-template"),
    path("registers/uploads", api.Uploads.as_view(), name="registers-uploads"),
    path("registers/uploads/<int:upload>", api.UploadDetail.as_view(), name="registers-upload"),
    path("registers/uploads/<int:upload>/confirm", api.Confirm.as_view(), name="registers-confirm"),
]
