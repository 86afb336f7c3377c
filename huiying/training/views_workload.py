"""Workload pages (工作量): a unit's staff and what each handled, and the spread of the
30/70 share across the units below. Figures from `huiying.stats.workload`; who may read
them from `workload.can_see_workload` (anyone else: not found)."""
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from huiying import access
from huiying.core import clock
from huiying.core.errors import NotFound
from huiying.network.models import Level
from huiying.records.selectors import book_period
from huiying.stats import workload
from huiying.web.forms_queues import PeriodForm

SORTS = {
    # Most concentrated first; units whose share is undefined go last.
    "share": lambda r: (r.workload.top30_share is None, -(r.workload.top30_share or 0), r.unit.id),
    "handled": lambda r: (-r.workload.handled_total, r.unit.id),
    "staff": lambda r: (-r.workload.staff_count, r.unit.id),
    "name": lambda r: (r.unit.name, r.unit.id),
}


def workload_period(form: PeriodForm) -> tuple[dt.date, dt.date]:
    """The last twelve months unless asked otherwise (a month says little about who carries
    the work); an explicit period follows the record book's rule (at most a year)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if not data.get("date_from") and not data.get("date_to"):
        today = clock.today()
        return today - dt.timedelta(days=364), today
    return book_period(data.get("date_from"), data.get("date_to"))


@login_required
def mine(request):
    """The workload of the reader's own top unit."""
    roots = [u for u in access.unit_roots(request.user) if workload.can_see_workload(request.user, u)]
    if not roots:
        raise Http404
    return redirect("training:workload", pk=roots[0].pk)


@login_required
def unit_page(request, pk):
    try:
        unit = access.unit_get(request.user, pk)
    except NotFound:
        raise Http404 from None
    if not workload.can_see_workload(request.user, unit):
        raise Http404
    form = PeriodForm(request.GET or None)
    start, end = workload_period(form)
    levels = workload.spread_levels(unit)
    level = request.GET.get("level")
    level = level if level in levels else (levels[0] if levels else None)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "share"
    spread = sorted(workload.workload_spread(unit, start=start, end=end, level=level), key=SORTS[sort]) if level else []
    params = request.GET.copy()
    for key in ("sort", "level"):
        params.pop(key, None)
    context = {
        "unit": unit,
        "ancestors": [a for a in unit.ancestors() if workload.can_see_workload(request.user, a)],
        "form": form,
        "start": start,
        "end": end,
        "load": workload.unit_workload(unit, start=start, end=end),
        "levels": [(lv, Level(lv).label) for lv in levels],
        "level": level,
        "sort": sort,
        "spread": spread,
        "query": params.urlencode(),
        "self_url": reverse("training:workload", args=[unit.pk]),
    }
    return render(request, "training/workload.html", context)
