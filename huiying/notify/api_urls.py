"""Endpoints of huiying.notify under /api/v1/ (mounted in huiying/api/urls.py, inside the
"api" namespace)."""
from django.urls import path

from huiying.api import converters  # noqa: F401  (registers <reference:…>)

from . import api

urlpatterns = [
    path("concerns/<reference:reference>/notifications", api.ConcernNotifications.as_view(), name="notify-concern-notifications"),
    path("notifications/<int:notification>/retry", api.NotificationRetry.as_view(), name="notify-retry"),
]
