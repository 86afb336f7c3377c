"""The network, read-only: units (with who is on duty today) and hamlets."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huiying.network.models import Level
from huiying.network.selectors import on_duty

from .common import HamletRefSerializer, UnitRefSerializer, UserRefSerializer


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    county = serializers.IntegerField(source="county_id", allow_null=True)


class UnitDetailSerializer(UnitSerializer):
    address = serializers.CharField()
    opening_hours = serializers.CharField()
    phone = serializers.CharField()
    rules = serializers.CharField()
    ancestors = UnitRefSerializer(many=True, source="ancestors_list")
    on_duty = serializers.SerializerMethodField(help_text="Staff on duty at this unit today (轮值表).")

    @extend_schema_field(UserRefSerializer(many=True))
    def get_on_duty(self, unit):
        return UserRefSerializer(on_duty(unit=unit), many=True).data


class UnitTreeSerializer(serializers.Serializer):
    """A unit and everything below it: the four levels, and the departments under the county."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    children = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/UnitTree"}})
    def get_children(self, unit):
        return UnitTreeSerializer(unit.tree_children, many=True).data


class HamletSerializer(HamletRefSerializer):
    point = UnitRefSerializer(allow_null=True, help_text="Its hamlet point (屯级回应点), if it has one.")
    receiving_unit = serializers.IntegerField(source="receiving_unit.id", help_text="Where its villagers' concerns are received: the point, else the village station.")
