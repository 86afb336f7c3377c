"""The OpenAPI document: valid OpenAPI 3, generated without a warning, covering every
workflow step; the browsable docs are served from this server (no CDN)."""
import io

import pytest
import yaml
from django.core.management import call_command

from huiying.concerns.workflow import TRANSITIONS


@pytest.fixture(scope="module")
def document():
    out = io.StringIO()
    # --validate checks it against the OpenAPI 3 JSON schema; --fail-on-warn makes any
    # generation warning (an unresolved type, a colliding name) a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return yaml.safe_load(out.getvalue())


def test_the_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["tokenAuth"] == {"type": "http", "scheme": "bearer", "description": document["components"]["securitySchemes"]["tokenAuth"]["description"]}


def test_every_workflow_step_has_its_operation(document):
    for action in TRANSITIONS:
        op = document["paths"][f"/api/v1/concerns/{{reference}}/{action}"]["post"]
        assert op["operationId"] == f"concerns_{action}"
        assert {"200", "400", "401", "403", "404", "409"} <= set(op["responses"]), action
        assert op["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Conflict")


def test_creates_document_their_idempotency_key(document):
    for path in ("/api/v1/concerns", "/api/v1/visits", "/api/v1/villagers"):
        op = document["paths"][path]["post"]
        assert "Idempotency-Key" in [p["name"] for p in op["parameters"]] and "422" in op["responses"], path


def test_the_schema_and_docs_are_served(client, db):
    r = client.get("/api/v1/schema?format=json")
    assert r.status_code == 200 and r.json()["info"]["title"] == "huiying API"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "//unpkg" not in html
