"""Pages of huiying.registers (mounted in huiying/urls.py)."""
from django.urls import path  # noqa: F401

app_name = "registers"

urlpatterns = []
