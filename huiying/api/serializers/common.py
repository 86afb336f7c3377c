"""Small pieces every API serializer uses: references to units, people and hamlets, and
input fields that turn ids and usernames into objects (or name the field that was wrong).

Serializers check types and shapes only. Whether an input is allowed — a unit of the right
level, a handler who is staff there, a date within the limit — is the services' decision.
"""
import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors

# Dates outside this range are typing mistakes, and far ones overflow date arithmetic.
MIN_YEAR, MAX_YEAR = 2000, 2099
MAX_ID = 2**63 - 1


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class HamletRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    village = UnitRefSerializer()


class VillagerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _check_year(value):
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise serializers.ValidationError(_("Enter a date between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    return value


class DateTimeInput(serializers.DateTimeField):
    """An ISO-8601 date and time; without a zone it is read as local time (Asia/Shanghai)."""

    def to_internal_value(self, value):
        value = _check_year(super().to_internal_value(value))
        return value if timezone.is_aware(value) else timezone.make_aware(value)


class DateInput(serializers.DateField):
    def to_internal_value(self, value) -> dt.date:
        return _check_year(super().to_internal_value(value))


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class ObjectIdField(serializers.Field):
    """An object given by its id, looked up in what the requesting user may use
    (`queryset(serializer context)`); an unknown id and an invisible one get the same message."""

    default_error_messages = {"does_not_exist": _("No such object: %(value)s."), "invalid": _("Give the id, a whole number.")}

    def __init__(self, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            self.fail("invalid")
        try:
            pk = int(value)
        except ValueError:
            self.fail("invalid")
        obj = self.queryset(self.context).filter(pk=pk).first() if 1 <= pk <= MAX_ID else None
        if obj is None:
            self.fail("does_not_exist", value=value)
        return obj

    def to_representation(self, value):
        return value.pk


@extend_schema_field(OpenApiTypes.STR)
class UsernameField(serializers.CharField):
    """A staff member given by username (active accounts only)."""

    default_error_messages = {"does_not_exist": _("No such user: %(value)s.")}

    def run_validation(self, data=serializers.empty):
        username = super().run_validation(data)
        if username is None:
            return None
        user = selectors.user_by_username(username)
        if user is None:
            self.fail("does_not_exist", value=username)
        return user

    def to_representation(self, value):
        return value.get_username() if isinstance(value, get_user_model()) else value


def units(context):
    return selectors.visible_units(context["request"].user)


def hamlets(context):
    return selectors.visible_hamlets(context["request"].user).select_related("village", "point")


def villagers(context):
    return selectors.visible_villagers(context["request"].user).select_related("hamlet__village")


def visits(context):
    return selectors.visible_visits(context["request"].user)
