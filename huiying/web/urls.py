from django.contrib.auth import views as auth_views
from django.urls import path

from .views import concern, home, intake, queues, units

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Reception and registration on one screen, and its HTMX helpers.
    path("reception/", intake.reception, name="reception"),
    path("reception/villagers/", intake.villager_search, name="villager_search"),
    path("reception/villagers/new/", intake.villager_new, name="villager_new"),
    path("reception/villagers/pick/", intake.villager_pick, name="villager_pick"),
    path("reception/block/", intake.concern_block, name="reception_block"),
    path("reception/receipt/", intake.receipt, name="reception_receipt"),
    path("reception/similar/", intake.similar, name="similar"),
    path("reception/suggest-track/", intake.suggest_track, name="suggest_track"),
    # Concerns: queues and search, the concern page, its actions and attachments.
    path("concerns/", queues.concern_list, name="concerns"),
    path("concerns/<str:reference>/", concern.detail, name="concern"),
    path("concerns/<str:reference>/act/<str:action>/", concern.act, name="concern_act"),
    path("concerns/<str:reference>/attachments/<int:pk>/", concern.attachment, name="attachment"),
    # Units: profile, workflow chart, record book.
    path("units/<int:pk>/", units.detail, name="unit"),
    path("units/<int:pk>/workflow/", units.workflow_chart, name="unit_workflow"),
    path("units/<int:pk>/workflow.svg", units.workflow_svg, name="unit_workflow_svg"),
    path("units/<int:pk>/records/", units.record_book, name="unit_records"),
]
