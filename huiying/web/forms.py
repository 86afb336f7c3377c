"""Glue between Django forms and the services' errors."""
from django import forms

from huiying.core.errors import ServiceError


def add_service_error(form: forms.Form, error: ServiceError) -> None:
    """Show a service's refusal next to the field it names, keeping what the user typed.

    A field the form does not have ("version", "action", "concerns.1.summary") is shown at
    the top of the form."""
    field = error.field.rsplit(".", 1)[-1]
    form.add_error(field if field in form.fields else None, error.text)
