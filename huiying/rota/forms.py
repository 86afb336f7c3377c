"""Forms of the roster page. They turn what was typed into the services' arguments; the
rules (who is available, who may swap) are the services'."""
from django import forms
from django.utils.translation import gettext_lazy as _

from huiying.network.models import Employment
from huiying.web.forms_actions import DateInput, UserChoiceField

from . import selectors as sel
from .models import DayKind

WEEKDAYS = [(0, _("Mon")), (1, _("Tue")), (2, _("Wed")), (3, _("Thu")), (4, _("Fri")), (5, _("Sat")), (6, _("Sun"))]


def _staff_users(unit):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=[m.user_id for m in sel.duty_staff(unit)]).order_by("first_name", "username")


class SwapForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    from_user = UserChoiceField(label=_("Handed over by"), queryset=None)
    to_user = UserChoiceField(label=_("Taken over by"), queryset=None)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, prefix="swap", **kwargs)
        self.fields["from_user"].queryset = self.fields["to_user"].queryset = _staff_users(unit)


class RuleForm(forms.Form):
    per_day = forms.IntegerField(label=_("On duty per day"), min_value=1, max_value=sel.MAX_PER_DAY)
    days = forms.ChoiceField(label=_("Days on duty"), choices=DayKind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="rule", **kwargs)


class AvailabilityForm(forms.Form):
    user = UserChoiceField(label=_("Part-time staff member"), queryset=None)
    weekdays = forms.TypedMultipleChoiceField(label=_("Weekdays they serve"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, prefix="avail", **kwargs)
        part_time = [m.user_id for m in sel.duty_staff(unit) if m.employment == Employment.PART_TIME]
        self.fields["user"].queryset = _staff_users(unit).filter(pk__in=part_time)
