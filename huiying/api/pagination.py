"""Cursor pagination for every list: stable under inserts (a concern registered while a
clerk pages through a queue does not shift the next page), and cheap at any depth."""
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-id",)


def cursor(*fields: str) -> type[Cursor]:
    """A paginator ordered by `fields`; the last one must be unique (ties are broken by it)."""
    return type("Cursor_" + "_".join(f.lstrip("-") for f in fields), (Cursor,), {"ordering": fields})
