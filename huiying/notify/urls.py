"""Staff pages for text messages to villagers, mounted at /notifications/."""
from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/retry/", views.notification_retry, name="retry"),
]
