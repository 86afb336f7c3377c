"""Reception and registration on one screen (热情接待 + 受理登记), and its HTMX helpers.

The page is one plain form: it works without JavaScript (small edits are round trips with
an `op` button; saving is a POST that redirects to the receipt). With HTMX the same
templates come back as partials: the villager search as you type, picking a villager, a
new villager, one more concern block, similar open concerns and the suggested track.
"""
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from huiying.concerns import selectors as cq
from huiying.concerns import services as cs
from huiying.concerns.models import RiskLevel
from huiying.core.errors import ServiceError

from ..forms import add_service_error
from ..forms_intake import MAX_BLOCKS, ConcernForm, ReceptionForm, ReceptionPage, block_view, pick_into, similar_view, track_options


def receiving_staff(view):
    """Only staff who may receive somewhere get the screen; others a clear refusal."""
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        units = cq.receiving_units(request.user)
        if not units:
            return render(request, "web/reception.html", {"denied": True}, status=403)
        request.receiving_units = units
        return view(request, *args, **kwargs)
    return wrapped


def _page(request, page: ReceptionPage, **extra):
    blocks = page.block_views()
    context = {"page": page, "form": page.form, "nv": page.new_villager, "blocks": blocks, "picked": page.picked,
               "picked_ids": {str(v.pk) for v in page.picked},
               "next_index": max((b["i"] for b in blocks), default=-1) + 1, "max_blocks": MAX_BLOCKS, **extra}
    return render(request, "web/reception.html", context)


def _add_villager(request, page: ReceptionPage):
    """Register the villager typed into the "new villager" form. Returns (page, villager or None)."""
    nv = page.new_villager
    if nv.is_valid():
        try:
            villager = cs.villager_create(actor=request.user, **nv.service_kwargs(page.hamlet))
        except ServiceError as e:
            add_service_error(nv, e)
        else:
            return page.with_villager(villager), villager
    return page, None


@receiving_staff
@require_http_methods(["GET", "POST"])
def reception(request):
    """The screen; a POST either saves (`op=save`, the default) or makes one small edit."""
    if request.method != "POST":
        return _page(request, ReceptionPage(request.user, request.receiving_units))
    page = ReceptionPage(request.user, request.receiving_units, request.POST.copy())
    op, _sep, arg = request.POST.get("op", "save").partition(":")
    if op == "add_villager":
        page, _villager = _add_villager(request, page)
    elif op != "save":
        page = page.edited(op, arg)
    elif page.is_valid():
        if page.unseen_similar():
            return _page(request, page, check_similar=True)
        try:
            result = cs.reception_record(actor=request.user, **page.service_kwargs())
        except ServiceError as e:
            page.add_service_error(e)
        else:
            query = [("v", result.visit.pk)] if result.visit else []
            query += [("r", c.reference) for c in result.registered] + [("j", c.reference) for c in result.joined]
            return redirect(f"{reverse('web:reception_receipt')}?{urlencode(query)}")
    return _page(request, page)


@receiving_staff
@require_GET
def receipt(request):
    """What was saved, with reference numbers large enough to read out over the phone."""
    context = {
        "visit": cq.visit_received(request.user, request.GET.get("v", "")),
        "registered": cq.concerns_by_reference(request.user, request.GET.getlist("r")),
        "joined": cq.concerns_by_reference(request.user, request.GET.getlist("j")),
    }
    return render(request, "web/reception_receipt.html", context)


@receiving_staff
@require_GET
def villager_search(request):
    results = cq.villager_search(request.user, request.GET.get("q", ""))
    return render(request, "web/partials/reception_results.html",
                  {"results": results, "picked": set(request.GET.getlist("villagers")), "searched": bool(request.GET.get("q", "").strip())})


def _picked_response(request, data, villager, **extra):
    """The picked villager's chip, its tick in every concern block, and the search cleared."""
    already = str(villager.pk) in data.getlist("villagers")
    indices = ReceptionPage.block_indices(data)
    pick_into(data, str(villager.pk), indices)
    form = ReceptionForm(data, user=request.user, units=request.receiving_units)
    context = {"villager": villager, "already": already, "prefixes": [f"c{i}" for i in indices], "form": form, **extra}
    return render(request, "web/partials/reception_picked.html", context)


@receiving_staff
@require_GET
def villager_pick(request):
    pk = request.GET.get("pick", "")
    villager = cq.villagers_served(request.user).filter(pk=pk).first() if pk.isdigit() else None
    if villager is None:
        raise Http404
    return _picked_response(request, request.GET.copy(), villager)


@receiving_staff
@require_POST
def villager_new(request):
    page = ReceptionPage(request.user, request.receiving_units, request.POST.copy())
    page, villager = _add_villager(request, page)
    if not request.htmx:
        return _page(request, page)
    if villager is None:
        response = render(request, "web/partials/reception_new_villager.html", {"nv": page.new_villager})
        return reswap(retarget(response, "#new-villager"), "outerHTML")
    return _picked_response(request, request.POST.copy(), villager, nv=page.new_villager)


@receiving_staff
@require_GET
def similar(request):
    i = _index(request)
    page = ReceptionPage(request.user, request.receiving_units, request.GET.copy())
    context = {"i": i, "prefix": f"c{i}", "similar": similar_view(request.user, request.GET, f"c{i}", page.hamlet)}
    return render(request, "web/partials/reception_similar.html", context)


@receiving_staff
@require_GET
def suggest_track(request):
    i = _index(request)
    return render(request, "web/partials/reception_track.html", {"i": i, "prefix": f"c{i}", "track": track_options(request.GET, f"c{i}")})


@receiving_staff
@require_GET
def concern_block(request):
    """One more concern block (HTMX), with the villagers picked so far ticked."""
    i = _index(request)
    data = request.GET.copy()
    data[f"c{i}-present"], data[f"c{i}-risk_level"] = "1", RiskLevel.LOW
    data.setlist(f"c{i}-villagers", data.getlist("villagers"))
    page = ReceptionPage(request.user, request.receiving_units, data)
    form = ConcernForm(data, user=request.user, index=i)
    block = block_view(request.user, form, data, page.picked, page.hamlet)
    return render(request, "web/partials/reception_block_added.html", {"b": block, "next_index": i + 1, "max_blocks": MAX_BLOCKS})


def _index(request) -> int:
    i = request.GET.get("i", "")
    if not i.isdigit() or int(i) >= MAX_BLOCKS:
        raise Http404
    return int(i)
