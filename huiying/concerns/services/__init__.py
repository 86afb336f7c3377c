"""Writes to villagers, visits and concerns. One function per operation, each in one
transaction with its record-book entry; see `intake` and `steps`."""
from .attachments import concern_attach  # noqa: F401
from .intake import concern_register, villager_create, visit_log  # noqa: F401
from .joining import concern_join  # noqa: F401
from .reception import Reception, reception_record  # noqa: F401
from .steps import (  # noqa: F401
    concern_answer,
    concern_assign,
    concern_book_appointment,
    concern_close_unresolved,
    concern_escalate,
    concern_extend,
    concern_feedback,
    concern_object,
    concern_object_by_villager,
    concern_post,
    concern_rate,
    concern_rate_by_villager,
    concern_record_authorization,
    concern_record_mediation,
    concern_reopen,
    concern_resolve,
    concern_return_document,
    concern_start_on_site,
    concern_take_document,
    concern_transfer,
)
