"""The public pages of a unit (no sign-in): the unit page and its notice board (公示牌),
and the villager's objection to a posted result. Small pages, no images: villagers open
them on cheap phones over weak networks."""
import datetime as dt

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from huiying.core import clock
from huiying.core.errors import ServiceError
from huiying.network.models import Level
from huiying.selfservice import abuse

from . import selectors, services
from .forms import ObjectionForm

UNIT_PAGE_ITEMS = 5


def _unit(pk):
    unit = selectors.public_unit(pk)
    if unit is None:
        raise Http404
    return unit


def _url(name: str, *args) -> str | None:
    """The URL of a page another part provides, or None while it is not built yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def unit_page(request, pk):
    unit = _unit(pk)
    today = clock.today()
    items = selectors.current_items(unit, today=today)
    receives = unit.level != Level.DEPARTMENT
    context = {
        "unit": unit,
        "receives": receives,
        "county": unit.parent if unit.level == Level.DEPARTMENT else None,
        "on_duty": selectors.on_duty_today(unit, today=today),
        "items": items[:UNIT_PAGE_ITEMS],
        "more_items": max(0, len(items) - UNIT_PAGE_ITEMS),
        "today": today, "objectable": True,
        "card_url": _url("printing:unit_card", unit.pk),
        "poster_url": _url("printing:poster", unit.pk),
    }
    return render(request, "board/unit.html", context)


def _month(value: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


def board(request, pk):
    """The current postings and, by month, the archive (`?month=2026-02`)."""
    unit = _unit(pk)
    today = clock.today()
    month = _month(request.GET.get("month"))
    context = {
        "unit": unit, "today": today, "month": month, "objectable": month is None,
        "months": selectors.archive_months(unit, today=today),
        "poster_url": _url("printing:poster", unit.pk),
    }
    if month:
        context["items"] = selectors.archived_items(unit, month=month, today=today)
    else:
        context["items"] = selectors.current_items(unit, today=today)
    return render(request, "board/board.html", context)


@abuse.protect("object")
def object_to(request, pk, item):
    """A villager objects to a posted result (公示异议) within its objection window."""
    unit = _unit(pk)
    posted = selectors.item_get(item)
    if posted is None or not posted.batch.unit.is_in_subtree_of(unit):
        raise Http404
    form = ObjectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.board_object(item=posted, reason=form.cleaned_data["reason"], phone=form.cleaned_data["phone"])
        except ServiceError as e:
            form.add_error(e.field if e.field in form.fields else None, e.text)
        else:
            return redirect(reverse("board:objected", args=[unit.pk]))
    today = clock.today()
    context = {"unit": unit, "item": posted, "form": form, "today": today, "open": posted.objection_open(today)}
    return render(request, "board/object.html", context)


def objected(request, pk):
    return render(request, "board/objected.html", {"unit": _unit(pk)})
