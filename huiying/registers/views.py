"""Pages of the paper-register import: the template, the upload (checked at once, every
error listed by row and column), and the confirmation that imports it."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiying.core.errors import ServiceError

from . import services
from .forms import UploadForm
from .models import RegisterUpload, UploadStatus
from .template import template_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def template_download(request):
    response = HttpResponse(template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename=\"register-template.xlsx\"; filename*=UTF-8''%E7%BA%B8%E8%B4%A8%E5%8F%B0%E8%B4%A6%E6%A8%A1%E6%9D%BF.xlsx"
    return response


@login_required
def index(request):
    form = UploadForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            upload = services.register_upload(actor=request.user, unit=form.cleaned_data["unit"], data=f.read(), filename=f.name)
        except ServiceError as e:
            form.add_error("file" if e.field == "file" else None, e.text)
        else:
            return redirect("registers:upload", upload.pk)
    uploads = RegisterUpload.objects.filter(owner=request.user).select_related("unit")[:10]
    return render(request, "registers/index.html", {"form": form, "uploads": uploads})


def _upload_or_404(request, pk) -> RegisterUpload:
    try:
        return services.register_upload_get(request.user, pk)
    except ServiceError:
        raise Http404 from None


@login_required
def upload_detail(request, pk):
    upload = _upload_or_404(request, pk)
    return render(request, "registers/upload.html", {"upload": upload, "statuses": UploadStatus})


@login_required
@require_POST
def confirm(request, pk):
    upload = _upload_or_404(request, pk)
    try:
        upload = services.register_confirm(actor=request.user, upload=upload)
    except ServiceError as e:
        messages.error(request, e.text)
    else:
        if upload.status == UploadStatus.IMPORTED:
            messages.success(request, _("Imported: %(what)s") % {"what": services.describe(services.ImportResult(**upload.summary))})
    return redirect("registers:upload", upload.pk)
