"""Endpoints of huiying.selfservice under /api/v1/ (mounted in huiying/api/urls.py, inside the
"api" namespace)."""
from django.urls import path

from . import api
from .middleware import anonymous_sender

urlpatterns = [
    path("selfservice/challenge", api.Challenge.as_view(), name="selfservice-challenge"),
    path("selfservice/units/<int:pk>/hamlets", api.UnitHamlets.as_view(), name="selfservice-hamlets"),
    path("selfservice/units/<int:pk>/concerns", api.Submit.as_view(), name="selfservice-submit"),
    path("selfservice/track", api.TrackProgress.as_view(), name="selfservice-track"),
    path("selfservice/track/rating", api.Rate.as_view(), name="selfservice-rate"),
    path("selfservice/units/<int:pk>/suggestions", anonymous_sender(api.Box.as_view()), name="selfservice-box"),
    path("selfservice/suggestions/answer", anonymous_sender(api.BoxAnswer.as_view()), name="selfservice-box-answer"),
    path("selfservice/inbox", api.Inbox.as_view(), name="selfservice-inbox"),
    path("selfservice/suggestions/<int:pk>/read", api.SuggestionRead.as_view(), name="selfservice-suggestion-read"),
    path("selfservice/suggestions/<int:pk>/answer", api.SuggestionAnswer.as_view(), name="selfservice-suggestion-answer"),
    path("selfservice/suggestions/<int:pk>/concern", api.SuggestionConcern.as_view(), name="selfservice-suggestion-concern"),
]
