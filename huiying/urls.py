from django.contrib import admin
from django.urls import path
from django.views.generic import TemplateView

admin.site.site_header = admin.site.site_title = "回应 huiying"

urlpatterns = [
    path("", TemplateView.as_view(template_name="core/home.html"), name="home"),
    path("admin/", admin.site.urls),
]
