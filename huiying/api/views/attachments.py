"""Files kept with a concern (photos of signed agreements, scanned documents): upload with
`concern_attach`, download for whoever sees the concern (the web app's rule)."""
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from huiying import access
from huiying.concerns.models import AttachmentKind
from huiying.concerns.services import concern_attach
from huiying.core.errors import NotFound

from ..schema import ConflictSerializer
from ..serializers.common import IdField
from ..serializers.concerns import AttachmentSerializer
from .base import ApiView


class AttachInput(serializers.Serializer):
    file = serializers.FileField(help_text="A JPEG, PNG or PDF (checked by its content), within the size limit.")
    kind = serializers.ChoiceField(choices=AttachmentKind.choices, required=False, default=AttachmentKind.OTHER)
    version = IdField(required=False, help_text="If given, refused with 409 when the concern changed since (attaching does not change the version).")


class AttachmentUpload(ApiView):
    """Attach a file to a concern: staff who may take a step on it now."""

    schema_tags = ["attachments"]
    parser_classes = [MultiPartParser]
    error_responses = {409: ConflictSerializer}

    @extend_schema(request={"multipart/form-data": AttachInput}, responses={201: AttachmentSerializer})
    def post(self, request, reference: str):
        concern = access.concern_get(request.user, reference=reference)
        ser = AttachInput(data=request.data)
        ser.is_valid(raise_exception=True)
        att = concern_attach(actor=request.user, concern=concern, **ser.validated_data)
        return Response(AttachmentSerializer(att).data, status=status.HTTP_201_CREATED)


class AttachmentDownload(ApiView):
    schema_tags = ["attachments"]

    @extend_schema(responses={(200, content_type): OpenApiTypes.BINARY for content_type in settings.HUIYING_ATTACHMENT_TYPES})
    def get(self, request, reference: str, pk: int):
        concern = access.concern_get(request.user, reference=reference)
        att = concern.attachments.filter(pk=pk).first()
        if att is None:
            raise NotFound("attachment")
        try:
            f = att.file.open("rb")
        except FileNotFoundError:
            raise NotFound("attachment") from None
        name = (Path(att.original_name).stem[:80] or f"{concern.reference}-{att.pk}") + Path(att.file.name).suffix
        response = FileResponse(f, as_attachment=True, filename=name, content_type=att.content_type)
        response["Cache-Control"] = "private, no-store"
        return response
