"""(being written)"""
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


reception = villager_search = villager_new = similar = suggest_track = _todo
