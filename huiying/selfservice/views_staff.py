"""The suggestion inbox for a unit's staff: read, answer (publicly or not), make a concern."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from huiying.core.errors import NotFound, ServiceError
from huiying.web.forms import add_service_error

from . import selectors, services
from .forms import AnswerForm


@login_required
def inbox(request):
    units = selectors.inbox_units(request.user)
    if not units:
        raise Http404
    chosen = next((u for u in units if str(u.pk) == request.GET.get("unit")), None)
    if chosen is None and request.GET.get("unit"):
        # A unit below one's own (a township reads its stations' boxes).
        try:
            chosen = selectors.public_unit(request.GET["unit"])
            selectors.inbox(request.user, chosen)
        except ServiceError:
            raise Http404 from None
    chosen = chosen or units[0]
    rows = list(selectors.inbox(request.user, chosen)[:200])
    return render(request, "selfservice/inbox.html", {"units": units, "unit": chosen, "rows": rows,
                                                      "unread": sum(1 for s in rows if s.read_at is None)})


@login_required
def suggestion(request, pk):
    try:
        s = selectors.suggestion_get(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = AnswerForm(initial={"answer": s.answer, "public": s.answer_public or not s.answer})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer":
                form = AnswerForm(request.POST)
                if form.is_valid():
                    services.suggestion_answer(actor=request.user, suggestion=s, answer=form.cleaned_data["answer"], public=form.cleaned_data["public"])
                    messages.success(request, _("The answer was saved."))
                    return redirect("selfservice:suggestion", pk=s.pk)
            elif action == "concern":
                concern = services.suggestion_to_concern(actor=request.user, suggestion=s)
                messages.success(request, _("Concern %(ref)s was registered from this suggestion.") % {"ref": concern.reference})
                return redirect("web:concern", reference=concern.reference)
            else:
                services.suggestion_mark_read(actor=request.user, suggestion=s)
                return redirect("selfservice:suggestion", pk=s.pk)
        except ServiceError as e:
            add_service_error(form, e)
    return render(request, "selfservice/suggestion.html", {"s": s, "form": form, "scrubbed": selectors.scrub(s.text)})
