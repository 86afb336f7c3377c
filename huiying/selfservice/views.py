"""The villager's pages (no sign-in): submit a concern, track it and rate it, the suggestion
box. Every POST goes through `abuse.protect` (size and rate); the forms that write carry the
challenge. Pages that show a tracking or receipt code are never cached."""
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from huiying.core.errors import NotFound, ServiceError
from huiying.web.forms import add_service_error

from . import abuse, selectors, services, tracking
from .forms import BoxForm, RateForm, ReceiptForm, SubmitForm, TrackForm
from .middleware import anonymous_sender


def _unit(pk):
    try:
        return selectors.public_unit(pk)
    except NotFound:
        raise Http404 from None


@never_cache
@abuse.protect("submit")
def submit(request, pk):
    unit = _unit(pk)
    hamlets = selectors.hamlets_of(unit)
    form = SubmitForm(request.POST if request.method == "POST" else None, hamlets=hamlets)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            submission = services.submission_create(unit=unit, hamlet=d["hamlet"], function=d["function"], description=d["description"], phone=d["phone"])
        except ServiceError as e:
            add_service_error(form, e)
        else:
            code = tracking.tracking_code(submission.concern)
            return render(request, "selfservice/receipt.html", {
                "unit": unit, "concern": submission.concern, "code": tracking.grouped(code), "code_digits": " ".join(code),
            })
    return render(request, "selfservice/submit.html", {"unit": unit, "form": form})


@never_cache
@abuse.protect("track")
def track(request):
    """GET: the form. POST: reference + code → the progress; with a rating, record it first."""
    if request.method != "POST":
        return render(request, "selfservice/track.html", {"form": TrackForm(initial={"reference": request.GET.get("ref", "")[:24]})})
    rating = "rating" in request.POST
    form = (RateForm if rating else TrackForm)(request.POST)
    form.is_valid()
    d = form.cleaned_data
    if "reference" not in d or "code" not in d:
        return render(request, "selfservice/track.html", {"form": TrackForm(request.POST)})
    try:
        concern = selectors.concern_by_tracking(reference=d["reference"], code=d["code"])
    except abuse.RateLimited as e:
        return abuse.too_many_response(request, e)
    except NotFound as e:
        lookup = TrackForm(request.POST)
        lookup.is_valid()
        lookup.add_error(None, e.text)
        return render(request, "selfservice/track.html", {"form": lookup})
    rated = False
    if rating and form.is_valid():
        try:
            services.concern_rate_online(concern=concern, version=d["version"], rating=d["rating"], comment=d.get("comment", ""))
            rated = True
        except ServiceError as e:
            add_service_error(form, e)
        concern.refresh_from_db()
    progress = selectors.progress(concern)
    rate_form = form if rating and not rated else RateForm(initial={"reference": concern.reference, "code": d["code"], "version": concern.version})
    return render(request, "selfservice/track.html", {
        "form": TrackForm(initial={"reference": concern.reference}), "progress": progress, "rate_form": rate_form,
        "rated_now": rated, "code": tracking.normalize(d["code"]),
    })


@never_cache
@anonymous_sender
@abuse.protect("box")
def box(request, pk):
    """The unit's suggestion box (意见箱): a note, nothing about who sent it."""
    unit = _unit(pk)
    hamlets = selectors.hamlets_of(unit)
    form = BoxForm(request.POST if request.method == "POST" else None, hamlets=hamlets)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _suggestion, code = services.suggestion_drop(unit=unit, text=d["text"], hamlet=d["hamlet"], topic=d["topic"])
        except ServiceError as e:
            add_service_error(form, e)
        else:
            return render(request, "selfservice/box_receipt.html", {"unit": unit, "code": " ".join([code[:3], code[3:6], code[6:]])})
    return render(request, "selfservice/box.html", {"unit": unit, "form": form, "receipt_form": ReceiptForm(),
                                                    "answers": selectors.public_answers(unit, limit=5)})


@never_cache
@anonymous_sender
@abuse.protect("track")
def box_answer(request):
    """The sender's receipt code → their suggestion and its answer, if there is one yet."""
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    suggestion = None
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = selectors.suggestion_by_receipt(form.cleaned_data["receipt"])
        except NotFound as e:
            form.add_error("receipt", e.text)
    return render(request, "selfservice/box_answer.html", {"form": form, "suggestion": suggestion})
