from api.conftest import _default_language, api  # noqa: F401  (the API clients of tests/api)
from rota.conftest import refused, snap  # noqa: F401  (one snapshot of rota's and cadres' rows)
