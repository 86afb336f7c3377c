"""Pages of huiying.printing (mounted in huiying/urls.py)."""
from django.urls import path  # noqa: F401

app_name = "printing"

urlpatterns = []
