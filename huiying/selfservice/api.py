"""The villager's channels over the API: public endpoints (no credentials; the same abuse
protection as the pages: size, rate and the challenge for writes) and the staff inbox."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from huiying.api.schema import ErrorSerializer
from huiying.api.views.base import ApiView
from huiying.concerns.models import Function, Rating, Track
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Hamlet

from . import abuse, selectors, services, tracking
from .services import MAX_ANSWER, MAX_COMMENT, MAX_DESCRIPTION, MAX_SUGGESTION

PUBLIC_ERRORS = {413: ErrorSerializer, 429: ErrorSerializer}


def _error(status_code: int, message: str, *, retry_after: int | None = None) -> Response:
    r = Response({"errors": {"non_field_errors": [message]}}, status=status_code)
    if retry_after:
        r["Retry-After"] = str(retry_after)
    return r


class PublicView(ApiView):
    """No credentials; every POST is size-checked and rate-limited per client (scope)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    error_responses = PUBLIC_ERRORS
    schema_tags = ["villager"]
    scope = "default"

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            try:
                abuse.check_request(request, self.scope)
            except abuse.TooLarge:
                self.headers = {}
                return self.finalize_response(request, _error(413, _("Too much text.")), *args, **kwargs)
            except abuse.RateLimited as e:
                self.headers = {}
                msg = _("Too many requests. Try again in %(minutes)s minutes.") % {"minutes": e.minutes}
                return self.finalize_response(request, _error(429, msg, retry_after=e.retry_after), *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class ChallengeInput(serializers.Serializer):
    challenge = serializers.CharField(max_length=200, help_text="The token from GET selfservice/units/{id}/form.")
    answer = serializers.CharField(max_length=8, help_text="The answer to its question (digits or Chinese numerals).")

    def validate(self, data):
        abuse.check_challenge(data["challenge"], data["answer"])
        return data


class PublicHamletSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PublicFormSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="The unit's name.")
    hamlets = PublicHamletSerializer(many=True, help_text="The hamlets it serves: the choices of `hamlet`.")
    challenge = serializers.CharField(help_text="Send it back with the form, with the answer to `question`.")
    question = serializers.CharField(help_text="A small sum in words, e.g. 三加四等于几？")


class UnitForm(PublicView):
    @extend_schema(operation_id="selfservice_unit_form", responses={200: PublicFormSerializer})
    def get(self, request, pk: int):
        """What a client needs to show the unit's public forms (submit, suggestion box): its
        hamlets and a fresh challenge."""
        unit = selectors.public_unit(pk)
        c = abuse.new_challenge()
        return Response({"unit": unit.name, "hamlets": [{"id": h.id, "name": h.name} for h in selectors.hamlets_of(unit)],
                         "challenge": c.token, "question": c.question})


class SubmitInput(ChallengeInput):
    hamlet = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="A hamlet the unit serves (selfservice/units/{id}/form).")
    function = serializers.ChoiceField(choices=Function.choices)
    description = serializers.CharField(max_length=MAX_DESCRIPTION)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class SubmitSerializer(serializers.Serializer):
    reference = serializers.CharField()
    tracking_code = serializers.CharField(help_text="8 digits; with the reference it shows the progress. Keep it secret.")
    due_date = serializers.DateField()


class Submit(PublicView):
    scope = "submit"

    @extend_schema(operation_id="selfservice_submit", request=SubmitInput, responses={201: SubmitSerializer})
    def post(self, request, pk: int):
        """Submit a concern to the unit, as on its public page. No name is asked."""
        unit = selectors.public_unit(pk)
        ser = SubmitInput(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        hamlet = Hamlet.objects.filter(pk=d["hamlet"]).first()
        if hamlet is None:
            raise ServiceError("hamlet", _("This hamlet is not served here. Please choose one from the list."))
        sub = services.submission_create(unit=unit, hamlet=hamlet, function=d["function"], description=d["description"], phone=d["phone"])
        c = sub.concern
        return Response({"reference": c.reference, "tracking_code": tracking.tracking_code(c), "due_date": c.due_date}, status=status.HTTP_201_CREATED)


class TrackInput(serializers.Serializer):
    reference = serializers.CharField(max_length=24)
    code = serializers.CharField(max_length=20, help_text="The tracking code.")


class StepSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=["done", "current", "todo"])


class UpcomingVisitSerializer(serializers.Serializer):
    date = serializers.DateField()
    place = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    reference = serializers.CharField(source="concern.reference")
    version = serializers.IntegerField(source="concern.version", help_text="Send it with a rating.")
    state = serializers.CharField(source="concern.state")
    state_label = serializers.CharField()
    steps = StepSerializer(many=True)
    received_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    handling_unit = serializers.CharField(help_text="The name of the unit handling it (no staff names).")
    outcome = serializers.CharField(source="concern.outcome")
    outcome_label = serializers.CharField()
    result = serializers.CharField(help_text="Empty until there is a result; always empty for a confidential concern (told in person).")
    appointment = UpcomingVisitSerializer(allow_null=True, help_text="The next booked higher-level visit, if any.")
    can_rate = serializers.BooleanField()
    rated = serializers.CharField(help_text="The rating given to the current result, if any.")
    confidential = serializers.BooleanField()


def _lookup(d) -> object:
    try:
        return selectors.concern_by_tracking(reference=d["reference"], code=d["code"])
    except abuse.RateLimited:
        raise
    except NotFound as e:
        raise NotFound("code", e.text) from None


class TrackProgress(PublicView):
    scope = "track"

    @extend_schema(operation_id="selfservice_track", request=TrackInput, responses={200: ProgressSerializer})
    def post(self, request):
        """The progress of the concern with this reference and tracking code (404 for a wrong pair, whichever is wrong)."""
        ser = TrackInput(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            concern = _lookup(ser.validated_data)
        except abuse.RateLimited as e:
            return _error(429, _("Too many requests. Try again in %(minutes)s minutes.") % {"minutes": e.minutes}, retry_after=e.retry_after)
        return Response(ProgressSerializer(selectors.progress(concern)).data)


class VillagerRatingInput(TrackInput):
    version = serializers.IntegerField()
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(max_length=MAX_COMMENT, required=False, allow_blank=True, default="")


class Rate(PublicView):
    scope = "track"
    error_responses = {**PUBLIC_ERRORS, 409: ErrorSerializer}

    @extend_schema(operation_id="selfservice_rate", request=VillagerRatingInput, responses={200: ProgressSerializer})
    def post(self, request):
        """Rate the result (once per result; only a finished, resolved, not confidential concern). Dissatisfied reopens it."""
        ser = VillagerRatingInput(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            concern = _lookup(d)
        except abuse.RateLimited as e:
            return _error(429, _("Too many requests. Try again in %(minutes)s minutes.") % {"minutes": e.minutes}, retry_after=e.retry_after)
        services.concern_rate_online(concern=concern, version=d["version"], rating=d["rating"], comment=d["comment"])
        concern.refresh_from_db()
        return Response(ProgressSerializer(selectors.progress(concern)).data)


class BoxInput(ChallengeInput):
    text = serializers.CharField(max_length=MAX_SUGGESTION)
    hamlet = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True, default=None)
    topic = serializers.ChoiceField(choices=Function.choices, required=False, allow_blank=True, default="")


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField(help_text="10 digits, shown only this once: with it the sender reads the answer.")


class Box(PublicView):
    scope = "box"

    @extend_schema(operation_id="selfservice_box", request=BoxInput, responses={201: ReceiptSerializer})
    def post(self, request, pk: int):
        """Drop a suggestion in the unit's box. Nothing identifying the sender is kept or logged."""
        unit = selectors.public_unit(pk)
        ser = BoxInput(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        hamlet = Hamlet.objects.filter(pk=d["hamlet"]).first() if d["hamlet"] else None
        if d["hamlet"] and hamlet is None:
            raise ServiceError("hamlet", _("This hamlet is not served here. Please choose one from the list."))
        _s, code = services.suggestion_drop(unit=unit, text=d["text"], hamlet=hamlet, topic=d["topic"])
        return Response({"receipt": code}, status=status.HTTP_201_CREATED)


class ReceiptInput(serializers.Serializer):
    receipt = serializers.CharField(max_length=20)


class BoxAnswerSerializer(serializers.Serializer):
    text = serializers.CharField()
    read = serializers.BooleanField()
    answer = serializers.CharField()


class BoxAnswer(PublicView):
    scope = "track"

    @extend_schema(operation_id="selfservice_box_answer", request=ReceiptInput, responses={200: BoxAnswerSerializer})
    def post(self, request):
        """The suggestion with this receipt code, and its answer if there is one."""
        ser = ReceiptInput(data=request.data)
        ser.is_valid(raise_exception=True)
        s = selectors.suggestion_by_receipt(ser.validated_data["receipt"])
        return Response({"text": s.text, "read": s.read_at is not None, "answer": s.answer})


# --- staff: the inbox ------------------------------------------------------------------

class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    hamlet = serializers.IntegerField(source="hamlet_id", allow_null=True)
    topic = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField()
    answer_public = serializers.BooleanField()
    answered_at = serializers.DateTimeField(allow_null=True)
    concern = serializers.CharField(source="concern.reference", allow_null=True, default=None)


class Inbox(ApiView):
    schema_tags = ["villager"]

    @extend_schema(operation_id="selfservice_inbox", parameters=[OpenApiParameter("unit", int, required=True, description="The unit whose box to read.")],
                   responses={200: SuggestionSerializer(many=True)})
    def get(self, request):
        """The suggestions in a unit's box, newest first (at most 200): for staff of the unit or a unit above it."""
        unit_id = request.query_params.get("unit", "")
        unit = selectors.public_unit(unit_id)
        return Response(SuggestionSerializer(selectors.inbox(request.user, unit)[:200], many=True).data)


class SuggestionRef(serializers.Serializer):
    suggestion = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The suggestion's id (from the inbox).")


class SuggestionAnswerInput(SuggestionRef):
    answer = serializers.CharField(max_length=MAX_ANSWER)
    public = serializers.BooleanField(default=True, help_text="Show the (scrubbed) suggestion and this answer on the unit's public board.")


class ConcernInput(SuggestionRef):
    track = serializers.ChoiceField(choices=Track.choices, required=False, help_text="Default: the suggested track.")


class ConcernRefSerializer(serializers.Serializer):
    reference = serializers.CharField()


class SuggestionRead(ApiView):
    schema_tags = ["villager"]

    @extend_schema(operation_id="selfservice_suggestion_read", request=SuggestionRef, responses={200: SuggestionSerializer})
    def post(self, request):
        ser = SuggestionRef(data=request.data)
        ser.is_valid(raise_exception=True)
        s = selectors.suggestion_get(request.user, ser.validated_data["suggestion"])
        return Response(SuggestionSerializer(services.suggestion_mark_read(actor=request.user, suggestion=s)).data)


class SuggestionAnswer(ApiView):
    schema_tags = ["villager"]

    @extend_schema(operation_id="selfservice_suggestion_answer", request=SuggestionAnswerInput, responses={200: SuggestionSerializer})
    def post(self, request):
        ser = SuggestionAnswerInput(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        s = selectors.suggestion_get(request.user, d["suggestion"])
        s = services.suggestion_answer(actor=request.user, suggestion=s, answer=d["answer"], public=d["public"])
        return Response(SuggestionSerializer(s).data)


class SuggestionConcern(ApiView):
    schema_tags = ["villager"]

    @extend_schema(operation_id="selfservice_suggestion_concern", request=ConcernInput, responses={201: ConcernRefSerializer})
    def post(self, request):
        """Register a concern from the suggestion (channel suggestion box, function opinions and suggestions)."""
        ser = ConcernInput(data=request.data)
        ser.is_valid(raise_exception=True)
        s = selectors.suggestion_get(request.user, ser.validated_data["suggestion"])
        c = services.suggestion_to_concern(actor=request.user, suggestion=s, track=ser.validated_data.get("track"))
        return Response({"reference": c.reference}, status=status.HTTP_201_CREATED)
