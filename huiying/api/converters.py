"""Path converters of the API's URLs."""
from django.urls import register_converter


class ReferenceConverter:
    """A concern's reference number in a path: like `str`, but never a NUL character,
    which PostgreSQL cannot even compare (the request becomes a JSON 404 instead)."""

    regex = "[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")
