"""The board in the REST API: the public board of a unit and a villager's objection (no
sign-in, like the web pages), and the staff's batch posting and objections list.

Public endpoints take no credentials at all (a token is ignored, not checked): they give
only what the public board shows. The objection goes through the same abuse protection as
the web form (body size, rate per client, the challenge its GET gives)."""
import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from huiying import access
from huiying.api.schema import ConflictSerializer, ErrorSerializer
from huiying.api.views.base import ApiView
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.selfservice import abuse

from . import selectors, services
from .models import PostingBatch



class PostedItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    unit = serializers.IntegerField(source="batch.unit_id")
    unit_name = serializers.CharField()
    function = serializers.CharField()
    function_label = serializers.CharField()
    track = serializers.CharField()
    track_label = serializers.CharField()
    summary = serializers.CharField(help_text="Anonymised: names, phone and ID numbers taken out.")
    result = serializers.CharField(help_text="Anonymised like the summary.")
    hamlet_name = serializers.CharField()
    posted_on = serializers.DateField()
    period_start = serializers.DateField(source="batch.period_start")
    period_end = serializers.DateField(source="batch.period_end")
    objection_until = serializers.DateField()
    objection_open = serializers.SerializerMethodField()

    def get_objection_open(self, item) -> bool:
        return item.objection_open(self.context["today"])


class BoardQuery(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="YYYY-MM: the archive of postings that ended in that month.")


class ObjectionForm(serializers.Serializer):
    item = PostedItemSerializer()
    challenge = serializers.CharField(help_text="Send it back with the objection.")
    question = serializers.CharField(help_text="A small sum in Chinese words; `answer` is its result.")


class ObjectionInput(serializers.Serializer):
    reason = serializers.CharField(max_length=services.OBJECTION_MAX_LENGTH, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    challenge = serializers.CharField(max_length=200, help_text="The token from GET on this URL.")
    answer = serializers.CharField(max_length=8, help_text="The answer to its question.")


class ObjectionReceipt(serializers.Serializer):
    received = serializers.BooleanField()


class BatchInput(serializers.Serializer):
    concerns = serializers.ListField(child=serializers.CharField(max_length=24), min_length=1, max_length=200, help_text="Reference numbers.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    objection_until = serializers.DateField()


class BatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    objection_until = serializers.DateField()
    items = PostedItemSerializer(many=True, source="items.all")


class ObjectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    concern = serializers.CharField(source="concern.reference")
    item = serializers.IntegerField(source="item_id")
    reason = serializers.CharField()
    phone = serializers.CharField(help_text="For a call-back; staff only.")
    at = serializers.DateTimeField()


def _public_unit(pk):
    unit = selectors.public_unit(pk)
    if unit is None:
        raise NotFound("unit", None)
    return unit


class PublicView(ApiView):
    schema_tags = ["board"]
    permission_classes = [AllowAny]
    authentication_classes: list = []


class Board(PublicView):
    """A unit's public notice board (公示牌), no sign-in: what is posted today in the unit and
    its subtree, or with `month` the archive. Anonymised; confidential matters never appear."""

    @extend_schema(parameters=[BoardQuery], responses=PostedItemSerializer(many=True), operation_id="board_list")
    def get(self, request, pk):
        unit = _public_unit(pk)
        q = BoardQuery(data=request.query_params)
        q.is_valid(raise_exception=True)
        today = clock.today()
        if "month" in q.validated_data:
            month = dt.datetime.strptime(q.validated_data["month"], "%Y-%m").date()
            items = selectors.archived_items(unit, month=month, today=today)
        else:
            items = selectors.current_items(unit, today=today)
        return Response(PostedItemSerializer(items, many=True, context={"today": today}).data)


def _posted(unit, item):
    posted = selectors.item_get(item)
    if posted is None or not posted.batch.unit.is_in_subtree_of(unit):
        raise NotFound("item", None)
    return posted


class Object(PublicView):
    """A villager's objection to a posted result, within its objection window: the result
    goes back to its handler. No name; the optional phone is for a call-back by staff.
    GET gives the form: the result and a fresh challenge; POST sends it."""

    error_responses = {413: ErrorSerializer, 429: ErrorSerializer}

    @extend_schema(responses=ObjectionForm, operation_id="board_objection_form")
    def get(self, request, pk, item):
        posted = _posted(_public_unit(pk), item)
        c = abuse.new_challenge()
        return Response({"item": PostedItemSerializer(posted, context={"today": clock.today()}).data, "challenge": c.token, "question": c.question})

    @extend_schema(request=ObjectionInput, responses={201: ObjectionReceipt}, operation_id="board_object")
    def post(self, request, pk, item):
        try:
            abuse.check_request(request, "object")
        except abuse.TooLarge:
            return Response({"errors": {"body": [_("This is more than the form takes.")]}}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        except abuse.RateLimited as e:
            body = {"errors": {"non_field_errors": [_("Too many attempts. Please try again in %(n)s minutes.") % {"n": e.minutes}]}}
            return Response(body, status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(e.retry_after)})
        posted = _posted(_public_unit(pk), item)
        ser = ObjectionInput(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        abuse.check_challenge(d["challenge"], d["answer"])
        services.board_object(item=posted, reason=d["reason"], phone=d["phone"])
        return Response({"received": True}, status=status.HTTP_201_CREATED)


def _staff_unit(request, pk, roles):
    unit = access.unit_get(request.user, pk)
    try:
        access.check_unit_access(request.user, unit, roles=roles)
    except ServiceError:
        raise NotFound("unit", None) from None
    return unit


class Batches(ApiView):
    """Post results under supervision as one batch (集中公示) on the unit's board: all or none."""

    schema_tags = ["board"]
    error_responses = {409: ConflictSerializer}

    @extend_schema(request=BatchInput, responses={201: BatchSerializer}, operation_id="board_batch_post")
    def post(self, request, pk):
        from huiying.concerns.workflow import TRANSITIONS

        unit = _staff_unit(request, pk, TRANSITIONS["post"].roles)
        ser = BatchInput(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        concerns = []
        for ref in d["concerns"]:
            try:
                concerns.append(access.concern_get(request.user, reference=ref))
            except NotFound:
                raise ServiceError("concerns", gettext_lazy("No such concern: %(reference)s"), params={"reference": ref}) from None
        batch = services.board_batch_post(actor=request.user, unit=unit, concerns=concerns, period_start=d["period_start"],
                                          period_end=d["period_end"], objection_until=d["objection_until"])
        batch = PostingBatch.objects.select_related("unit").get(pk=batch.pk)
        return Response(BatchSerializer(batch, context={"today": clock.today()}).data, status=status.HTTP_201_CREATED)


class Objections(ApiView):
    """Objections to results posted in the unit's subtree, newest first (staff)."""

    schema_tags = ["board"]

    @extend_schema(responses=ObjectionSerializer(many=True), operation_id="board_objections")
    def get(self, request, pk):
        from huiying.network.models import STAFF_ROLES

        unit = _staff_unit(request, pk, STAFF_ROLES | access.COUNTY_WIDE)
        rows = selectors.objections_for_unit(unit).filter(concern__in=access.visible_concerns(request.user).values("id"))[:500]
        return Response(ObjectionSerializer(rows, many=True).data)
