"""The OpenAPI document: drf-spectacular, plus the error responses every operation can give,
so that a client (and schemathesis) knows the shape of a refusal as well as of a success."""
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by the name of the field they are about (dotted for nested input: concerns.1.summary); "
        "non_field_errors, authorization, body: the request as a whole.",
    )


class ConflictSerializer(ErrorSerializer):
    current_version = serializers.IntegerField(help_text="The concern's version now: reload it and try again.")


ERROR_DESCRIPTIONS = {
    "400": "Bad input: the fields named in `errors` were refused; nothing was written.",
    "401": "No credentials, or an invalid or revoked token.",
    "403": "Not allowed for this user (or a session request without its CSRF token).",
    "404": "No such object — or one this user may not see: an invisible object is never “forbidden”.",
    "409": "Stale version: the concern changed since it was read. The body gives `current_version`.",
    "422": "The Idempotency-Key was already used with a different request.",
}


class ApiAutoSchema(AutoSchema):
    """Adds 400/401/403/404 to every operation, and whatever `error_responses` the view lists
    (409 for workflow steps, 422 for creates that take an Idempotency-Key)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        extra = {str(code): ser for code, ser in getattr(self.view, "error_responses", {}).items()}
        for code in ["400", "401", "403", "404", *extra]:
            if code not in responses:
                body = self._get_response_for_code(extra.get(code, ErrorSerializer), code, direction=direction)
                body["description"] = ERROR_DESCRIPTIONS.get(code, "")
                responses[code] = body
        return dict(sorted(responses.items()))

    def get_tags(self):
        return getattr(self.view, "schema_tags", None) or super().get_tags()


IDEMPOTENCY_HEADER_DOC = (
    "Optional. Any unique string (a UUID): a retried create with the same key and body returns the first "
    "response (with `Idempotent-Replayed: true`) instead of creating again, for 24 hours."
)
