"""The villager's own pages (no sign-in), mounted at / in huiying/urls.py, and the staff's
suggestion inbox.

The URL names submit, box and track are a contract the public unit page links to.
"""
from django.urls import path

from . import views, views_staff

app_name = "selfservice"

urlpatterns = [
    path("p/<int:pk>/submit/", views.submit, name="submit"),  # submit a concern to this unit
    path("p/<int:pk>/box/", views.box, name="box"),  # the unit's anonymous suggestion box (意见箱)
    path("track/", views.track, name="track"),  # reference + tracking code → progress, rating
    path("box/answer/", views.box_answer, name="box_answer"),  # receipt code → the suggestion's answer
    path("suggestions/", views_staff.inbox, name="inbox"),
    path("suggestions/<int:pk>/", views_staff.suggestion, name="suggestion"),
]
