"""Concerns as the API shows them: a compact row for lists, the whole record for one."""
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huiying import access
from huiying.concerns.models import AttachmentKind, Channel, Function, Outcome, Rating, RiskLevel, State, Track
from huiying.stats import workload

from .common import HamletRefSerializer, UnitRefSerializer, UserRefSerializer, VillagerRefSerializer


class ConcernListSerializer(serializers.Serializer):
    reference = serializers.CharField()
    version = serializers.IntegerField(help_text="Send it back with every workflow step (optimistic concurrency).")
    summary = serializers.CharField()
    function = serializers.ChoiceField(choices=Function.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    track = serializers.ChoiceField(choices=Track.choices)
    state = serializers.ChoiceField(choices=State.choices)
    outcome = serializers.ChoiceField(choices=[("", "pending"), *Outcome.choices], help_text="Empty while pending.")
    confidential = serializers.BooleanField()
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    received_unit = UnitRefSerializer()
    received_at = serializers.DateTimeField()
    handling_unit = UnitRefSerializer()
    handler = UserRefSerializer(allow_null=True)
    due_date = serializers.DateField()
    overdue = serializers.BooleanField()


class MediationSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    held_at = serializers.DateTimeField()
    place = serializers.CharField()
    parties = serializers.ListField(child=serializers.CharField())
    mediators = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()
    agreement = serializers.CharField()
    agreement_reached = serializers.BooleanField()


class AuthorizationSerializer(serializers.Serializer):
    villager = VillagerRefSerializer()
    signed_on = serializers.DateField()
    scope = serializers.CharField()


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    taken_in_at = serializers.DateTimeField()
    returned_at = serializers.DateTimeField(allow_null=True)


class HandoverSerializer(serializers.Serializer):
    from_unit = UnitRefSerializer()
    to_unit = UnitRefSerializer()
    at = serializers.DateTimeField()
    reason = serializers.CharField()
    by = UserRefSerializer()


class AppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRefSerializer()
    date = serializers.DateField()
    place = serializers.CharField()
    cadre = serializers.CharField()
    booked_at = serializers.DateTimeField()


class ExtensionSerializer(serializers.Serializer):
    old_due = serializers.DateField()
    new_due = serializers.DateField()
    reason = serializers.CharField()
    at = serializers.DateTimeField()


class RatingSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField()
    at = serializers.DateTimeField()
    round = serializers.IntegerField(help_text="How often the concern had been reopened when this result was rated.")


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    session = serializers.IntegerField(source="session_id", allow_null=True, help_text="The mediation session whose agreement it shows.")
    uploaded_by = UserRefSerializer()
    uploaded_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="Download it here.")

    def get_url(self, att) -> str:
        return f"/api/v1/concerns/{att.concern.reference}/attachments/{att.id}"


class SuggestedHandlerSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    open = serializers.IntegerField(help_text="Open concerns this person handles now.")


class AllowedActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField(help_text="POST here with the concern's version and the step's fields.")
    suggested_handler = SuggestedHandlerSerializer(
        allow_null=True, help_text="For `assign`: the least-loaded eligible staff member of the handling unit (fewest open concerns now); null otherwise.")


def _suggested_handler(concern) -> dict | None:
    person = workload.least_loaded(concern.handling_unit)
    if person is None:
        return None
    return {"username": person.get_username(), "name": person.get_full_name() or person.get_username(),
            "open": workload.open_loads([person.pk])[person.pk]}


class ConcernDetailSerializer(ConcernListSerializer):
    details = serializers.CharField()
    result = serializers.CharField()
    outcome_reason = serializers.CharField()
    hamlet = HamletRefSerializer(allow_null=True)
    villagers = VillagerRefSerializer(many=True, source="villagers.all")
    visit = serializers.IntegerField(source="visit_id", allow_null=True)
    merged_into = serializers.CharField(source="merged_into.reference", allow_null=True, default=None)
    registered_by = UserRefSerializer(allow_null=True)
    extension_count = serializers.IntegerField()
    transfer_count = serializers.IntegerField()
    reopen_count = serializers.IntegerField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    allowed_actions = serializers.SerializerMethodField(help_text="The workflow steps this user may take now (drawn from the workflow table).")
    mediation_sessions = MediationSessionSerializer(many=True, source="mediation_sessions.all")
    authorization = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True, source="documents.all")
    escalations = HandoverSerializer(many=True, source="escalations.all")
    transfers = HandoverSerializer(many=True, source="transfers.all")
    appointments = AppointmentSerializer(many=True, source="appointments.all")
    extensions = ExtensionSerializer(many=True, source="extensions.all")
    ratings = RatingSerializer(many=True, source="ratings.all")
    attachments = serializers.SerializerMethodField()

    @extend_schema_field(AllowedActionSerializer(many=True))
    def get_allowed_actions(self, concern):
        user = self.context["request"].user
        return [
            {"action": t.action, "label": str(t.label), "url": reverse("api:concern-action-" + t.action.replace("_", "-"), args=[concern.reference]),
             "suggested_handler": _suggested_handler(concern) if t.action == "assign" else None}
            for t in access.allowed_actions(user, concern)
        ]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, concern):
        return AttachmentSerializer(concern.attachments.select_related("uploaded_by", "concern"), many=True).data

    @extend_schema_field(AuthorizationSerializer(allow_null=True))
    def get_authorization(self, concern):
        auth = getattr(concern, "authorization", None)
        return AuthorizationSerializer(auth).data if auth is not None else None
