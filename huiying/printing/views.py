"""Downloads of the printables: PDFs, one click from the unit, record book and workflow
pages. Public printables need no sign-in; the others send a stranger to sign in and are
"not found" for whoever may not see them. A bad parameter is a 400 page naming it."""
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render

from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Unit

from . import printables


def base_url(request) -> str:
    """Where QR codes point: the configured public address, else this request's host."""
    return printables.configured_base_url() or request.build_absolute_uri("/")


def pdf_response(printable: printables.Printable, *, private: bool = True) -> HttpResponse:
    response = HttpResponse(printable.content, content_type=printable.content_type)
    response["Content-Disposition"] = f'inline; filename="{printable.filename}"'
    if private:  # staff phones, the record book: never kept by a shared cache
        response["Cache-Control"] = "private, no-store"
    return response


def _print(request, kind: str, pk: int, username: str | None = None):
    if kind not in printables.PUBLIC_KINDS and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:
        raise Http404
    try:
        printable = printables.make(kind, viewer=request.user, unit=unit, base_url=base_url(request), params=request.GET, username=username)
    except NotFound:
        raise Http404 from None
    except ServiceError as e:
        return render(request, "printing/bad_request.html", {"unit": unit, "field": e.field, "message": e.text}, status=400)
    return pdf_response(printable, private=kind not in printables.PUBLIC_KINDS)


def unit_card(request, pk):
    return _print(request, "card", pk)


def staff_cards(request, pk):
    return _print(request, "cards", pk)


def staff_card(request, pk, username):
    return _print(request, "staff_card", pk, username)


def poster(request, pk):
    return _print(request, "poster", pk)


def roster(request, pk):
    return _print(request, "roster", pk)


def records(request, pk):
    return _print(request, "records", pk)


def workflow(request, pk):
    return _print(request, "workflow", pk)
