"""What every API view shares."""
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import generics
from rest_framework.views import APIView

from ..schema import ErrorSerializer

IDEMPOTENT_ERRORS = {422: ErrorSerializer}


class ApiView(APIView):
    schema_tags: list[str] = []
    error_responses: dict = {}


class ListView(generics.ListAPIView):
    schema_tags: list[str] = []
    error_responses: dict = {}


class ListCreateView(generics.ListCreateAPIView):
    schema_tags: list[str] = []
    error_responses = IDEMPOTENT_ERRORS


class DetailView(generics.RetrieveAPIView):
    schema_tags: list[str] = []
    error_responses: dict = {}


@csrf_exempt  # answers every method with the same 404, changes nothing
def not_found(request, *args, **kwargs):
    return JsonResponse({"errors": {"non_field_errors": [_("Not found.")]}}, status=404)
