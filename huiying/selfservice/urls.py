"""The villager's own pages (no sign-in), mounted at / in huiying/urls.py.

The URL names are a contract the public unit page links to.
"""
from django.http import Http404
from django.urls import path

app_name = "selfservice"


def _not_built_yet(request, **kwargs):  # replaced by selfservice's views
    raise Http404


urlpatterns = [
    path("p/<int:pk>/submit/", _not_built_yet, name="submit"),  # submit a concern to this unit
    path("p/<int:pk>/box/", _not_built_yet, name="box"),  # the unit's anonymous suggestion box (意见箱)
    path("track/", _not_built_yet, name="track"),  # reference + tracking code → progress, rating
]
