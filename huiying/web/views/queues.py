"""Queues and search (查询): one list of concerns, narrowed by queue, filters and keywords.

A plain GET form (works without JavaScript); with HTMX the form and the queue and page
links swap only the results (`partials/concern_results.html`) and push the URL, so the
browser's history and a copied link give the same list.
"""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from huiying import access
from huiying.concerns import queues
from huiying.concerns.models import OPEN_STATES
from huiying.concerns.search import reference_hit
from huiying.core import clock

from ..forms_queues import ConcernFilterForm

PER_PAGE = 25


def _link(request, **changes) -> str:
    """The current query string with `changes` applied (None removes a key)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@login_required
def concern_list(request):
    user, today = request.user, clock.today()
    form = ConcernFilterForm(user, request.GET or None)
    f = form.filters()
    # A reference number typed exactly goes to the concern — if the user may see it.
    hit = reference_hit(access.visible_concerns(user), f.q)
    if hit is not None:
        url = reverse("web:concern", args=[hit.reference])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)

    queue = form.current_queue()
    qs = queues.filtered_concerns(user, f, today=today)
    counts = queues.queue_counts(user, qs, form.queues, today=today)
    paginator = Paginator(queues.queue_listing(user, queue, qs, today=today), PER_PAGE)
    paginator.count = counts[queue]  # counted above in the same query as the other queues
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "queue": queue,
        "tabs": [
            {"name": name, "label": queues.QUEUE_LABELS[name], "count": counts[name], "url": _link(request, queue=name, page=None)}
            for name in form.queues
        ],
        "page": page,
        "page_links": {
            "prev": _link(request, page=page.previous_page_number()) if page.has_previous() else None,
            "next": _link(request, page=page.next_page_number()) if page.has_next() else None,
        },
        "breakdown": [
            {"unit": u, "count": n, "url": _link(request, unit=u.id, page=None)}
            for u, n in (queues.breakdown(qs.filter(queues.queue_q(user, queue, today=today)), f.unit) if f.unit else [])
            if n
        ],
        "narrowed": form.narrowed(),
        "today": today,
        "open_states": [s.value for s in OPEN_STATES],
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "web/partials/concern_results.html" if partial else "web/concerns.html", {**context, "oob": partial})
    patch_vary_headers(response, ["HX-Request"])
    return response
