"""The concern register (关切台账) as a table: every concern the viewer may see, narrowed by
the queue page's own filters (`ConcernFilterForm` → `queues.filtered_concerns`), one row per
concern, labels rather than codes.

Personal data (villagers' names, phones, ID card numbers) is masked unless the viewer may
see it, by the rule the concern page uses for phones (`dossier.may_see_phones`): whoever
may act on the concern or has been one of its handlers. For a whole register that rule is
evaluated per row without asking the transition table per concern: a viewer sees a row's
personal data when they are one of its handlers, a handler-role member of its handling
unit, or the county HQ's commander (docs/exports.md).
"""
import dataclasses
from collections.abc import Iterator

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import pgettext

from huiying import access
from huiying.concerns import queues
from huiying.concerns.dossier import mask_phone
from huiying.concerns.models import OPEN_STATES, Channel, Concern, Function, Outcome, State, Track, Villager
from huiying.concerns.workflow import HANDLERS
from huiying.core import clock
from huiying.network.models import Role

from .workbook import Table

CHUNK = 500


def mask_name(name: str) -> str:
    """张*明, 张* (two characters), 欧**明: the family name and the last character."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(id_number: str) -> str:
    """4501**********1234: the region and the last four, not the birth date."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def filters_from(user, params: dict) -> tuple[queues.Filters, str]:
    """The queue page's filters and queue from its query parameters (invalid ones dropped,
    as the page drops them: never widened)."""
    from huiying.web.forms_queues import ConcernFilterForm

    form = ConcernFilterForm(user, params or None)
    return form.filters(), form.current_queue()


def register_queryset(user, params: dict) -> QuerySet[Concern]:
    today = clock.today()
    f, queue = filters_from(user, params)
    qs = queues.filtered_concerns(user, f, today=today)
    return queues.queue_listing(user, queue, qs, today=today)


def _personal_q(user) -> Q:
    """The concerns whose villagers' personal data `user` sees unmasked (see the module doc)."""
    if user.is_superuser:
        return Q()
    ms = access.memberships(user)
    q = access.handled_by(user)
    q |= Q(handling_unit__in=[m.unit_id for m in ms if m.role in HANDLERS])
    q |= Q(received_county__in=[m.unit.county_id for m in ms if m.role == Role.COMMANDER])
    return q


def columns() -> list[str]:
    return [
        pgettext("register column", "Reference number"), pgettext("register column", "Received on"), pgettext("register column", "Receiving unit"), pgettext("register column", "Hamlet"),
        pgettext("register column", "Villagers"), pgettext("register column", "Phones"), pgettext("register column", "ID card numbers"), pgettext("register column", "Function"),
        pgettext("register column", "Channel"), pgettext("register column", "Track"), pgettext("register column", "State"), pgettext("register column", "Outcome"), pgettext("register column", "Outcome reason"),
        pgettext("register column", "Summary"), pgettext("register column", "Details"), pgettext("register column", "Handling unit"), pgettext("register column", "Handler"), pgettext("register column", "Due date"),
        pgettext("register column", "Overdue"), pgettext("register column", "Resolved on"), pgettext("register column", "Closed on"), pgettext("register column", "Result"),
    ]


@dataclasses.dataclass
class Register:
    """The rows to write and how many there are (for the progress bar)."""

    user: object
    qs: QuerySet[Concern]

    def count(self) -> int:
        return self.qs.count()

    def rows(self) -> Iterator[list]:
        qs = (
            self.qs.annotate(personal=Case(When(_personal_q(self.user), then=Value(True)), default=Value(False), output_field=BooleanField()))
            .select_related("received_unit", "handling_unit", "handler", "hamlet")
            .prefetch_related(Prefetch("villagers", queryset=Villager.objects.order_by("id")))
        )
        today = clock.today()
        labels = {
            "function": dict(Function.choices), "channel": dict(Channel.choices), "track": dict(Track.choices),
            "state": dict(State.choices), "outcome": dict(Outcome.choices),
        }
        # Chunks keep memory flat; the prefetch runs once per chunk.
        for c in qs.iterator(chunk_size=CHUNK):
            vs = list(c.villagers.all())
            show = c.personal
            late = c.overdue or (c.state in OPEN_STATES and c.due_date < today)
            yield [
                c.reference,
                timezone.localtime(c.received_at).date(),
                c.received_unit.name,
                c.hamlet.name if c.hamlet else "",
                "、".join(v.name if show else mask_name(v.name) for v in vs),
                "、".join((v.phone if show else mask_phone(v.phone)) for v in vs if v.phone),
                "、".join((v.id_number if show else mask_id_number(v.id_number)) for v in vs if v.id_number),
                str(labels["function"].get(c.function, c.function)),
                str(labels["channel"].get(c.channel, c.channel)),
                str(labels["track"].get(c.track, c.track)),
                str(labels["state"].get(c.state, c.state)),
                str(labels["outcome"].get(c.outcome, "")) if c.outcome else pgettext("outcome", "Pending"),
                c.outcome_reason,
                c.summary,
                c.details,
                c.handling_unit.name,
                (c.handler.get_full_name() or c.handler.get_username()) if c.handler else "",
                c.due_date,
                pgettext("register value", "Yes") if late else pgettext("register value", "No"),
                timezone.localtime(c.resolved_at).date() if c.resolved_at else None,
                timezone.localtime(c.closed_at).date() if c.closed_at else None,
                c.result,
            ]

    def table(self) -> Table:
        return Table(pgettext("sheet", "Concern register"), columns(), self.rows())


def register_for(user, params: dict) -> Register:
    return Register(user, register_queryset(user, params))
