"""One endpoint per workflow step: POST /api/v1/concerns/{reference}/{action}.

The endpoints are generated from the workflow table, each calling its service
(`concern_<action>`). The view checks, in this order and with the same functions the
service uses: that the user sees the concern (else 404), that the version they send is
current (else 409 with the current one), that the step is open to them now (else 403),
and that the input is well formed (else 400). The service then checks all of it again
inside its transaction, with the row locked, and decides everything else.
"""
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from huiying import access
from huiying.concerns import services as cs
from huiying.concerns.workflow import TRANSITIONS
from huiying.core.errors import Conflict

from .. import converters  # noqa: F401  (registers <reference:…>)
from ..schema import ConflictSerializer
from ..serializers.actions import INPUTS
from ..serializers.concerns import ConcernDetailSerializer
from .base import ApiView
from .concerns import concern_detail


class ConcernActionView(ApiView):
    action_code: str = ""
    schema_tags = ["workflow"]
    error_responses = {409: ConflictSerializer}

    def post(self, request, reference: str):
        concern = access.concern_get(request.user, reference=reference)
        version = request.data.get("version") if isinstance(request.data, dict) else None
        if isinstance(version, int) and not isinstance(version, bool) and version != concern.version:
            raise Conflict(concern.version)
        access.check_action(request.user, concern, self.action_code, seen=True)
        ser = INPUTS[self.action_code](data=request.data, context={"request": request, "concern": concern})
        ser.is_valid(raise_exception=True)
        args = dict(ser.validated_data)
        service = getattr(cs, f"concern_{self.action_code}")
        service(actor=request.user, concern=concern, **args)
        return Response(ConcernDetailSerializer(concern_detail(request.user, concern), context={"request": request}).data)


def _view(action: str):
    t = TRANSITIONS[action]
    doc = f"The workflow step `{action}`. Who may take it, from which states, on which tracks: docs/workflow.md."

    def post(self, request, reference: str):  # its own function, so each step has its own schema
        return ConcernActionView.post(self, request, reference)

    post = extend_schema(
        operation_id=f"concerns_{action}", summary=t.label, description=doc,
        request=INPUTS[action], responses={200: ConcernDetailSerializer},
    )(post)
    return type(f"Concern{action.title().replace('_', '')}View", (ConcernActionView,), {"action_code": action, "post": post})


urlpatterns = [
    path(f"concerns/<reference:reference>/{action}", _view(action).as_view(), name="concern-action-" + action.replace("_", "-"))
    for action in TRANSITIONS
]
