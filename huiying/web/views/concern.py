"""(being written)"""
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


detail = act = attachment = _todo
