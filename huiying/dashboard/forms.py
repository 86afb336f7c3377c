"""The dashboard's period form: a GET form, so every dashboard is a link."""
from django import forms
from django.utils.translation import gettext_lazy as _

from huiying.core.errors import ServiceError

from .periods import CUSTOM, KINDS, YEAR, Period, period_check, period_of


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False, choices=list(KINDS.items()))
    # "from"/"to", the names the API uses too; declared in __init__ ("from" is a keyword).

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
        self.fields["to"] = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def chosen(self, today) -> Period:
        """The period asked for; this year when nothing valid was asked for (errors stay on the form)."""
        if not self.is_bound or not self.is_valid():
            return period_of(YEAR, today)
        data = self.cleaned_data
        kind = data.get("period") or (CUSTOM if data.get("from") or data.get("to") else YEAR)
        if kind != CUSTOM:
            return period_of(kind, today)
        try:
            return period_check(data.get("from"), data.get("to"), today=today)
        except ServiceError as e:
            self.add_error(e.field if e.field in self.fields else None, e.text)
            return period_of(YEAR, today)
