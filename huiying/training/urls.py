"""Pages of huiying.training (mounted in huiying/urls.py under /training/): cascaded
training, and the workload pages (which live here so that their strings stay in this app's
catalogue)."""
from django.urls import path

from . import views, views_workload

app_name = "training"

urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("new/", views.task_new, name="task_new"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/assign/", views.task_assign, name="task_assign"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/attendance/", views.assignment_attendance, name="assignment_attendance"),
    path("assignments/<int:pk>/complete/", views.assignment_complete, name="assignment_complete"),
    path("assignments/<int:pk>/pass-down/", views.assignment_pass_down, name="assignment_pass_down"),
    path("workload/", views_workload.mine, name="workload_mine"),
    path("workload/<int:pk>/", views_workload.unit_page, name="workload"),
]
