"""Dashboard pages: a unit's figures with drill-down, and the rankings of its sub-units."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from huiying import access
from huiying.core import clock
from huiying.core.errors import Forbidden, NotFound
from huiying.network.models import STAFF_ROLES, Level
from huiying.stats import workload as wl

from . import charts, rankings, selectors
from .forms import PeriodForm


def _unit(request, pk):
    try:
        return selectors.dashboard_unit(request.user, pk)
    except NotFound:
        raise Http404 from None
    except Forbidden as e:
        raise PermissionDenied(e.text) from None


NAV_LEVELS = {Level.COUNTY, Level.TOWNSHIP, Level.DEPARTMENT}


def home_unit(user):
    """The unit whose dashboard the nav opens for `user`: the county, township or department
    they serve in as staff (a station's clerk reads the township's figures through the
    township; they may still open their own station's dashboard by its address)."""
    if user.is_superuser:
        return next(iter(access.unit_roots(user)), None)
    for m in access.memberships(user):
        if m.unit.level in NAV_LEVELS and m.role in STAFF_ROLES | access.COUNTY_WIDE:
            return m.unit
    return None


@login_required
def mine(request):
    unit = home_unit(request.user)
    if unit is None:
        raise Http404
    return redirect("dashboard:unit", unit.pk)


@login_required
def unit(request, pk):
    unit = _unit(request, pk)
    today = clock.today()
    form = PeriodForm(request.GET or None)
    period = form.chosen(today)
    d = selectors.dashboard(request.user, unit, start=period.start, end=period.end, today=today)
    d["tables"] = selectors.tables_of(d)
    d["charts"] = {
        "children": charts.bars([(r["unit"].name, charts.values_of(r["counts"])) for r in d["children"]], title=d["tables"][1].title),
        "function": charts.bars([(r["label"], charts.values_of(r["counts"])) for r in d["by_function"]], title=d["tables"][2].title),
        "track": charts.bars([(r["label"], charts.values_of(r["counts"])) for r in d["by_track"]], title=d["tables"][3].title),
        "channel": charts.bars([(r["label"], charts.values_of(r["counts"])) for r in d["by_channel"]], title=d["tables"][4].title),
        "month": charts.columns([(r["month"].strftime("%m"), charts.values_of(r["counts"])) for r in d["by_month"]], title=d["tables"][5].title),
    }
    d["legend"] = charts.legend()
    t = d["tables"]
    d["sections"] = [
        ("function", d["by_function"], d["charts"]["function"], t[2].title, t[2].columns[0]),
        ("track", d["by_track"], d["charts"]["track"], t[3].title, t[3].columns[0]),
        ("channel", d["by_channel"], d["charts"]["channel"], t[4].title, t[4].columns[0]),
    ]
    d["month_rows"] = [{"label": r["month"].strftime("%Y-%m"), "visitors": r["visitors"], "cells": r["cells"]} for r in d["by_month"]]
    d["form"] = form
    d["is_leaf"] = unit.level in (Level.HAMLET, Level.DEPARTMENT)
    d["query"] = f"from={period.start}&to={period.end}"
    d["can_see_workload"] = wl.can_see_workload(request.user, unit)
    return render(request, "dashboard/unit.html", d)


@login_required
def workload(request, pk):
    """The workload spread: loaded by the dashboard after its figures (HTMX,
    `hx-trigger="load"`), or as a page of its own without JavaScript."""
    unit = _unit(request, pk)
    form = PeriodForm(request.GET or None)
    period = form.chosen(clock.today())
    context = {"unit": unit, "period": period, "workload": selectors.workload(request.user, unit, period)}
    template = "dashboard/partials/workload.html" if request.htmx else "dashboard/workload.html"
    return render(request, template, context)


@login_required
def ranking(request, pk):
    unit = _unit(request, pk)
    today = clock.today()
    form = PeriodForm(request.GET or None)
    period = form.chosen(today)
    minimum = rankings.minimum_from(request.GET.get("min"))
    r = rankings.unit_rankings(request.user, unit, start=period.start, end=period.end, minimum=minimum, today=today)
    return render(request, "dashboard/rankings.html", {"unit": unit, "form": form, "period": period, "r": r, "minimum": minimum})
