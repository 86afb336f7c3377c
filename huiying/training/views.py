"""Pages of cascaded training: the task list, a task's completion tree, and the page a
level's staff work on (attendance, marking done, passing down). A task or assignment the
reader may not see is "not found"; the rules are the services'."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Unit
from huiying.web.forms import add_service_error

from . import selectors, services
from .forms import AssignForm, AttendanceForm, CompleteForm, PassDownForm, TaskForm
from .models import Attendance, Status, TrainingTask


def _get(fn, user, pk):
    try:
        return fn(user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def task_list(request):
    user = request.user
    tasks = list(selectors.visible_tasks(user).order_by("-created_at", "-id")[:100])
    mine: dict[int, list] = {}
    for a in selectors.my_assignments(user):
        mine.setdefault(a.task_id, []).append(a)
    today = clock.today()
    rows = [{"task": t, "mine": mine.get(t.id, []), "overdue": any(a.is_overdue(today) for a in mine.get(t.id, []))} for t in tasks]
    return render(request, "training/task_list.html", {"rows": rows, "can_create": selectors.can_create(user)})


@login_required
def task_new(request):
    if not selectors.can_create(request.user):
        raise Http404
    form = TaskForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                task = services.training_task_create(actor=request.user, **form.cleaned_data)
            except ServiceError as e:
                add_service_error(form, e)
            else:
                messages.success(request, _("Training task created. Now assign it to the townships."))
                return redirect("training:task", pk=task.pk)
        status = 400
    return render(request, "training/task_new.html", {"form": form}, status=status)


def _task_page(request, task: TrainingTask, *, assign_form=None, status=200):
    user = request.user
    roots, tallies = selectors.task_tree(user, task)
    if selectors.can_create(user) and assign_form is None:
        form = AssignForm(parent_unit=Unit.objects.get(pk=task.county_id), task=task)
        # Once every township has it, there is nothing left to offer.
        assign_form = form if form.fields["units"].queryset.exists() else None
    context = {
        "task": task, "roots": roots, "tallies": tallies, "today": clock.today(),
        "assign_form": assign_form,
        "mine": selectors.my_assignments(user, task),
    }
    return render(request, "training/task_tree.html", context, status=status)


@login_required
def task_detail(request, pk):
    return _task_page(request, _get(selectors.task_get, request.user, pk))


@login_required
@require_POST
def task_assign(request, pk):
    task = _get(selectors.task_get, request.user, pk)
    if not selectors.can_create(request.user):
        raise Http404
    form = AssignForm(request.POST, parent_unit=Unit.objects.get(pk=task.county_id), task=task)
    if form.is_valid():
        try:
            created = services.training_assign(actor=request.user, task=task, units=list(form.cleaned_data["units"]))
        except ServiceError as e:
            add_service_error(form, e)
        else:
            messages.success(request, _("Assigned to %(n)s units.") % {"n": len(created)})
            return redirect("training:task", pk=task.pk)
    return _task_page(request, task, assign_form=form, status=400)


def _assignment_page(request, a, *, forms=None, status=200):
    user = request.user
    forms = forms or {}
    can_act = selectors.can_act(user, a)
    attendance = list(Attendance.objects.filter(assignment=a).select_related("user").order_by("day", "user__first_name"))
    attended = {row.user_id for row in attendance}
    members = AttendanceForm(unit=a.unit).fields["attendees"].queryset
    children = list(a.children.select_related("unit").order_by("unit_id"))
    context = {
        "a": a, "task": a.task, "can_act": can_act, "attendance": attendance,
        "not_attended": [m for m in members if m.pk not in attended],
        "children": children, "today": clock.today(), "overdue": a.is_overdue(clock.today()),
        "done": a.status == Status.DONE,
    }
    if can_act:
        context["attendance_form"] = forms.get("attendance") or AttendanceForm(unit=a.unit)
        context["complete_form"] = forms.get("complete") or CompleteForm()
        pass_form = forms.get("pass_down") or PassDownForm(parent_unit=a.unit, task=a.task)
        context["pass_form"] = pass_form if pass_form.fields["units"].queryset.exists() or pass_form.is_bound else None
    return render(request, "training/assignment.html", context, status=status)


@login_required
def assignment_detail(request, pk):
    return _assignment_page(request, _get(selectors.assignment_get, request.user, pk))


def _post(request, pk, key, form_of, perform, done_message):
    a = _get(selectors.assignment_get, request.user, pk)
    form = form_of(a)
    if form.is_valid():
        try:
            perform(a, form.cleaned_data)
        except ServiceError as e:
            add_service_error(form, e)
        else:
            messages.success(request, done_message)
            return redirect("training:assignment", pk=a.pk)
    return _assignment_page(request, a, forms={key: form}, status=400)


@login_required
@require_POST
def assignment_attendance(request, pk):
    return _post(
        request, pk, "attendance", lambda a: AttendanceForm(request.POST, unit=a.unit),
        lambda a, d: services.training_record_attendance(actor=request.user, assignment=a, attendees=list(d["attendees"]), day=d["day"]),
        _("Attendance recorded."),
    )


@login_required
@require_POST
def assignment_complete(request, pk):
    return _post(
        request, pk, "complete", lambda a: CompleteForm(request.POST),
        lambda a, d: services.training_complete(actor=request.user, assignment=a, note=d["note"]),
        _("Session marked done."),
    )


@login_required
@require_POST
def assignment_pass_down(request, pk):
    return _post(
        request, pk, "pass_down", lambda a: PassDownForm(request.POST, parent_unit=a.unit, task=a.task),
        lambda a, d: services.training_pass_down(actor=request.user, assignment=a, units=list(d["units"])),
        _("Passed down."),
    )
