"""Public pages of a unit (no sign-in), mounted at /p/ in huiying/urls.py, and the staff's
board pages (signed in).

The URL names are a contract other parts use: contact cards' QR codes point at `board:unit`.
"""
from django.urls import path

from . import views, views_staff

app_name = "board"

urlpatterns = [
    path("<int:pk>/", views.unit_page, name="unit"),  # the public unit page (office, hours, on duty, rules, board)
    path("<int:pk>/board/", views.board, name="board"),  # the unit's public notice board (公示牌), ?month= for the archive
    path("<int:pk>/board/<int:item>/object/", views.object_to, name="object"),  # a villager's objection
    path("<int:pk>/board/objected/", views.objected, name="objected"),
    # staff
    path("<int:pk>/board/post/", views_staff.post_batch, name="post_batch"),
    path("<int:pk>/board/objections/", views_staff.objections, name="objections"),
]
