"""Errors every service raises for bad input. They name the field, so a form, an API
response or a command can put the message next to what the user typed."""
from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """Bad input or a refused action: nothing was written.

    `field` names the offending input ("unit", "id_number", "action", ...); `code` is a
    stable machine code. The message is translatable text in the user's language.
    """

    def __init__(self, field: str, message, code: str = "invalid", params=None):
        super().__init__({field: [ValidationError(message, code=code, params=params)]})
        self.field = field
        self.code = code

    @property
    def text(self) -> str:
        return self.message_dict[self.field][0]

    def __str__(self) -> str:
        return f"{self.field}: {self.text}"


class NotFound(ServiceError):
    """The object does not exist *for this user*: used alike for missing and invisible
    objects so a refusal never confirms that something exists."""

    def __init__(self, field: str, message=None):
        from django.utils.translation import gettext_lazy as _

        super().__init__(field, message or _("Not found."), code="not_found")


class Forbidden(ServiceError):
    def __init__(self, field: str, message, params=None):
        super().__init__(field, message, code="forbidden", params=params)


class Conflict(ServiceError):
    """A stale write: the object changed since the caller read it."""

    def __init__(self, current_version: int):
        from django.utils.translation import gettext_lazy as _

        super().__init__(
            "version",
            _("This concern was changed by someone else (now version %(current)s). Reload and try again."),
            code="stale",
            params={"current": current_version},
        )
        self.current_version = current_version
