"""Unit pages: the profile (an office, a roster, rules, staff), the workflow chart drawn from
the transition table, and the work record book per period.

Who may see what is decided in `huiying.access` (`can_see_unit`, `can_see_staff_phones`,
`can_read_record_book`); a unit outside it is "not found", never "forbidden".
"""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from huiying import access
from huiying.core.errors import NotFound
from huiying.network.models import Level, Role
from huiying.network.selectors import on_duty
from huiying.records.selectors import readable_rows
from huiying.records.selectors import record_book as book_entries
from huiying.stats import workload

from .. import workflow_svg as chart
from ..forms_queues import PeriodForm

BOOK_PER_PAGE = 50
# Printing puts the whole period on paper; a year of a township is a few thousand rows.
BOOK_PRINT_MAX = 5000
ROLE_ORDER = [Role.COMMANDER, Role.CENTER_STAFF, Role.CLERK, Role.LIAISON, Role.ADMIN, Role.SUPERVISOR]


def _unit(request, pk):
    try:
        return access.unit_get(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def detail(request, pk):
    unit = _unit(request, pk)
    staff = sorted(unit.memberships.select_related("user"), key=lambda m: (ROLE_ORDER.index(m.role) if m.role in ROLE_ORDER else 99, m.user.get_full_name()))
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "children": list(unit.children.order_by("id")),
        "hamlets": list(unit.hamlets.select_related("point")) if unit.level == Level.VILLAGE else [],
        "staff": staff,
        "on_duty": list(on_duty(unit=unit)),
        "show_phones": access.can_see_staff_phones(request.user, unit),
        "can_read_book": access.can_read_record_book(request.user, unit),
        "in_reach": access.unit_in_reach(request.user, unit),
        "can_see_workload": workload.can_see_workload(request.user, unit),
    }
    return render(request, "web/unit.html", context)


def _svg(unit) -> str:
    return chart.workflow_svg(_("%(unit)s · workflow chart") % {"unit": unit.name})


@login_required
def workflow_chart(request, pk):
    unit = _unit(request, pk)
    # Inline, so it prints with the page and uses the page's fonts; built with ElementTree,
    # so every text in it is escaped.
    svg = mark_safe(_svg(unit))  # noqa: S308
    context = {"unit": unit, "svg": svg, "steps": chart.chart_rows(), "tracks": chart.track_limits()}
    return render(request, "web/unit_workflow.html", context)


@login_required
def workflow_svg(request, pk):
    unit = _unit(request, pk)
    response = HttpResponse(_svg(unit), content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="workflow.svg"'
    return response


@login_required
def record_book(request, pk):
    unit = _unit(request, pk)
    if not access.can_read_record_book(request.user, unit):
        raise Http404
    form = PeriodForm(request.GET or None)
    date_from, date_to = form.period()
    entries = book_entries(request.user, unit, date_from=date_from, date_to=date_to)
    printing = request.GET.get("print") == "1"
    if printing:
        rows, page = list(entries[: BOOK_PRINT_MAX + 1]), None
        truncated = len(rows) > BOOK_PRINT_MAX
        rows = rows[:BOOK_PRINT_MAX]
    else:
        page = Paginator(entries, BOOK_PER_PAGE).get_page(request.GET.get("page"))
        rows, truncated = list(page.object_list), False
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("print", None)
    context = {
        "unit": unit,
        "form": form,
        "date_from": date_from,
        "date_to": date_to,
        "rows": readable_rows(rows),
        "page": page,
        "printing": printing,
        "truncated": truncated,
        "query": params.urlencode(),
    }
    return render(request, "web/unit_records.html", context)
