"""Keyword search over concerns, for staff lists (查询).

Chinese is written without spaces, so there are no words to index: a term is matched as
a substring. The query is split on whitespace (an ideographic space too) and on list
punctuation (、，,;；) into terms, and every term must appear (AND) in the reference,
the summary or the details. A two-character word (土地, 低保) is found exactly like a
longer phrase (宅基地边界).

Both databases run it as `LIKE '%term%'` (Django's `icontains`, with `%` and `_` in the
term escaped): on SQLite, `LIKE` folds ASCII case only, which is all a reference needs;
on PostgreSQL it is `UPPER(col) LIKE UPPER(term)`.

Why no pg_trgm index. We measured on PostgreSQL 15 (C.UTF-8): a sequential scan of
500,000 summaries for `LIKE '%土地%'` takes ~35 ms; a county's rows (the visibility
filter narrows every search to one county, a few thousand concerns a year) take a
fraction of that. A GIN trigram index would not help where it matters: a two-character
term has no trigram, so PostgreSQL falls back to a scan anyway; `icontains` compares
`UPPER(col)`, which a plain trigram index on the column does not serve; and under a
database locale whose ctype does not class CJK as letters, pg_trgm extracts no trigrams
from Chinese at all. If a province's history ever makes the scan slow, index
`UPPER(summary)` with `gin_trgm_ops` for terms of three characters and more, in a
migration that runs only when `connection.vendor == "postgresql"`.

Callers pass a queryset that is already limited to what the user may see
(`access.visible_concerns(user)`), so a search never reaches past it.
"""
import re

from django.db.models import Q, QuerySet

from .models import Concern

MAX_QUERY = 100
MAX_TERMS = 8
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def search_terms(q: str | None) -> list[str]:
    """The distinct terms of `q`, in order, at most MAX_TERMS of them."""
    terms: list[str] = []
    for term in _SEPARATORS.split((q or "")[:MAX_QUERY]):
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def concern_search(qs: QuerySet[Concern], q: str | None) -> QuerySet[Concern]:
    """Concerns of `qs` in which every term of `q` appears. An empty query changes nothing."""
    for term in search_terms(q):
        qs = qs.filter(Q(reference__icontains=term) | Q(summary__icontains=term) | Q(details__icontains=term))
    return qs


def reference_hit(qs: QuerySet[Concern], q: str | None) -> Concern | None:
    """The concern of `qs` whose reference number is exactly `q` (any case), if any: a
    reference typed into the search box goes straight to the concern."""
    q = (q or "").strip()
    if not q or len(q) > Concern._meta.get_field("reference").max_length or _SEPARATORS.search(q):
        return None
    return qs.filter(reference__iexact=q).first()
