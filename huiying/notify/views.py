"""Staff pages for text messages: a concern's messages (a panel on the concern page, see
`panel_context`), the list of messages that failed or wait, and sending one again."""
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huiying.core.errors import NotFound, ServiceError

from . import selectors, services
from .models import Notification, Status

PER_PAGE = 30


def panel_context(user, concern, *, show_phones: bool) -> dict:
    """What the concern page's "Text messages" panel shows."""
    rows = selectors.for_concern(concern)
    return {
        "notifications": [{"n": n, "phone": selectors.shown_phone(n, full=show_phones)} for n in rows],
        "may_retry": bool(rows) and services.may_manage(user, rows[0]),
    }


@login_required
@require_GET
def notification_list(request):
    status = request.GET.get("status", "")
    qs = selectors.visible(request.user)
    if status in Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
        qs = qs.exclude(status=Status.SENT)
    page = Paginator(qs.order_by("-created_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"n": n, "phone": selectors.shown_phone(n, full=False)} for n in page]
    return render(request, "notify/list.html", {"page": page, "rows": rows, "status": status, "statuses": Status.choices})


@login_required
@require_POST
def notification_retry(request, pk):
    n = Notification.objects.select_related("concern").filter(pk=pk).first()
    if n is None:
        raise Http404
    try:
        services.notification_retry(actor=request.user, notification=n)
    except NotFound:
        raise Http404 from None
    except ServiceError as e:
        flash.error(request, e.text)
    else:
        flash.success(request, _("The message will be sent again."))
    return redirect(request.POST.get("next") or "notify:list")
