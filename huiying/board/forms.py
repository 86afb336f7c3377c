"""Forms of the board: the villager's objection (with the public-form challenge) and the
staff's batch posting. Shape only: the rules are in `board.services`."""
import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from huiying.selfservice import abuse

from .services import OBJECTION_MAX_LENGTH


class ObjectionForm(abuse.ChallengeForm):
    reason = forms.CharField(
        label=_("What is wrong with this result?"), max_length=OBJECTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write a few words.")},
    )
    phone = forms.CharField(
        label=_("Your phone (optional)"), required=False, max_length=20,
        help_text=_("Only if you want a call back. Only the station's staff see it; you need not give your name."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    field_order = ["reason", "phone", "answer"]


class ResultChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, concern):
        return f"{concern.reference} {concern.summary}"


class BatchForm(forms.Form):
    concerns = ResultChoice(queryset=None, widget=forms.CheckboxSelectMultiple, label=_("Results to post"),
                            error_messages={"required": _("Choose at least one result to post.")})
    period_start = forms.DateField(label=_("Posted from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Posted until"), widget=forms.DateInput(attrs={"type": "date"}))
    objection_until = forms.DateField(label=_("Objections until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, candidates, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].queryset = candidates
        end = today + dt.timedelta(days=settings.HUIYING_BOARD_DEFAULT_PERIOD_DAYS)
        self.fields["period_start"].initial = today
        self.fields["period_end"].initial = end
        self.fields["objection_until"].initial = end
