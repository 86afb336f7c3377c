"""/api/v1/ (REST, with its OpenAPI document and browsable docs) and /open311/v2/."""
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import converters  # noqa: F401  (registers <reference:…>)
from .views import actions, attachments, base, concerns, intake, joining, network, records, stats, tokens

app_name = "api"

v1 = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("me", tokens.Me.as_view(), name="me"),
    path("tokens", tokens.TokenListCreate.as_view(), name="tokens"),
    path("tokens/<int:pk>", tokens.TokenRevoke.as_view(), name="token"),
    path("units", network.UnitList.as_view(), name="units"),
    path("units/tree", network.UnitTree.as_view(), name="unit-tree"),
    path("units/<int:pk>", network.UnitDetail.as_view(), name="unit"),
    path("units/<int:pk>/records", records.UnitRecords.as_view(), name="unit-records"),
    path("hamlets", network.HamletList.as_view(), name="hamlets"),
    path("hamlets/<int:pk>", network.HamletDetail.as_view(), name="hamlet"),
    path("villagers", intake.VillagerListCreate.as_view(), name="villagers"),
    path("villagers/<int:pk>", intake.VillagerDetail.as_view(), name="villager"),
    path("visits", intake.VisitListCreate.as_view(), name="visits"),
    path("visits/<int:pk>", intake.VisitDetail.as_view(), name="visit"),
    path("concerns", concerns.ConcernListCreate.as_view(), name="concerns"),
    path("concerns/<reference:reference>", concerns.ConcernDetail.as_view(), name="concern"),
    *actions.urlpatterns,
    path("concerns/<reference:reference>/join", joining.ConcernJoin.as_view(), name="concern-join"),
    path("concerns/<reference:reference>/attachments", attachments.AttachmentUpload.as_view(), name="concern-attachments"),
    path("concerns/<reference:reference>/attachments/<int:pk>", attachments.AttachmentDownload.as_view(), name="concern-attachment"),
    path("stats", stats.Stats.as_view(), name="stats"),
    # Each part of the domain mounts its own endpoints (names "<app>-…").
    path("", include("huiying.board.api_urls")),
    path("", include("huiying.selfservice.api_urls")),
    path("", include("huiying.printing.api_urls")),
    path("", include("huiying.supervision.api_urls")),
    path("", include("huiying.rota.api_urls")),
    path("", include("huiying.cadres.api_urls")),
    path("", include("huiying.training.api_urls")),
    path("", include("huiying.dashboard.api_urls")),
    path("", include("huiying.reports.api_urls")),
    path("", include("huiying.registers.api_urls")),
    path("", include("huiying.notify.api_urls")),
]

urlpatterns = [
    path("api/v1/", include(v1)),
    # Anything else under /api/v1/ (an id that is not a number, a typo) is a JSON 404 too.
    re_path(r"^api/v1/", base.not_found),
    path("open311/v2/", include("huiying.api.open311.urls")),
]
