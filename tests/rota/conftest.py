import pytest
from django.apps import apps

from huiying.core.errors import ServiceError
from huiying.network.models import DutyShift

from api.conftest import _default_language, api  # noqa: F401  (the API clients of tests/api)
from helpers import snapshot


def snap() -> dict:
    """helpers.snapshot, plus the rows of rota and cadres and every shift as it is (a swap
    changes no count)."""
    s = snapshot()
    for label in ("rota", "cadres"):
        for model in apps.get_app_config(label).get_models():
            s[model._meta.label] = model._base_manager.count()
    s["shifts"] = sorted(DutyShift.objects.values_list("unit_id", "user_id", "day"))
    from huiying.cadres.models import CadreVisit, VisitConcern

    s["visits"] = sorted(CadreVisit.objects.values_list("pk", "status", "summary"))
    s["served"] = sorted(VisitConcern.objects.values_list("pk", "outcome"))
    return s


def refused(field, call, *, kind=ServiceError):
    """`call` is refused with an error naming `field`, and writes nothing."""
    before = snap()
    with pytest.raises(kind) as e:
        call()
    assert e.value.field == field, e.value
    assert snap() == before
    return e.value
