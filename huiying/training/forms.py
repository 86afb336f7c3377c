"""Forms of the training pages: what a person typed, turned into a service's arguments.
Choices offered (townships, units below, members) are a convenience; the services check."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from huiying.core import clock
from huiying.network.models import Unit
from huiying.web.forms_actions import DateInput, UserChoiceField

from .models import TrainingAssignment
from .services import PASS_TO


class UnitsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, unit):
        return unit.name


class PeopleField(UserChoiceField, forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    material = forms.CharField(label=_("Material"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("The text every level trains with."))
    link = forms.CharField(label=_("Material link"), required=False, max_length=500,
                           widget=forms.URLInput(attrs={"placeholder": "https://"}))
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())


class _ChildrenForm(forms.Form):
    units = UnitsField(label=_("Units"), queryset=Unit.objects.none(), help_text=_("Those without the task yet."))

    def __init__(self, *args, parent_unit: Unit, task, **kwargs):
        super().__init__(*args, **kwargs)
        level = PASS_TO.get(parent_unit.level)
        have = TrainingAssignment.objects.filter(task=task).values("unit_id")
        qs = Unit.objects.filter(parent=parent_unit, level=level).exclude(pk__in=have).order_by("id") if level else Unit.objects.none()
        self.fields["units"].queryset = qs
        # Usually everything below gets the task: start with every box ticked.
        self.fields["units"].initial = [u.pk for u in qs]


class AssignForm(_ChildrenForm):
    pass


class PassDownForm(_ChildrenForm):
    pass


class AttendanceForm(forms.Form):
    attendees = PeopleField(label=_("Who attended"), queryset=get_user_model().objects.none())
    day = forms.DateField(label=_("Day"), widget=DateInput())

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = get_user_model().objects.filter(memberships__unit=unit).distinct().order_by("first_name", "username")
        self.fields["day"].initial = clock.today()


class CompleteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
