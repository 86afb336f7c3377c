"""Pages of the exports: the register export (the queue page's filters), the dashboard
export, the job page (progress by HTMX polling, or a plain reload), the download (only for
the job's owner, files are never served from MEDIA_ROOT directly) and the monthly PDF."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from huiying.core.errors import ServiceError

from . import monthly, register, services
from .forms import DashboardExportForm, MonthlyForm
from .models import ExportJob, ExportStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _job_or_404(request, pk) -> ExportJob:
    try:
        return services.export_get(request.user, pk)
    except ServiceError:
        raise Http404 from None


def _started(request, job: ExportJob):
    job = services.export_start(job)
    if job.status == ExportStatus.DONE:
        return redirect("reports:download", job.pk)
    return redirect("reports:job", job.pk)


@login_required
def register_export(request):
    """GET: the queue page's filters and how many concerns they hold; POST: export them."""
    from huiying.web.forms_queues import ConcernFilterForm

    params = (request.POST if request.method == "POST" else request.GET).dict()
    params.pop("csrfmiddlewaretoken", None)
    if request.method == "POST":
        try:
            job = services.export_register_create(actor=request.user, params=params)
        except ServiceError as e:
            messages.error(request, e.text)
            return redirect(reverse("reports:register") + "?" + request.POST.urlencode())
        return _started(request, job)
    form = ConcernFilterForm(request.user, request.GET or None)
    count = register.register_for(request.user, params).count()
    return render(request, "reports/register.html", {
        "form": form, "queue": form.current_queue(), "count": count, "params": params,
        "background": count > settings.HUIYING_EXPORT_STREAM_MAX_ROWS,
    })


@login_required
def dashboard_export(request):
    form = DashboardExportForm(request.user, request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            job = services.export_dashboard_create(actor=request.user, unit=form.cleaned_data["unit"],
                                                   date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"])
        except ServiceError as e:
            form.add_error(None, e.text)
        else:
            return _started(request, job)
    return render(request, "reports/dashboard_export.html", {"form": form})


@login_required
def job_list(request):
    jobs = ExportJob.objects.filter(owner=request.user).order_by("-created_at", "-id")[:30]
    return render(request, "reports/jobs.html", {"jobs": jobs})


@login_required
def job_detail(request, pk):
    job = _job_or_404(request, pk)
    context = {"job": job, "available": services.export_path(job) is not None}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "reports/partials/job_status.html", context)
    return render(request, "reports/job.html", context)


@login_required
@require_POST
def job_retry(request, pk):
    job = _job_or_404(request, pk)
    try:
        services.export_retry(actor=request.user, job=job)
    except ServiceError as e:
        messages.error(request, e.text)
    return redirect("reports:job", job.pk)


@login_required
def download(request, pk):
    job = _job_or_404(request, pk)
    path = services.export_path(job)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX)


@login_required
def monthly_report(request):
    """The monthly report PDF of a unit (?unit=ID&month=YYYY-MM; this month by default)."""
    form = MonthlyForm(request.user, request.GET or None)
    if not request.GET or not form.is_valid():
        return render(request, "reports/monthly.html", {"form": form}, status=200 if not request.GET else 400)
    unit, month = form.cleaned_data["unit"], form.cleaned_data["month"]
    pdf = monthly.monthly_pdf(request.user, unit, month)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="monthly-{unit.code or unit.pk}-{month:%Y-%m}.pdf"'
    return response


