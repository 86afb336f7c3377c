"""Forms of the export pages: a unit in the user's reach and a period or a month."""
import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.core import clock
from huiying.network.models import Level, Unit

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> dt.date | None:
    m = MONTH_RE.match((text or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 2000:
        return None
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.name


def _reach_units(user):
    """The user's top units and one level below them (the dashboard links to any unit)."""
    roots = access.unit_roots(user)
    ids = [u.id for u in roots] + [c.id for u in roots for c in u.children.exclude(level=Level.DEPARTMENT)]
    return Unit.objects.filter(pk__in=ids).order_by("level", "id")


class _UnitForm(forms.Form):
    unit = UnitField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Any unit in reach is accepted (a link from a village's dashboard), the choices
        # offered are the short list.
        self.fields["unit"].queryset = Unit.objects.all()
        self.fields["unit"].widget.choices = [(u.pk, u.name) for u in _reach_units(user)]

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if not access.unit_in_reach(self.user, unit):
            raise forms.ValidationError(_("Choose a unit in your part of the network."))
        return unit


class DashboardExportForm(_UnitForm):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        today = clock.today()
        self.fields["date_from"].initial = today.replace(month=1, day=1)
        self.fields["date_to"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class MonthlyForm(_UnitForm):
    month = forms.CharField(label=_("Month"), widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["month"].initial = clock.today().strftime("%Y-%m")

    def clean_month(self):
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return month
