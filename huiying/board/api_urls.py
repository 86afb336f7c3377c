"""Endpoints of huiying.board under /api/v1/ (mounted in huiying/api/urls.py, inside the
"api" namespace)."""
from django.urls import path

from . import api

urlpatterns = [
    path("units/<int:pk>/board", api.Board.as_view(), name="board-list"),
    path("units/<int:pk>/board/items/<int:item>/objections", api.Object.as_view(), name="board-object"),
    path("units/<int:pk>/board/batches", api.Batches.as_view(), name="board-batches"),
    path("units/<int:pk>/board/objections", api.Objections.as_view(), name="board-objections"),
]
