"""schemathesis over /api/v1/schema, in process against the WSGI application: generated
requests to every operation, as a county commander holding a token, must never get a
server error nor a response the document does not describe (status, content type, body,
headers). Bounded (SCHEMATHESIS_EXAMPLES per operation and variant, default 8) so it runs in CI in
well under a minute; it needs no network."""
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from huiying.api.tokens import api_token_create
from huiying.concerns import services as cs
from huiying.concerns.models import Concern, State
from huiying.wsgi import application

from helpers import drive, register

from .cases import CASES

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance, response_headers_conformance]


@pytest.fixture
def api_schema(network, now):
    n = network
    # Something to find: concerns in several states, a villager, a visit.
    villager = cs.villager_create(actor=n.village_clerk, name="张小明", hamlet=n.hamlet2)
    visit = cs.visit_log(actor=n.village_clerk, unit=n.village, visitor_count=1, villagers=[villager])
    concerns = [
        register(n, actor=n.village_clerk, villagers=[villager]),
        drive(n, register(n, actor=n.village_clerk, track="agency", villagers=[villager]), State.ANALYSIS, actor=n.village_clerk),
        drive(n, register(n, actor=n.village_clerk), State.SUPERVISION, actor=n.village_clerk),
    ]
    _token, raw = api_token_create(actor=None, user=n.county_commander)
    spare, _ = api_token_create(actor=None, user=n.county_commander, name="to be revoked")
    # Requests run in this thread, inside the test's transaction: Django's test client does
    # the same and keeps the handler from closing the connection at each request's end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", application)
        # identity: the in-process WSGI transport does not undo the gzip real clients accept.
        schema.headers_for_test = {"Authorization": f"Bearer {raw}", "Accept-Language": "en", "Accept-Encoding": "identity"}
        # Real objects for the path parameters, so that generated bodies reach the services too.
        schema.network = n
        schema.known_ids = {
            "reference": [c.reference for c in concerns],
            "/units/": [n.village.id], "/hamlets/": [n.hamlet.id], "/villagers/": [villager.id], "/visits/": [visit.id], "/tokens/": [spare.id],
        }
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _variants(operation, schema):
    """Valid and invalid input; and for an operation on one object, also on existing ones —
    for a workflow step, a concern on which the step is open, so input reaches the service."""
    known_ids = schema.known_ids
    variants = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
    action = operation.path.rsplit("/", 1)[-1]
    if action in CASES:
        variants += [(mode, {"reference": CASES[action][0](schema.network).reference}) for mode in GenerationMode]
    elif "{reference}" in operation.path:
        variants += [(GenerationMode.POSITIVE, {"reference": ref}) for ref in known_ids["reference"]]
    elif "{id}" in operation.path:
        ids = next(v for k, v in known_ids.items() if k in operation.path)
        variants += [(GenerationMode.POSITIVE, {"id": i}) for i in ids]
    return variants


@pytest.mark.schemathesis
def test_the_api_conforms_to_its_document(api_schema):
    """Every operation, with valid and with invalid input. schemathesis' pytest plugin does
    not run on pytest 9 yet, so the operations are walked here with Hypothesis directly."""
    headers = api_schema.headers_for_test
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30
    failures = []
    for operation in operations:
        for mode, path_parameters in _variants(operation, api_schema):

            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
            def run(case):
                if path_parameters and "reference" in path_parameters and isinstance(case.body, dict) and "version" in case.body:
                    # The current version, so that the input reaches validation and the services.
                    case.body["version"] = Concern.objects.get(reference=path_parameters["reference"]).version
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except KeyboardInterrupt:
                raise
            except BaseException as e:  # noqa: BLE001 - every operation is tried; all failures reported
                failures.append(f"{operation.label} ({mode.value}, {path_parameters}):\n{e}")
    assert not failures, "\n\n".join(failures)
