from django import forms
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.core.errors import Forbidden
from huiying.concerns.workflow import HANDLERS
from huiying.network.models import Level, Unit


class UploadForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Import into"), queryset=Unit.objects.none())
    file = forms.FileField(label=_("Register file (.xlsx or .csv)"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        own = [u for u in access.units_user_acts_in(user, roles=HANDLERS) if u.level != Level.DEPARTMENT]
        # The user's stations and one level below (a township imports a village's book).
        offered = own + [c for u in own for c in u.children.exclude(level=Level.DEPARTMENT).order_by("id")]
        self.fields["unit"].queryset = Unit.objects.exclude(level=Level.DEPARTMENT)
        self.fields["unit"].widget.choices = [(u.pk, u.name) for u in offered]
        if len(own) == 1:
            self.fields["unit"].initial = own[0].pk

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        try:
            access.check_unit_access(self.user, unit, roles=HANDLERS)
        except Forbidden as e:
            raise forms.ValidationError(e.text) from None
        return unit
