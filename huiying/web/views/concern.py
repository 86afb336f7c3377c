"""The concern page: header, the actions allowed now, the track's records, the timeline;
one form per action; attachment downloads.

Concerns are loaded only through `access.concern_get`: a concern the person may not see
is a 404, never a 403 that would confirm it exists. The buttons are
`access.allowed_actions`; whether an action really runs is the service's decision.
"""
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from huiying import access
from huiying.concerns import dossier
from huiying.concerns.services import attachments
from huiying.concerns.workflow import TRANSITIONS
from huiying.core.errors import Conflict, NotFound, ServiceError
from huiying.notify import views as notify_views
from huiying.web.forms import add_service_error
from huiying.web.forms_actions import ATTACH, FORMS

ATTACH_TITLE = _("Attach a file")


def _concern(user, reference: str):
    try:
        return access.concern_get(user, reference=reference)
    except NotFound:
        raise Http404 from None


def _title(action: str) -> str:
    return ATTACH_TITLE if action == ATTACH else TRANSITIONS[action].label


def _refusal(user, concern, action: str) -> str | None:
    """Why `user` may not take `action` on `concern` now, or None if they may."""
    try:
        if action == ATTACH:
            attachments.attaching_membership(user, concern)
        else:
            access.check_action(user, concern, action, seen=True)
    except ServiceError as e:
        return e.text
    return None


@login_required
@require_GET
def detail(request, reference):
    user = request.user
    concern = _concern(user, reference)
    actions = access.allowed_actions(user, concern)
    show_phones = dossier.may_see_phones(user, concern, actions)
    context = {
        "concern": concern,
        "actions": actions,
        "late": dossier.is_late(concern),
        "villagers": dossier.villagers(concern, show_phones=show_phones),
        "timeline": dossier.timeline(concern, user),
        "merged_into": dossier.merged_into(concern, user),
        "records": dossier.track_records(concern),
        "attach_url": reverse("web:concern_act", args=[concern.reference, ATTACH]) if attachments.may_attach(user, concern) else None,
        **notify_views.panel_context(user, concern, show_phones=show_phones),
        # The tracking code lets its holder rate the result as the villager: only for the
        # people who handle the concern, who re-issue it to the villager (not supervisors).
        "show_tracking": show_phones,
    }
    return render(request, "web/concern.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def act(request, reference, action):
    """GET: the action's form (an HTMX partial, or a whole page without JavaScript).
    POST: run the action's service; on success go back to the concern page."""
    user = request.user
    concern = _concern(user, reference)
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404
    refusal, conflict, status = None, False, 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, concern=concern, user=user)
        if form.is_valid():
            try:
                form.perform()
            except Conflict as e:
                # Keep what was typed, say what happened and show the state as it is now.
                form.add_error(None, e.text)
                conflict, concern = True, _concern(user, reference)
            except ServiceError as e:
                add_service_error(form, e)
            else:
                messages.success(request, gettext("Done: %(action)s") % {"action": _title(action)})
                url = reverse("web:concern", args=[concern.reference])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    else:
        form = form_class(concern=concern, user=user)
        refusal = _refusal(user, concern, action)
        # HTMX does not swap a 403 into the page: say why in the panel instead.
        status = 403 if refusal and not request.htmx else 200
    context = {
        "concern": concern, "form": form, "title": _title(action), "refusal": refusal, "conflict": conflict,
        "form_url": reverse("web:concern_act", args=[concern.reference, action]),
    }
    template = "web/partials/action_form.html" if request.htmx else "web/concern_act.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def attachment(request, reference, pk):
    """Stream a file to someone who may see its concern; the same 404 for everyone else."""
    concern = _concern(request.user, reference)
    att = concern.attachments.filter(pk=pk).first()
    if att is None:
        raise Http404
    try:
        f = att.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # The uploader's name, with the extension of what the file really is.
    stem = Path(att.original_name).stem[:80] or f"{concern.reference}-{att.pk}"
    name = stem + Path(att.file.name).suffix
    response = FileResponse(f, as_attachment=True, filename=name, content_type=att.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
