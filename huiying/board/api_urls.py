"""Endpoints of huiying.board under /api/v1/ (mounted in huiying/api/urls.py, inside the
\"api\" namespace: name them \"board-…\")."""
from django.urls import path  # noqa: F401

urlpatterns = []
