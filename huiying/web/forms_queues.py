"""Forms of the queue/search page and the record book: GET forms, so every list is a link."""
import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.records.selectors import book_period
from huiying.concerns import queues
from huiying.concerns.models import Channel, Function, State, Track
from huiying.concerns.search import MAX_QUERY
from huiying.network.models import Level, Unit

ANY = [("", _("Any"))]


class ConcernFilterForm(forms.Form):
    """Queue, keyword search and filters. Invalid fields are dropped (with their error
    shown), never widened: the list always starts from what the user may see."""

    queue = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Keywords or reference number"), required=False, max_length=MAX_QUERY,
                        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search", "autocomplete": "off"}))
    state = forms.ChoiceField(label=_("State"), required=False, choices=ANY + State.choices)
    track = forms.ChoiceField(label=_("Track"), required=False, choices=ANY + Track.choices)
    function = forms.ChoiceField(label=_("Function"), required=False, choices=ANY + Function.choices)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=ANY + Channel.choices)
    unit = forms.IntegerField(label=_("Unit"), required=False, widget=forms.Select)
    date_from = forms.DateField(label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=ANY + list(queues.OUTCOME_CLASSES.items()))
    received = forms.ChoiceField(label=_("Which concerns of the unit"), required=False,
                                 choices=[("", _("Received or handled there"))] + list(queues.RECEIVED_SCOPES.items()))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.queues = queues.offered_queues(user)
        self.fields["queue"].choices = [(q, queues.QUEUE_LABELS[q]) for q in self.queues]
        self.fields["unit"].widget.choices = self._unit_choices(self._selected_unit())

    def _selected_unit(self) -> Unit | None:
        try:
            pk = int(self.data.get("unit") or 0)
        except (TypeError, ValueError):
            return None
        unit = Unit.objects.filter(pk=pk).first() if pk else None
        return unit if unit is not None and access.unit_in_reach(self.user, unit) else None

    def _unit_choices(self, selected: Unit | None) -> list[tuple]:
        """A short list to drill down with: the way from the user's top units to the selected
        unit, the selected unit, and its children (one level at a time, never 1,300 options)."""
        roots = access.unit_roots(self.user)
        if selected is None:
            path, current = [], roots
        else:
            path = [u for u in selected.ancestors() if access.unit_in_reach(self.user, u)]
            current = [selected]
        # Townships, villages or points first; the county's departments after them.
        children = sorted((c for u in current for c in u.children.all()), key=lambda c: (c.level == Level.DEPARTMENT, c.id))
        choices = [("", _("All my units"))]
        for depth, unit in enumerate(path):
            choices.append((unit.id, "· " * depth + unit.name))
        depth = len(path)
        for unit in current:
            choices.append((unit.id, "· " * depth + unit.name))
        choices += [(c.id, "· " * (depth + 1) + c.name) for c in children]
        return choices

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        if not pk:
            return None
        unit = Unit.objects.filter(pk=pk).first()
        if unit is None or not access.unit_in_reach(self.user, unit):
            raise forms.ValidationError(_("Choose a unit in your part of the network."))
        return unit

    def clean_queue(self):
        queue = self.cleaned_data.get("queue")
        return queue if queue in self.queues else queues.ALL

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
            data.pop("date_to", None)
        return data

    def filters(self) -> queues.Filters:
        """The valid part of what was asked for."""
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        else:
            data = {}
        return queues.Filters(
            q=data.get("q") or "", state=data.get("state") or "", track=data.get("track") or "",
            function=data.get("function") or "", channel=data.get("channel") or "", unit=data.get("unit"),
            date_from=data.get("date_from"), date_to=data.get("date_to"), overdue_only=bool(data.get("overdue")),
            outcome=data.get("outcome") or "", received=data.get("received") or "",
        )

    def current_queue(self) -> str:
        if not self.is_bound:
            return queues.ALL
        self.is_valid()
        return self.cleaned_data.get("queue") or queues.ALL

    def narrowed(self) -> bool:
        """Is any filter beyond the keywords set? (The filters panel then starts open.)"""
        f = self.filters()
        return any([f.state, f.track, f.function, f.channel, f.unit, f.date_from, f.date_to, f.overdue_only, f.outcome, f.received])


class PeriodForm(forms.Form):
    """A record book's period: this month unless asked otherwise."""

    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return book_period(data.get("date_from"), data.get("date_to"))
