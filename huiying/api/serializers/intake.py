"""Reception and registration (热情接待, 受理登记): villagers, visits and new concerns."""
from rest_framework import serializers

from huiying import access

from huiying.concerns.models import Channel, Function, RiskLevel, Track

from . import common
from .common import DateTimeInput, HamletRefSerializer, ObjectIdField, UnitRefSerializer, UserRefSerializer, UsernameField, VillagerRefSerializer


class VillagerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = serializers.CharField()
    id_number = serializers.SerializerMethodField(help_text="Masked: the first 4 and last 4 characters. Search by the whole number with ?id_number=.")
    hamlet = HamletRefSerializer()
    created_at = serializers.DateTimeField()

    def get_id_number(self, villager) -> str:
        n = villager.id_number
        return f"{n[:4]}{'*' * (len(n) - 8)}{n[-4:]}" if len(n) > 8 else n


class VillagerCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="The villager's name (at most 50 characters).")
    hamlet = ObjectIdField(common.hamlets, help_text="Id of the hamlet (屯) the villager lives in.")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text="18-character resident ID number (checked).")


class ConcernFieldsSerializer(serializers.Serializer):
    """What a concern is about; shared by registration and the concerns of a visit."""

    function = serializers.ChoiceField(choices=Function.choices)
    summary = serializers.CharField(max_length=1000, help_text="One line (at most 200 characters).")
    track = serializers.ChoiceField(choices=Track.choices)
    details = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    villagers = serializers.ListField(child=ObjectIdField(common.villagers), required=False, max_length=50)
    hamlet = ObjectIdField(common.hamlets, required=False, allow_null=True)
    confidential = serializers.BooleanField(required=False, default=False)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False, default=RiskLevel.LOW)
    handler = UsernameField(required=False, allow_null=True, max_length=150, help_text="Username of the staff member who will handle it.")
    answer = serializers.CharField(required=False, allow_null=True, max_length=20000, help_text="A policy question answered on the spot: the concern is closed at once.")


class ConcernRegisterSerializer(ConcernFieldsSerializer):
    unit = ObjectIdField(common.units, help_text="The unit receiving the concern (hamlet point, village station, township center or county HQ).")
    channel = serializers.ChoiceField(choices=Channel.choices)
    visit = ObjectIdField(common.visits, required=False, allow_null=True, help_text="The visit that brought it (channel “visit”).")
    received_at = DateTimeInput(required=False, help_text="Default: now.")


class VisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRefSerializer()
    visited_at = serializers.DateTimeField()
    staff = UserRefSerializer()
    visitor_count = serializers.IntegerField()
    villagers = VillagerRefSerializer(many=True, source="villagers.all")
    note = serializers.CharField()
    concerns = serializers.SerializerMethodField(help_text="References of the concerns it brought that you may see.")

    def get_concerns(self, visit) -> list[str]:
        user = self.context["request"].user
        return list(access.visible_concerns(user).filter(visit=visit).order_by("id").values_list("reference", flat=True))


class VisitCreateSerializer(serializers.Serializer):
    unit = ObjectIdField(common.units)
    visitor_count = serializers.IntegerField(min_value=-(2**31), max_value=2**31 - 1, help_text="People received (at least one).")
    villagers = serializers.ListField(child=ObjectIdField(common.villagers), required=False, max_length=50)
    staff = UsernameField(required=False, allow_null=True, max_length=150, help_text="Who received them (default: you).")
    visited_at = DateTimeInput(required=False, help_text="Default: now.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    concerns = ConcernFieldsSerializer(many=True, required=False, help_text="The concerns the visit brought (zero or more), registered with it.")
