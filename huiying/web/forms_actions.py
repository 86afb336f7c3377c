"""One form per action on the concern page: `FORMS[action]`.

A form turns what a person typed into the keyword arguments of the action's service
(`service_kwargs`), offers sensible choices (the handling unit's staff, the concern's
villagers, its outstanding documents), and carries the concern's `version` so a stale write
is refused. The rules themselves are the service's: a form offering a choice is not the
check that the choice is allowed.
"""
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns import services as cs
from huiying.concerns.models import OTHER_OUTCOMES, AgencyDocument, AttachmentKind, FeedbackMethod, Outcome, Rating, Track, Villager
from huiying.concerns.workflow import HANDLERS
from huiying.core import clock
from huiying.core.errors import NotFound
from huiying.network.models import Level, Unit
from huiying.stats import workload

ACCEPT = "image/jpeg,image/png,application/pdf"


def _text(**kw):
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **kw)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kw):
        super().__init__(format="%Y-%m-%d", **kw)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kw):
        super().__init__(format="%Y-%m-%dT%H:%M", **kw)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class LoadedUserChoiceField(UserChoiceField):
    """Each person with their current open load, the least loaded marked as the suggestion."""

    loads: dict = {}
    suggested_id = None

    def label_from_instance(self, user):
        name = super().label_from_instance(user)
        load = self.loads.get(user.pk, 0)
        if user.pk == self.suggested_id:
            return _("%(name)s (open %(n)s, suggested)") % {"name": name, "n": load}
        return _("%(name)s (open %(n)s)") % {"name": name, "n": load}


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name}（{unit.get_level_display()}）"


def staff_of(units):
    """People with a handler role at any of `units`."""
    return get_user_model().objects.filter(memberships__unit__in=units, memberships__role__in=HANDLERS).distinct().order_by("first_name", "username")


class ActionForm(forms.Form):
    service = None  # the action's service, wrapped in staticmethod
    multipart = False

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, concern, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("version", concern.version)
        super().__init__(*args, **kwargs)
        self.concern, self.user = concern, user
        self.setup()

    def setup(self) -> None:
        """Choices that depend on the concern."""

    def service_kwargs(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def perform(self):
        return self.service(actor=self.user, concern=self.concern, version=self.cleaned_data["version"], **self.service_kwargs())


class AssignForm(ActionForm):
    service = staticmethod(cs.concern_assign)
    handler = LoadedUserChoiceField(label=_("Handler"), queryset=get_user_model().objects.none(),
                                    help_text=_("In brackets: open concerns each person handles now. The least loaded is suggested."))
    track = forms.ChoiceField(label=_("Track"), required=False, choices=[("", _("Keep the current track"))] + Track.choices)

    def setup(self):
        field = self.fields["handler"]
        field.queryset = staff_of([self.concern.handling_unit_id])
        people = list(field.queryset)
        suggested = workload.least_loaded(self.concern.handling_unit, candidates=people)
        field.loads = workload.open_loads([p.pk for p in people])
        field.suggested_id = suggested.pk if suggested else None
        # Reassigning keeps the current handler preselected; a first assignment starts on the suggestion.
        field.initial = self.concern.handler_id or field.suggested_id

    def service_kwargs(self):
        return {"handler": self.cleaned_data["handler"], "track": self.cleaned_data["track"] or None}


class AnswerForm(ActionForm):
    service = staticmethod(cs.concern_answer)
    answer = _text(label=_("Answer"))


class StartOnSiteForm(ActionForm):
    service = staticmethod(cs.concern_start_on_site)


class RecordMediationForm(ActionForm):
    service = staticmethod(cs.concern_record_mediation)
    multipart = True
    held_at = forms.DateTimeField(label=_("Held at"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Place"), max_length=200)
    parties = _text(label=_("Parties"), help_text=_("One per line."))
    mediators = _text(label=_("Mediators"), help_text=_("One per line."))
    summary = _text(label=_("Summary of the session"))
    agreement_reached = forms.BooleanField(label=_("Agreement reached"), required=False)
    agreement = _text(label=_("Agreement"), required=False)
    photo = forms.FileField(label=_("Photo of the signed agreement"), required=False, widget=forms.FileInput(attrs={"accept": ACCEPT}),
                            help_text=_("JPEG, PNG or PDF."))

    def setup(self):
        self.fields["held_at"].initial = clock.now().replace(second=0, microsecond=0)

    def service_kwargs(self):
        data = super().service_kwargs()
        data["parties"], data["mediators"] = _lines(data["parties"]), _lines(data["mediators"])
        return data


class RecordAuthorizationForm(ActionForm):
    service = staticmethod(cs.concern_record_authorization)
    villager = forms.ModelChoiceField(label=_("Signed by"), queryset=Villager.objects.none())
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    scope = _text(label=_("What the villager authorizes"))

    def setup(self):
        self.fields["villager"].queryset = self.concern.villagers.order_by("id")
        self.fields["signed_on"].initial = clock.today()


class TakeDocumentForm(ActionForm):
    service = staticmethod(cs.concern_take_document)
    name = forms.CharField(label=_("Document"), max_length=100, help_text=_("For example: household register, ID card copy."))


class ReturnDocumentForm(ActionForm):
    service = staticmethod(cs.concern_return_document)
    document = forms.ModelChoiceField(label=_("Document"), queryset=AgencyDocument.objects.none())

    def setup(self):
        self.fields["document"].queryset = self.concern.documents.filter(returned_at__isnull=True)


class EscalateForm(ActionForm):
    service = staticmethod(cs.concern_escalate)
    to_unit = UnitChoiceField(label=_("Escalate to"), queryset=Unit.objects.none())
    to_handler = UserChoiceField(label=_("Handler at the higher level"), queryset=get_user_model().objects.none(), required=False)
    reason = _text(label=_("Reason"))

    def setup(self):
        here = self.concern.handling_unit
        q = Q(pk=here.parent_id) if here.parent_id else Q(pk__in=[])
        if here.level in (Level.TOWNSHIP, Level.COUNTY):
            q |= Q(level=Level.DEPARTMENT, county_id=here.county_id)
        targets = Unit.objects.filter(q).order_by("id")
        self.fields["to_unit"].queryset = targets
        if self.concern.confidential:
            # Only named handlers see a confidential concern: someone above must be named.
            self.fields["to_handler"].queryset = staff_of(targets)
            self.fields["to_handler"].required = True
        else:
            del self.fields["to_handler"]


class BookAppointmentForm(ActionForm):
    service = staticmethod(cs.concern_book_appointment)
    date = forms.DateField(label=_("Visit date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    cadre = forms.CharField(label=_("Cadre who comes down"), max_length=100)
    handler = UserChoiceField(label=_("Handler"), queryset=get_user_model().objects.none(), required=False)

    def setup(self):
        self.fields["handler"].queryset = staff_of([self.concern.handling_unit_id])
        self.fields["handler"].initial = self.concern.handler_id


class TransferForm(ActionForm):
    service = staticmethod(cs.concern_transfer)
    to_unit = UnitChoiceField(label=_("Transfer to"), queryset=Unit.objects.none())
    reason = _text(label=_("Reason"))

    def setup(self):
        c = self.concern
        self.fields["to_unit"].queryset = (
            Unit.objects.filter(county_id=c.received_county_id).exclude(pk=c.handling_unit_id).order_by("township_id", "village_id", "id")
        )


class ExtendForm(ActionForm):
    service = staticmethod(cs.concern_extend)
    # The limits are the service's (and settings'); the form only asks for a number.
    days = forms.IntegerField(label=_("Working days"), widget=forms.NumberInput(attrs={"min": 1}))
    reason = _text(label=_("Reason"))


class ResolveForm(ActionForm):
    service = staticmethod(cs.concern_resolve)
    result = _text(label=_("Result"))


class PostForm(ActionForm):
    service = staticmethod(cs.concern_post)


class FeedbackForm(ActionForm):
    service = staticmethod(cs.concern_feedback)
    method = forms.ChoiceField(label=_("Feedback method"), choices=FeedbackMethod.choices, initial=FeedbackMethod.IN_PERSON)
    note = _text(label=_("Note"), required=False)


class CloseUnresolvedForm(ActionForm):
    service = staticmethod(cs.concern_close_unresolved)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[(o.value, o.label) for o in Outcome if o in OTHER_OUTCOMES])
    reason = _text(label=_("Reason"))
    merged_into = forms.CharField(label=_("Merged into (reference number)"), required=False, max_length=24,
                                  help_text=_("Only when the outcome is “merged into another concern”."))

    def clean_merged_into(self):
        reference = self.cleaned_data["merged_into"].strip().upper()
        if not reference:
            return None
        try:
            return access.concern_get(self.user, reference=reference)
        except NotFound as e:
            raise forms.ValidationError(e.text) from e


class RateForm(ActionForm):
    service = staticmethod(cs.concern_rate)
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices)
    comment = _text(label=_("Comment"), required=False)


class ObjectForm(ActionForm):
    service = staticmethod(cs.concern_object)
    reason = _text(label=_("The villager's objection"))


class ReopenForm(ActionForm):
    service = staticmethod(cs.concern_reopen)
    reason = _text(label=_("Why it goes back"))


class AttachForm(ActionForm):
    """Not a workflow step (see services.attachments): offered on the page's attachments panel."""

    service = staticmethod(cs.concern_attach)
    multipart = True
    file = forms.FileField(label=_("File"), widget=forms.FileInput(attrs={"accept": ACCEPT}), help_text=_("JPEG, PNG or PDF."))
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices, initial=AttachmentKind.OTHER)


FORMS: dict[str, type[ActionForm]] = {
    "assign": AssignForm,
    "answer": AnswerForm,
    "start_on_site": StartOnSiteForm,
    "record_mediation": RecordMediationForm,
    "record_authorization": RecordAuthorizationForm,
    "take_document": TakeDocumentForm,
    "return_document": ReturnDocumentForm,
    "escalate": EscalateForm,
    "book_appointment": BookAppointmentForm,
    "transfer": TransferForm,
    "extend": ExtendForm,
    "resolve": ResolveForm,
    "post": PostForm,
    "feedback": FeedbackForm,
    "close_unresolved": CloseUnresolvedForm,
    "rate": RateForm,
    "object": ObjectForm,
    "reopen": ReopenForm,
}
ATTACH = "attach"
FORMS[ATTACH] = AttachForm
