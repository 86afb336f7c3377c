import pytest
from django.utils import translation

from huiying.concerns import services as cs

from helpers import drive, register  # noqa: F401
from api.conftest import api  # noqa: F401  (the token-authenticated API clients)


@pytest.fixture(autouse=True)
def _default_language():
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(network, now):
    """Concerns in both townships, one confidential, villagers with phone and ID number."""
    n = network
    n.zhang = cs.villager_create(actor=n.village_clerk, name="张小明", hamlet=n.hamlet, phone="13800000001", id_number="450102199001011231")
    n.far_villager = cs.villager_create(actor=n.far_clerk, name="欧阳明", hamlet=n.far_hamlet, phone="13900000002")
    n.mine = register(n, actor=n.village_clerk, villagers=[n.zhang], summary="宅基地纠纷")
    n.other = register(n, actor=n.other_village_clerk, unit=n.other_village, summary="道路维修")
    n.far = register(n, actor=n.far_clerk, unit=n.far_village, villagers=[n.far_villager], summary="水渠堵塞")
    n.secret = register(n, actor=n.village_clerk, track="confidential", summary="家庭隐私问题")
    return n
