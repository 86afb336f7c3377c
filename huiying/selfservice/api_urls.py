"""Endpoints of huiying.selfservice under /api/v1/ (mounted in huiying/api/urls.py, inside the
"api" namespace)."""
from django.urls import path

from . import api
from .middleware import anonymous_sender

urlpatterns = [
    path("selfservice/units/<int:pk>/form", api.UnitForm.as_view(), name="selfservice-form"),
    path("selfservice/units/<int:pk>/concerns", api.Submit.as_view(), name="selfservice-submit"),
    path("selfservice/track", api.TrackProgress.as_view(), name="selfservice-track"),
    path("selfservice/track/rating", api.Rate.as_view(), name="selfservice-rate"),
    path("selfservice/units/<int:pk>/suggestions", anonymous_sender(api.Box.as_view()), name="selfservice-box"),
    path("selfservice/box/receipt", anonymous_sender(api.BoxAnswer.as_view()), name="selfservice-box-answer"),
    path("selfservice/inbox", api.Inbox.as_view(), name="selfservice-inbox"),
    # The suggestion's id goes in the body: these act on the inbox, not on a public object.
    path("selfservice/inbox/mark-read", api.SuggestionRead.as_view(), name="selfservice-inbox-read"),
    path("selfservice/inbox/reply", api.SuggestionAnswer.as_view(), name="selfservice-inbox-reply"),
    path("selfservice/inbox/register", api.SuggestionConcern.as_view(), name="selfservice-inbox-register"),
]
