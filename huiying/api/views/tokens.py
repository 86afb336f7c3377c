"""Staff API tokens over the API: list, create (the key is shown once), revoke."""
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from huiying import access
from huiying.core.errors import NotFound

from ..pagination import cursor
from ..serializers.common import UnitRefSerializer, UserRefSerializer, UsernameField
from ..serializers.filters import TokenFilter, validated_query
from ..tokens import api_token_create, api_token_revoke, manageable_tokens
from .base import ApiView, ListCreateView


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The key's first characters, to tell tokens apart.")
    user = UserRefSerializer()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(help_text="The token. It is shown this once and stored only as a hash.")


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=1000, help_text="What it is for (a phone, an integration).")
    user = UsernameField(required=False, max_length=150, help_text="Administrators: whose token (default: yours).")


class TokenListCreate(ListCreateView):
    """Your API tokens (an administrator: also those of the staff of their county)."""

    schema_tags = ["tokens"]
    serializer_class = TokenSerializer
    pagination_class = cursor("-created_at", "-id")
    error_responses = {}

    def get_queryset(self):
        f = validated_query(self.request, TokenFilter)
        qs = manageable_tokens(self.request.user)
        return qs.filter(user__username=f["user"]) if "user" in f else qs

    @extend_schema(parameters=[TokenFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=TokenCreateSerializer, responses={201: NewTokenSerializer})
    def post(self, request):
        ser = TokenCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        token, raw = api_token_create(actor=request.user, user=ser.validated_data.get("user", request.user), name=ser.validated_data.get("name", ""))
        token.key = raw
        return Response(NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenRevoke(ApiView):
    schema_tags = ["tokens"]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        token = manageable_tokens(request.user).filter(pk=pk).first()
        if token is None:
            raise NotFound("token")
        api_token_revoke(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MembershipSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    role = serializers.CharField()


class MeSerializer(UserRefSerializer):
    memberships = serializers.SerializerMethodField()

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user):
        return MembershipSerializer(access.memberships(user), many=True).data


class Me(ApiView):
    """Who you are to the API: your account and your places in the network."""

    schema_tags = ["tokens"]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
