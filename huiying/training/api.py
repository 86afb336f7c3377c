"""The API of cascaded training (under /api/v1/training/…). Serializers check shapes only;
the rules are the services' (errors name the field, through the project's handler)."""
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from huiying.api import selectors as api_selectors
from huiying.api.idempotency import idempotent
from huiying.api.pagination import cursor
from huiying.api.views.intake import IDEMPOTENCY_PARAM
from huiying.api.serializers.common import DateInput, IdField, UnitRefSerializer, UserRefSerializer
from huiying.api.views.base import ApiView, ListCreateView
from huiying.core import clock

from . import selectors, services
from .models import Attendance, Status, TrainingAssignment, TrainingTask

TAGS = ["training"]


# --- output -----------------------------------------------------------------------------

class TaskSerializer(serializers.ModelSerializer):
    county = serializers.IntegerField(source="county_id")
    created_by = UserRefSerializer()

    class Meta:
        model = TrainingTask
        fields = ["id", "county", "title", "description", "material", "link", "due_date", "created_by", "created_at"]


class AttendanceSerializer(serializers.ModelSerializer):
    user = UserRefSerializer()

    class Meta:
        model = Attendance
        fields = ["user", "day"]


class AssignmentSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task_id")
    unit = UnitRefSerializer()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = TrainingAssignment
        fields = ["id", "task", "unit", "parent", "status", "overdue", "assigned_at", "started_at", "completed_at", "note"]

    def get_overdue(self, a) -> bool:
        return a.is_overdue(clock.today())


class AssignmentDetailSerializer(AssignmentSerializer):
    attendance = AttendanceSerializer(many=True)
    children = AssignmentSerializer(many=True)

    class Meta(AssignmentSerializer.Meta):
        fields = AssignmentSerializer.Meta.fields + ["attendance", "children"]


class LevelTallySerializer(serializers.Serializer):
    level = serializers.CharField()
    done = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_started = serializers.IntegerField()
    overdue = serializers.IntegerField()
    not_started_units = UnitRefSerializer(many=True)


class TaskDetailSerializer(serializers.Serializer):
    task = TaskSerializer()
    levels = LevelTallySerializer(many=True)
    assignments = AssignmentSerializer(many=True)


# --- input ------------------------------------------------------------------------------

class TaskCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    material = serializers.CharField(required=False, allow_blank=True, default="")
    link = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    due_date = DateInput()


class UnitsInputSerializer(serializers.Serializer):
    units = serializers.ListField(child=IdField(), required=False, allow_null=True, default=None, max_length=1000,
                                  help_text="Unit ids; leave out for every unit that does not have the task yet.")

    def units_or_none(self, user):
        ids = self.validated_data["units"]
        if ids is None:
            return None
        # Another county's units are not named back: they go in as bare ids.
        found = {u.id: u for u in api_selectors.visible_units(user).filter(pk__in=ids)}
        # An unknown id goes to the service as itself, which names it as not a unit below.
        return [found.get(i, str(i)) for i in ids]


class AttendanceInputSerializer(serializers.Serializer):
    attendees = serializers.ListField(child=serializers.CharField(max_length=150), max_length=500, help_text="Usernames.")
    day = DateInput()

    def people(self):
        names = self.validated_data["attendees"]
        users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=names, is_active=True)}
        missing = [n for n in names if n not in users]
        if missing:
            raise serializers.ValidationError({"attendees": [_("No such user: %(value)s.") % {"value": missing[0]}]})
        return [users[n] for n in names]


class CompleteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- views ------------------------------------------------------------------------------

def _assignment_detail(a: TrainingAssignment):
    a.attendance_rows = list(a.attendance.select_related("user").order_by("day", "id"))
    data = AssignmentDetailSerializer(a).data
    data["attendance"] = AttendanceSerializer(a.attendance_rows, many=True).data
    data["children"] = AssignmentSerializer(a.children.select_related("unit", "task").order_by("unit_id"), many=True).data
    return data


class TaskListCreate(ListCreateView):
    """Training tasks you see (your county HQ's, or those that reached your units); the county
    HQ creates one."""

    schema_tags = TAGS
    serializer_class = TaskSerializer
    pagination_class = cursor("-id")

    def get_queryset(self):
        return selectors.visible_tasks(self.request.user).select_related("created_by")

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer}, parameters=[IDEMPOTENCY_PARAM])
    @idempotent
    def post(self, request):
        ser = TaskCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        task = services.training_task_create(actor=request.user, **ser.validated_data)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskDetail(ApiView):
    """A task with its completion per level and the assignments you see."""

    schema_tags = TAGS

    @extend_schema(responses=TaskDetailSerializer)
    def get(self, request, task_id: int):
        task = selectors.task_get(request.user, task_id)
        _roots, tallies = selectors.task_tree(request.user, task)
        assignments = selectors.visible_assignments(request.user).filter(task=task).select_related("unit", "task").order_by("unit_id")
        return Response(TaskDetailSerializer({"task": task, "levels": tallies, "assignments": assignments}).data)


class TaskAssign(ApiView):
    """The county HQ assigns the task to townships (`units`), or to every township left."""

    schema_tags = TAGS

    @extend_schema(request=UnitsInputSerializer, responses={201: AssignmentSerializer(many=True)})
    def post(self, request, task_id: int):
        task = selectors.task_get(request.user, task_id)
        ser = UnitsInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        created = services.training_assign(actor=request.user, task=task, units=ser.units_or_none(request.user))
        return Response(AssignmentSerializer(created, many=True).data, status=status.HTTP_201_CREATED)


class AssignmentDetail(ApiView):
    """One unit's part of a task: status, attendance, the units it passed it to."""

    schema_tags = TAGS

    @extend_schema(responses=AssignmentDetailSerializer)
    def get(self, request, assignment_id: int):
        return Response(_assignment_detail(selectors.assignment_get(request.user, assignment_id)))


class AssignmentPassDown(ApiView):
    """The unit's staff pass the task to its own children (`units`), or to all left."""

    schema_tags = TAGS

    @extend_schema(request=UnitsInputSerializer, responses={201: AssignmentSerializer(many=True)})
    def post(self, request, assignment_id: int):
        a = selectors.assignment_get(request.user, assignment_id)
        ser = UnitsInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        created = services.training_pass_down(actor=request.user, assignment=a, units=ser.units_or_none(request.user))
        return Response(AssignmentSerializer(created, many=True).data, status=status.HTTP_201_CREATED)


class AssignmentAttendance(ApiView):
    """Record who (members of the unit, by username) attended the unit's session on `day`."""

    schema_tags = TAGS

    @extend_schema(request=AttendanceInputSerializer, responses={200: AssignmentDetailSerializer})
    def post(self, request, assignment_id: int):
        a = selectors.assignment_get(request.user, assignment_id)
        ser = AttendanceInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.training_record_attendance(actor=request.user, assignment=a, attendees=ser.people(), day=ser.validated_data["day"])
        return Response(_assignment_detail(selectors.assignment_get(request.user, assignment_id)))


class AssignmentComplete(ApiView):
    """Mark the unit's own session done (after recording attendance)."""

    schema_tags = TAGS

    @extend_schema(request=CompleteInputSerializer, responses={200: AssignmentDetailSerializer})
    def post(self, request, assignment_id: int):
        a = selectors.assignment_get(request.user, assignment_id)
        ser = CompleteInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.training_complete(actor=request.user, assignment=a, note=ser.validated_data["note"])
        return Response(_assignment_detail(selectors.assignment_get(request.user, assignment_id)))
