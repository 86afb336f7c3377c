"""The input of each workflow step: one serializer per transition of the workflow table,
each with the concern's `version`. `INPUTS` is checked against `workflow.TRANSITIONS` at
import, so a new transition cannot be forgotten here."""
from rest_framework import serializers

from huiying import access
from huiying.concerns.models import OTHER_OUTCOMES, FeedbackMethod, Outcome, Rating, Track, Villager
from huiying.concerns.workflow import TRANSITIONS
from huiying.core.errors import NotFound

from . import common
from .common import DateInput, DateTimeInput, IdField, ObjectIdField, UsernameField

TEXT = {"max_length": 20000}
OTHER_OUTCOME_CHOICES = [(o.value, o.label) for o in Outcome if o in OTHER_OUTCOMES]
LINE = {"max_length": 1000}


class StepInput(serializers.Serializer):
    version = IdField(help_text="The concern's version as you read it; a stale one is refused with 409 and the current version.")


def _concern_documents(context):
    return context["concern"].documents.all()


def _concern_villagers(context):
    # Any villager of the county may be named; the service checks that they are the concern's.
    return Villager.objects.filter(hamlet__village__county=context["concern"].received_county_id)


class ConcernReferenceField(serializers.CharField):
    """Another concern by reference, if the user may see it."""

    def to_internal_value(self, value):
        reference = super().to_internal_value(value)
        try:
            return access.concern_get(self.context["request"].user, reference=reference)
        except NotFound as e:
            raise serializers.ValidationError(e.text) from None


class AssignInput(StepInput):
    handler = UsernameField(max_length=150)
    track = serializers.ChoiceField(choices=Track.choices, required=False, help_text="Confirm or change the track.")


class AnswerInput(StepInput):
    answer = serializers.CharField(**TEXT)


class RecordMediationInput(StepInput):
    held_at = DateTimeInput()
    place = serializers.CharField(**LINE)
    parties = serializers.ListField(child=serializers.CharField(**LINE), max_length=100)
    mediators = serializers.ListField(child=serializers.CharField(**LINE), max_length=100)
    summary = serializers.CharField(**TEXT)
    agreement = serializers.CharField(required=False, allow_blank=True, **TEXT)
    agreement_reached = serializers.BooleanField(required=False, default=False)


class RecordAuthorizationInput(StepInput):
    villager = ObjectIdField(_concern_villagers, help_text="Id of the villager who signed (one of the concern's).")
    signed_on = DateInput()
    scope = serializers.CharField(**TEXT)


class TakeDocumentInput(StepInput):
    name = serializers.CharField(**LINE)


class ReturnDocumentInput(StepInput):
    document = ObjectIdField(_concern_documents, help_text="Id of one of the concern's documents.")


class EscalateInput(StepInput):
    to_unit = ObjectIdField(common.units, help_text="The parent unit, or (from a township or the county) a county department.")
    reason = serializers.CharField(**TEXT)
    to_handler = UsernameField(required=False, allow_null=True, max_length=150, help_text="Required for a confidential concern.")


class BookAppointmentInput(StepInput):
    date = DateInput()
    place = serializers.CharField(**LINE)
    cadre = serializers.CharField(**LINE)
    handler = UsernameField(required=False, allow_null=True, max_length=150)


class TransferInput(StepInput):
    to_unit = ObjectIdField(common.units)
    reason = serializers.CharField(**TEXT)


class ExtendInput(StepInput):
    days = serializers.IntegerField(min_value=-(2**31), max_value=2**31 - 1, help_text="Working days to add.")
    reason = serializers.CharField(**TEXT)


class ResolveInput(StepInput):
    result = serializers.CharField(**TEXT)


class FeedbackInput(StepInput):
    method = serializers.ChoiceField(choices=FeedbackMethod.choices)
    note = serializers.CharField(required=False, allow_blank=True, **TEXT)


class CloseUnresolvedInput(StepInput):
    outcome = serializers.ChoiceField(choices=OTHER_OUTCOME_CHOICES)
    reason = serializers.CharField(**TEXT)
    merged_into = ConcernReferenceField(required=False, allow_null=True, max_length=24, help_text="Reference of the concern it is merged into (outcome “merged”).")


class RateInput(StepInput):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(required=False, allow_blank=True, **TEXT)


class ReasonInput(StepInput):
    reason = serializers.CharField(**TEXT)


INPUTS: dict[str, type[StepInput]] = {
    "assign": AssignInput,
    "answer": AnswerInput,
    "start_on_site": StepInput,
    "record_mediation": RecordMediationInput,
    "record_authorization": RecordAuthorizationInput,
    "take_document": TakeDocumentInput,
    "return_document": ReturnDocumentInput,
    "escalate": EscalateInput,
    "book_appointment": BookAppointmentInput,
    "transfer": TransferInput,
    "extend": ExtendInput,
    "resolve": ResolveInput,
    "post": StepInput,
    "feedback": FeedbackInput,
    "close_unresolved": CloseUnresolvedInput,
    "rate": RateInput,
    "object": ReasonInput,
    "reopen": ReasonInput,
}
assert set(INPUTS) == set(TRANSITIONS), "every workflow transition needs its API input"
