"""Public pages of a unit (no sign-in), mounted at /p/ in huiying/urls.py.

The URL names are a contract other parts use: contact cards' QR codes point at `board:unit`.
"""
from django.http import Http404
from django.urls import path

app_name = "board"


def _not_built_yet(request, **kwargs):  # replaced by the board's views
    raise Http404


urlpatterns = [
    path("<int:pk>/", _not_built_yet, name="unit"),  # the public unit page (office, hours, on duty, rules, board)
    path("<int:pk>/board/", _not_built_yet, name="board"),  # the unit's public notice board (公示牌)
]
