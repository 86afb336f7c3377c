"""Pages of huiying.board (mounted in huiying/urls.py)."""
from django.urls import path  # noqa: F401

app_name = "board"

urlpatterns = []
