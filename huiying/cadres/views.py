"""Pages of cadres' visits (预约下站): a unit's visits, the booking form, the outcome form,
cancelling. Visits are loaded through `selectors` (an invisible one is "not found"); the
services decide what may be done."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huiying import access
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.web.forms import add_service_error

from . import selectors as sel
from . import services
from .forms import BookForm, CancelForm, OutcomeForm
from .models import VisitStatus


def _unit(request, pk):
    try:
        unit = access.unit_get(request.user, pk)
    except NotFound:
        raise Http404 from None
    if not sel.may_see_list(request.user, unit):
        raise Http404
    return unit


def _visit(request, pk):
    try:
        return sel.visit_get(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def unit_list(request, pk):
    unit = _unit(request, pk)
    today = clock.today()
    visits = sel.unit_visits(request.user, unit)
    context = {
        "unit": unit,
        "upcoming": sel.readable(request.user, visits.filter(status=VisitStatus.BOOKED, date__gte=today).order_by("date", "id")),
        "past": sel.readable(request.user, visits.exclude(status=VisitStatus.BOOKED, date__gte=today).order_by("-date", "-id")[:50]),
        "may_book": sel.may_book(request.user, unit),
        "cancel_form": CancelForm(),
    }
    return render(request, "cadres/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def book(request, pk):
    unit = _unit(request, pk)
    if not sel.may_book(request.user, unit):
        raise Http404
    initial = {"date": clock.today()}
    if request.GET.get("concern"):
        initial["concerns"] = list(access.visible_concerns(request.user).filter(reference=request.GET["concern"]).values_list("pk", flat=True))
    form = BookForm(request.POST or None, user=request.user, unit=unit, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.cadre_visit_book(actor=request.user, unit=unit, **form.cleaned_data)
            except ServiceError as e:
                add_service_error(form, e)
            else:
                messages.success(request, _("Visit booked."))
                return redirect("cadres:list", pk=unit.pk)
    return render(request, "cadres/book.html", {"unit": unit, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request, visit):
    v = _visit(request, visit)
    if not sel.may_manage(request.user, v) or v.status != VisitStatus.BOOKED:
        raise Http404
    served = sel.served(request.user, v)
    form = OutcomeForm(request.POST or None, served=served)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.cadre_visit_record_outcome(actor=request.user, visit=v, summary=form.cleaned_data["summary"], outcomes=form.outcomes())
            except ServiceError as e:
                add_service_error(form, e)
            else:
                messages.success(request, _("Outcome recorded on each concern of the visit."))
                return redirect("cadres:list", pk=v.unit_id)
    return render(request, "cadres/outcome.html", {"visit": v, "form": form, "too_early": v.date > clock.today()}, status=status)


@login_required
@require_POST
def cancel(request, visit):
    v = _visit(request, visit)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cadre_visit_cancel(actor=request.user, visit=v, reason=form.cleaned_data["reason"])
        except ServiceError as e:
            messages.error(request, e.text)
        else:
            messages.success(request, _("Visit cancelled."))
    else:
        messages.error(request, _("Give the reason for cancelling."))
    target = reverse("cadres:list", kwargs={"pk": v.unit_id}) if sel.may_see_list(request.user, v.unit) else reverse("web:home")
    return redirect(target)
