"""Forms of the cadres' visit pages: what was typed, as the services' arguments."""
from django import forms
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.network.selectors import subtree_q
from huiying.web.forms_actions import DateInput

# The booking form offers this many of the station's open concerns, newest first.
OFFERED = 60


class ConcernChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, c):
        return f"{c.reference} {c.summary}"


class BookForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    title = forms.CharField(label=_("Your title"), required=False, max_length=50, help_text=_("Shown to villagers with your unit, such as 副局长."))
    purpose = forms.CharField(label=_("Purpose"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("For the station's staff; villagers see only the date, your unit and title."))
    concerns = ConcernChoiceField(label=_("Concerns you come for"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, unit, **kwargs):
        super().__init__(*args, **kwargs)
        open_ids = list(
            access.visible_concerns(user).filter(subtree_q(unit, "received_"), outcome="").order_by("-received_at").values_list("pk", flat=True)[:OFFERED]
        )
        self.fields["concerns"].queryset = access.visible_concerns(user).filter(pk__in=open_ids).order_by("-received_at")


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)


class OutcomeForm(forms.Form):
    summary = forms.CharField(label=_("What the visit did"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, served, **kwargs):
        super().__init__(*args, **kwargs)
        self.served = served
        for row in served:
            c = row["concern"]
            self.fields[c.reference] = forms.CharField(label=f"{c.reference} {c.summary}", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def outcomes(self) -> dict:
        return {row["concern"].pk: self.cleaned_data[row["concern"].reference] for row in self.served}
