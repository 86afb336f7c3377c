from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

admin.site.site_header = admin.site.site_title = "回应 huiying"

urlpatterns = [
    path("", include("huiying.web.urls")),
    path("", include("huiying.api.urls")),
    path("p/", include("huiying.board.urls")),
    path("", include("huiying.selfservice.urls")),
    path("print/", include("huiying.printing.urls")),
    path("supervision/", include("huiying.supervision.urls")),
    path("rota/", include("huiying.rota.urls")),
    path("cadre-visits/", include("huiying.cadres.urls")),
    path("training/", include("huiying.training.urls")),
    path("dashboard/", include("huiying.dashboard.urls")),
    path("exports/", include("huiying.reports.urls")),
    path("registers/", include("huiying.registers.urls")),
    path("notifications/", include("huiying.notify.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]
