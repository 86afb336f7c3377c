"""The roster page (轮值表) of a unit and month: the days and who is on duty, the spread,
and for those who may manage it the generate, swap, rule and weekday forms.

Reading is open wherever the unit's profile is (`selectors.can_see_roster`); a unit outside
it is "not found". Managing is for staff of the unit or a unit above it (`selectors.can_manage`),
and the services decide again.
"""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiying import access
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.web.forms import add_service_error

from . import selectors as sel
from . import services
from .forms import WEEKDAYS, AvailabilityForm, RuleForm, SwapForm


def _unit(request, pk):
    try:
        return access.unit_get(request.user, pk)
    except NotFound:
        raise Http404 from None


def _month(month: str) -> dt.date:
    try:
        return sel.parse_month(month)
    except ServiceError:
        raise Http404 from None


def _shift_month(first: dt.date, delta: int) -> str:
    index = first.year * 12 + first.month - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@login_required
def unit_now(request, pk):
    return redirect("rota:unit_month", pk=pk, month=clock.today().strftime("%Y-%m"))


def _page(request, unit, first, *, forms=None, status=200):
    manage = sel.can_manage(request.user, unit)
    rule = sel.rule_for(unit)
    today = clock.today()
    days = sel.month_roster(unit, first)
    forms = forms or {}
    context = {
        "unit": unit,
        "month": first,
        "month_str": first.strftime("%Y-%m"),
        "prev_month": _shift_month(first, -1),
        "next_month": _shift_month(first, 1),
        "days": days,
        "pad": range(first.weekday()),
        "weekdays": WEEKDAYS,
        "today": today,
        "rule": rule,
        "spread": sel.shift_counts(unit, first),
        "can_manage": manage,
        # A past month is shown, not planned: only days after today are generated.
        "can_generate": manage and sel.month_days(first)[-1] > today,
        "generate_error": forms.get("generate_error"),
    }
    if manage:
        context["swap_form"] = forms.get("swap") or SwapForm(unit=unit, initial={"day": max(today, first)})
        context["rule_form"] = forms.get("rule") or RuleForm(initial={"per_day": rule.per_day, "days": rule.days})
        context["availability_form"] = forms.get("availability") or AvailabilityForm(unit=unit)
    return render(request, "rota/unit_month.html", context, status=status)


@login_required
def unit_month(request, pk, month):
    unit = _unit(request, pk)
    return _page(request, unit, _month(month))


def _back(unit, first):
    return redirect(reverse("rota:unit_month", kwargs={"pk": unit.pk, "month": first.strftime("%Y-%m")}))


@login_required
@require_POST
def generate(request, pk, month):
    unit, first = _unit(request, pk), _month(month)
    try:
        result = services.roster_generate(actor=request.user, unit=unit, month=first)
    except ServiceError as e:
        return _page(request, unit, first, forms={"generate_error": e.text}, status=400)
    messages.success(request, _("Roster generated: %(n)s shifts from %(day)s.") % {"n": result.shifts, "day": result.start})
    if result.short_days:
        messages.warning(request, _("Not enough people available on %(n)s days.") % {"n": len(result.short_days)})
    return _back(unit, first)


def _submit(request, pk, month, *, key: str, form_class, service, done, with_unit: bool):
    """One of the roster page's forms: valid input goes to its service; a refusal or bad input
    shows the page again with that form and its errors (400)."""
    unit, first = _unit(request, pk), _month(month)
    form = form_class(request.POST, unit=unit) if with_unit else form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as e:
            add_service_error(form, e)
        else:
            messages.success(request, done)
            return _back(unit, first)
    return _page(request, unit, first, forms={key: form}, status=400)


@login_required
@require_POST
def swap(request, pk, month):
    return _submit(request, pk, month, key="swap", form_class=SwapForm, service=services.roster_swap,
                   done=_("Duty day handed over."), with_unit=True)


@login_required
@require_POST
def rule(request, pk, month):
    return _submit(request, pk, month, key="rule", form_class=RuleForm, service=services.roster_rule_set,
                   done=_("Rule saved. It applies when the roster is next generated."), with_unit=False)


@login_required
@require_POST
def availability(request, pk, month):
    return _submit(request, pk, month, key="availability", form_class=AvailabilityForm, service=services.availability_set,
                   done=_("Weekdays saved. They apply when the roster is next generated."), with_unit=True)
