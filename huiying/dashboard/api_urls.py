"""Endpoints of huiying.dashboard under /api/v1/ (mounted in huiying/api/urls.py, inside the
\"api\" namespace: name them \"dashboard-…\")."""
from django.urls import path  # noqa: F401

urlpatterns = []
