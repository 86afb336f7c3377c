"""Pages of huiying.printing, mounted at /print/ in huiying/urls.py. Each returns a PDF.

Query parameters: `from` and `to` (YYYY-MM-DD; also `date_from`/`date_to`, as the record
book page names them) for the poster and the record book, `month` (YYYY-MM) for the roster.
"""
from django.urls import path

from . import views

app_name = "printing"

urlpatterns = [
    path("units/<int:pk>/card.pdf", views.unit_card, name="unit_card"),  # public
    path("units/<int:pk>/poster.pdf", views.poster, name="poster"),  # public
    path("units/<int:pk>/workflow.pdf", views.workflow, name="workflow"),  # public
    path("units/<int:pk>/staff-cards.pdf", views.staff_cards, name="staff_cards"),
    path("units/<int:pk>/staff/<str:username>/card.pdf", views.staff_card, name="staff_card"),
    path("units/<int:pk>/roster.pdf", views.roster, name="roster"),
    path("units/<int:pk>/records.pdf", views.records, name="records"),
]
