"""(being written)"""
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


detail = workflow_chart = workflow_svg = record_book = _todo
