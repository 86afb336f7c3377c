"""Joining an open concern (集体关切): more villagers raise a matter already registered, and
are added to it (`concern_join`) instead of a duplicate being registered."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from huiying import access
from huiying.concerns.services import concern_join
from huiying.core.errors import Conflict

from ..schema import ConflictSerializer
from ..serializers import common
from ..serializers.actions import StepInput
from ..serializers.concerns import ConcernDetailSerializer
from .base import ApiView
from .concerns import concern_detail


class JoinInput(StepInput):
    villagers = serializers.ListField(child=common.ObjectIdField(common.villagers), required=False, max_length=50, help_text="Ids of the villagers who join.")
    visit = common.ObjectIdField(common.visits, required=False, allow_null=True, help_text="The visit they came in person with, if any.")


class ConcernJoin(ApiView):
    schema_tags = ["workflow"]
    error_responses = {409: ConflictSerializer}

    @extend_schema(operation_id="concerns_join", request=JoinInput, responses={200: ConcernDetailSerializer})
    def post(self, request, reference: str):
        concern = access.concern_get(request.user, reference=reference)
        version = request.data.get("version") if isinstance(request.data, dict) else None
        if isinstance(version, int) and not isinstance(version, bool) and version != concern.version:
            raise Conflict(concern.version)
        ser = JoinInput(data=request.data, context={"request": request, "concern": concern})
        ser.is_valid(raise_exception=True)
        concern_join(actor=request.user, concern=concern, **{"villagers": [], **ser.validated_data})
        return Response(ConcernDetailSerializer(concern_detail(request.user, concern), context={"request": request}).data)
