"""Endpoints of huiying.supervision under /api/v1/ (mounted in huiying/api/urls.py, inside the
\"api\" namespace: name them \"supervision-…\")."""
from django.urls import path  # noqa: F401

urlpatterns = []
