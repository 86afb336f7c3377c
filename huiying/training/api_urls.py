"""Endpoints of huiying.training under /api/v1/ (mounted in huiying/api/urls.py, inside the
"api" namespace). Path parameters are named `task_id` / `assignment_id`, not `pk`."""
from django.urls import path

from . import api

urlpatterns = [
    path("training/tasks", api.TaskListCreate.as_view(), name="training-tasks"),
    path("training/tasks/<int:task_id>", api.TaskDetail.as_view(), name="training-task"),
    path("training/tasks/<int:task_id>/assign", api.TaskAssign.as_view(), name="training-task-assign"),
    path("training/assignments/<int:assignment_id>", api.AssignmentDetail.as_view(), name="training-assignment"),
    path("training/assignments/<int:assignment_id>/pass-down", api.AssignmentPassDown.as_view(), name="training-assignment-pass-down"),
    path("training/assignments/<int:assignment_id>/attendance", api.AssignmentAttendance.as_view(), name="training-assignment-attendance"),
    path("training/assignments/<int:assignment_id>/complete", api.AssignmentComplete.as_view(), name="training-assignment-complete"),
]
