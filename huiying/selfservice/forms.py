"""The public forms (few fields, plain words) and the inbox's staff forms. Shape only: the
rules are the services'; the public ones carry the challenge (`abuse.ChallengeForm`)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from huiying.concerns.models import Function, Rating

from . import abuse
from .services import MAX_ANSWER, MAX_COMMENT, MAX_DESCRIPTION, MAX_SUGGESTION

# The four functions (四大回应功能) in the words a villager would use.
PLAIN_FUNCTIONS = [
    (Function.AGENCY_SERVICE, _("Getting something done for me (allowance, insurance, a certificate)")),
    (Function.DISPUTE, _("A dispute (land, water, boundaries, family, neighbours)")),
    (Function.SENTIMENT, _("Something that worries or upsets me")),
    (Function.SUGGESTION, _("An opinion or a suggestion")),
]


class HamletField(forms.ModelChoiceField):
    def label_from_instance(self, hamlet):
        return hamlet.name


class SubmitForm(abuse.ChallengeForm):
    hamlet = HamletField(queryset=None, label=_("Your hamlet"), empty_label=_("— choose —"),
                         error_messages={"required": _("Please choose your hamlet.")})
    function = forms.ChoiceField(choices=PLAIN_FUNCTIONS, widget=forms.RadioSelect, label=_("What is it about?"),
                                 error_messages={"required": _("Please choose what it is about.")})
    description = forms.CharField(
        label=_("Tell us what happened"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please write a few words.")},
    )
    phone = forms.CharField(
        label=_("Your phone (optional)"), required=False, max_length=20,
        help_text=_("So that we can call you back or send you a text message. You need not give your name."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )

    field_order = ["hamlet", "function", "description", "phone", "answer"]

    def __init__(self, *args, hamlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = hamlets
        if len(hamlets) == 1:
            self.fields["hamlet"].initial = hamlets[0].pk


class TrackForm(forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=24,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "placeholder": "CS-2026-000123"}))
    code = forms.CharField(label=_("Tracking code"), max_length=20,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "1234 5678"}))


class RateForm(TrackForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.ChoiceField(choices=Rating.choices, widget=forms.RadioSelect, label=_("Are you satisfied with the result?"),
                               error_messages={"required": _("Please choose one.")})
    comment = forms.CharField(label=_("Anything to add (optional)"), required=False, max_length=MAX_COMMENT,
                              widget=forms.Textarea(attrs={"rows": 3}))


class BoxForm(abuse.ChallengeForm):
    text = forms.CharField(label=_("Your opinion or suggestion"), max_length=MAX_SUGGESTION, widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": _("Please write a few words.")})
    hamlet = HamletField(queryset=None, label=_("Hamlet (optional)"), required=False, empty_label=_("— not saying —"))
    topic = forms.ChoiceField(choices=[("", _("— not saying —")), *PLAIN_FUNCTIONS], required=False, label=_("About (optional)"))

    field_order = ["text", "hamlet", "topic", "answer"]

    def __init__(self, *args, hamlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = hamlets


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Receipt code"), max_length=20,
                              widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "123 456 7890"}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=MAX_ANSWER, widget=forms.Textarea(attrs={"rows": 4}))
    public = forms.BooleanField(label=_("Show the suggestion and this answer on the public board"), required=False, initial=True)
