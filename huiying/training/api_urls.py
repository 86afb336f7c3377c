"""Endpoints of huiying.training under /api/v1/ (mounted in huiying/api/urls.py, inside the
\"api\" namespace: name them \"training-…\")."""
from django.urls import path  # noqa: F401

urlpatterns = []
