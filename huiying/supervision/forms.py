"""Forms of the supervision pages. They carry input to the services; the rules are there."""
import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from huiying.concerns.models import Rating
from huiying.core import clock

from .models import Decision, Kind


def _text(**kw):
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **kw)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = _text(label=_("Comment"), max_length=2000)


class ReviewCloseForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = _text(label=_("Reason"), max_length=2000)


class SupervisorForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    phone = forms.CharField(label=_("Telephone"), max_length=30, required=False)


class PeriodForm(forms.Form):
    """The period of the rates: from the first of the year to today unless chosen."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self) -> tuple[dt.date, dt.date]:
        today = clock.today()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(month=1, day=1)
        end = data.get("end") or today
        if end < start:
            self.add_error("end", _("The end comes before the start."))
            start, end = today.replace(month=1, day=1), today
        return start, end
