"""Pages of supervision: the supervisor's list and rating form, the township's reviews, a
unit's supervisors, a unit's three rates. Concerns load through `huiying.access` (an
invisible one is a 404); what may be written is the services' decision."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from huiying import access
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Level, Unit
from huiying.web.forms import add_service_error

from . import rates, selectors, services
from .forms import PeriodForm, RateForm, ReviewCloseForm, SupervisorForm


def _concern(user, reference):
    try:
        return access.concern_get(user, reference=reference)
    except NotFound:
        raise Http404 from None


def _unit(user, pk):
    try:
        return access.unit_get(user, pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def supervisor_home(request):
    """A supervisor's page: results to rate, and the ratings they gave."""
    user = request.user
    if not selectors.supervisor_units(user):
        raise PermissionDenied
    context = {
        "units": selectors.supervisor_units(user),
        "to_rate": list(selectors.results_to_rate(user)[:100]),
        "ratings": list(selectors.my_ratings(user)[:100]),
        "finished": list(selectors.finished_concerns(user).order_by("-resolved_at", "-id")[:100]),
    }
    return render(request, "supervision/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request, reference):
    user = request.user
    concern = _concern(user, reference)
    refusal = None
    if request.method == "POST":
        form = RateForm(request.POST)
        if form.is_valid():
            try:
                services.supervision_rate(actor=user, concern=concern, **form.cleaned_data)
            except ServiceError as e:
                add_service_error(form, e)
            else:
                messages.success(request, _("Your rating is recorded."))
                return redirect(reverse("supervision:home"))
    else:
        form = RateForm()
        if services.supervisor_membership(user, concern) is None:
            refusal = _("Only a supervisor of the unit that received a concern rates it.")
    context = {"concern": concern, "form": form, "refusal": refusal}
    return render(request, "supervision/rate.html", context, status=403 if refusal else 200)


@login_required
@require_GET
def reviews(request):
    user = request.user
    if not selectors.reviewing_units(user):
        raise PermissionDenied
    context = {"open": list(selectors.reviews(user)[:200]), "closed": list(selectors.reviews(user, open=False)[:50])}
    return render(request, "supervision/reviews.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    user = request.user
    try:
        rv = selectors.review_get(user, pk)
    except NotFound:
        raise Http404 from None
    form = ReviewCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_review_close(actor=user, review=rv, **form.cleaned_data)
        except ServiceError as e:
            add_service_error(form, e)
        else:
            messages.success(request, _("The review is closed."))
            return redirect(reverse("supervision:reviews"))
    context = {"review": rv, "form": form, "can_close": rv.is_open and services.can_review(user, rv)}
    return render(request, "supervision/review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_supervisors(request, pk):
    user = request.user
    unit = _unit(user, pk)
    can_register = services.can_register_at(user, unit)
    form = SupervisorForm(request.POST or None)
    if request.method == "POST":
        if not can_register:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.supervisor_register(actor=user, unit=unit, **form.cleaned_data)
            except ServiceError as e:
                add_service_error(form, e)
            else:
                messages.success(request, _("The supervisor is registered."))
                return redirect(reverse("supervision:unit_supervisors", args=[unit.pk]))
    context = {
        "unit": unit, "supervisors": selectors.unit_supervisors(unit), "form": form, "can_register": can_register,
        "show_phones": access.can_see_staff_phones(user, unit),
    }
    return render(request, "supervision/supervisors.html", context)


@login_required
@require_GET
def unit_rates(request, pk):
    user = request.user
    unit = _unit(user, pk)
    if not access.unit_in_reach(user, unit):
        raise Http404
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    children = []
    if unit.level != Level.DEPARTMENT:
        by_unit = rates.rates_by_unit(unit, start=start, end=end)
        names = dict(Unit.objects.filter(pk__in=by_unit).values_list("pk", "name"))
        children = [{"pk": pk, "name": names.get(pk, pk), "rates": r} for pk, r in by_unit.items()]
    context = {
        "unit": unit, "form": form, "start": start, "end": end, "rates": rates.unit_rates(unit, start=start, end=end),
        "children": children, "definitions": rates.DEFINITIONS,
    }
    return render(request, "supervision/rates.html", context)
