"""The staff's board pages: post a batch of results (集中公示) and read the objections.
Who may is decided by `huiying.access` and the services; a unit outside the user's part of
the network is "not found"."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from huiying import access
from huiying.concerns.workflow import TRANSITIONS
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import STAFF_ROLES

from . import selectors, services
from .forms import BatchForm


def _unit(request, pk, *, roles=None):
    try:
        unit = access.unit_get(request.user, pk)
        access.check_unit_access(request.user, unit, roles=roles)
    except ServiceError:
        raise Http404 from None
    return unit


@login_required
def post_batch(request, pk):
    unit = _unit(request, pk, roles=TRANSITIONS["post"].roles)
    today = clock.today()
    candidates = selectors.post_candidates(unit).filter(access.concern_visibility_q(request.user))
    form = BatchForm(request.POST if request.method == "POST" else None, candidates=candidates, today=today)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            batch = services.board_batch_post(actor=request.user, unit=unit, concerns=list(d["concerns"]), period_start=d["period_start"],
                                              period_end=d["period_end"], objection_until=d["objection_until"])
        except NotFound as e:
            form.add_error(None, e.text)
        except ServiceError as e:
            form.add_error(e.field if e.field in form.fields else None, e.text)
        else:
            messages.success(request, _("%(n)s results posted on the board.") % {"n": batch.items.count()})
            return redirect(reverse("board:board", args=[unit.pk]))
    return render(request, "board/post_batch.html", {"unit": unit, "form": form, "has_candidates": candidates.exists()})


@login_required
def objections(request, pk):
    # The reasons and call-back phones are for staff (and the county's administrators).
    unit = _unit(request, pk, roles=STAFF_ROLES | access.COUNTY_WIDE)
    rows = selectors.objections_for_unit(unit).filter(concern__in=access.visible_concerns(request.user).values("id"))
    return render(request, "board/objections.html", {"unit": unit, "objections": list(rows[:200])})
