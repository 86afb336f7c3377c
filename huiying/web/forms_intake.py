"""The reception screen's forms (热情接待 + 受理登记 on one screen).

`ReceptionPage` holds the whole screen's state as submitted form data: the visit form, the
"new villager" form and one `ConcernForm` per concern block (prefix `c<i>`, present while
its `c<i>-present` marker is). Small edits without JavaScript (search, pick a villager, add
or remove a block) are round trips that change that data and render it again; with HTMX the
same templates come back as partials. The rules are the services': forms check only that
the input has the right shape, and turn it into the services' arguments.
"""
import re
from functools import cached_property

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.concerns import selectors as cq
from huiying.concerns.models import Channel, Function, RiskLevel, Track
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import Level

from .forms import add_service_error

BLOCK_RE = re.compile(r"^c(\d+)-present$")
MAX_BLOCKS = 20
# A refused join names the concern, its version or the visit: all shown at the join choice.
JOIN_FIELDS = {"concern", "version", "visit", "join"}


class HamletChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, hamlet):
        return f"{hamlet.village.name} · {hamlet.name}"


def _radio(choices, **kw):
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **kw)


class ReceptionForm(forms.Form):
    """The reception itself: where, how it came in, how many people, from which hamlet, who."""

    unit = forms.TypedChoiceField(label=_("Received at"), coerce=int)
    channel = _radio(Channel.choices, label=_("How it came in"), initial=Channel.VISIT)
    visitor_count = forms.IntegerField(
        label=_("Number of visitors"), required=False, initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "max": "999"}),
    )
    hamlet = HamletChoiceField(queryset=None, label=_("Hamlet"), required=False, empty_label=_("— from the villagers —"))
    villagers = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.MultipleHiddenInput)
    q = forms.CharField(
        label=_("Find a villager"), required=False, max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": _("name, phone or initials (zxm)")}),
    )

    def __init__(self, *args, user, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [(u.pk, f"{u.name}（{u.get_level_display()}）") for u in units]
        self.fields["hamlet"].queryset = cq.hamlets_served(user)
        self.fields["villagers"].queryset = cq.villagers_served(user)

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]


class NewVillagerForm(forms.Form):
    """A villager not registered yet (prefix "nv"); `villager_create` checks everything."""

    name = forms.CharField(label=_("Name"), required=False, max_length=50)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=20, widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    id_number = forms.CharField(label=_("ID card number"), required=False, max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    hamlet = HamletChoiceField(queryset=None, label=_("Hamlet"), required=False, empty_label=_("— choose —"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix="nv", **kwargs)
        self.fields["hamlet"].queryset = cq.hamlets_served(user)

    def service_kwargs(self, default_hamlet=None) -> dict:
        """`villager_create`'s arguments; the hamlet defaults to the one the visit is from."""
        d = self.cleaned_data
        return {"name": d["name"], "phone": d["phone"], "id_number": d["id_number"], "hamlet": d["hamlet"] or default_hamlet}


class ConcernForm(forms.Form):
    """One concern block: register a new concern, or join an open one (`join` = "pk:version")."""

    present = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")
    join = forms.CharField(required=False)
    seen = forms.CharField(required=False, widget=forms.HiddenInput)
    suggested = forms.CharField(required=False, widget=forms.HiddenInput)
    function = _radio(Function.choices, label=_("What it is about"), required=False)
    summary = forms.CharField(label=_("Summary of the concern"), required=False, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    track = _radio(Track.choices, label=_("Track"), required=False)
    answer = forms.CharField(label=_("Answered on the spot"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("What the villager was told")}),
                             help_text=_("A policy question answered now is closed at once."))
    confidential = forms.BooleanField(label=_("Confidential or private"), required=False)
    risk_level = _radio(RiskLevel.choices, label=_("Risk level"), required=False, initial=RiskLevel.LOW)
    villagers = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, index: int, **kwargs):
        super().__init__(*args, prefix=f"c{index}", **kwargs)
        self.user, self.index = user, index
        # Only a save asks for the function: a round trip to pick a villager must not scold.
        self.saving = False
        self.fields["villagers"].queryset = cq.villagers_served(user)

    def clean(self):
        d = super().clean()
        d["join_concern"] = None
        if d.get("join"):
            pk, _sep, version = d["join"].partition(":")
            try:
                d["join_concern"] = access.concern_get(self.user, pk=int(pk))
                d["join_version"] = int(version)
            except (ValueError, NotFound):
                self.add_error("join", _("No such concern."))
            return d
        if self.saving and not d.get("function"):
            self.add_error("function", _("Choose what the concern is about."))
        if not d.get("track"):
            # Nothing chosen (no JavaScript to preselect it): take the suggestion.
            s = cq.suggest_track(d.get("function"), f"{d.get('summary', '')} {d.get('details', '')}")
            d["track"] = s.track if s else ""
        return d

    def spec(self, hamlet) -> dict:
        d = self.cleaned_data
        villagers = list(d.get("villagers") or [])
        if d["join_concern"] is not None:
            return {"join": d["join_concern"], "version": d["join_version"], "villagers": villagers}
        return {
            "function": d["function"], "summary": d["summary"], "details": d["details"], "track": d["track"],
            "confidential": d["confidential"], "risk_level": d.get("risk_level") or RiskLevel.LOW, "villagers": villagers,
            "hamlet": hamlet, "answer": d["answer"] if d["answer"].strip() else None,
        }


def track_options(data, prefix: str) -> dict:
    """The track radios of a block: which is suggested, which checked. The suggestion is
    checked while the clerk has not chosen another one (the `suggested` marker remembers
    what was suggested last time, so a new suggestion replaces an old one, not a choice)."""
    get = data.get if data is not None else (lambda k, default="": default)
    function, text = get(f"{prefix}-function", ""), f"{get(f'{prefix}-summary', '')} {get(f'{prefix}-details', '')}"
    suggestion = cq.suggest_track(function, text)
    suggested = suggestion.track if suggestion else ""
    current = get(f"{prefix}-track", "")
    checked = suggested if (not current or current == get(f"{prefix}-suggested", "")) else current
    return {
        "suggestion": suggestion,
        "options": [{"value": v, "label": label, "checked": v == checked, "suggested": v == suggested} for v, label in Track.choices],
    }


class ReceptionPage:
    """Everything on the reception screen, bound to one submission (or blank)."""

    def __init__(self, user, units, data: QueryDict | None = None):
        self.user, self.units = user, units
        if data is None:
            data = self.blank_data(units)
        self.data = data
        self.form = ReceptionForm(data, user=user, units=units)
        self.new_villager = NewVillagerForm(data, user=user)
        self.blocks = [ConcernForm(data, user=user, index=i) for i in self.block_indices(data)]
        self.results = None  # villager search results, after a search without JavaScript

    @staticmethod
    def blank_data(units) -> QueryDict:
        unit = units[0]
        data = QueryDict(mutable=True)
        hamlet = getattr(unit, "hamlet", None) if unit.level == Level.HAMLET else None
        data.update({"unit": str(unit.pk), "channel": Channel.VISIT, "visitor_count": "1", "hamlet": str(hamlet.pk) if hamlet else "",
                     "nv-hamlet": str(hamlet.pk) if hamlet else "",
                     "c0-present": "1", "c0-risk_level": RiskLevel.LOW})
        return data

    @staticmethod
    def block_indices(data) -> list[int]:
        return sorted(int(m.group(1)) for k in data if (m := BLOCK_RE.match(k)))[:MAX_BLOCKS]

    # --- what the templates show ------------------------------------------------------

    @cached_property
    def picked(self) -> list:
        """The villagers picked so far, in the order they were picked."""
        ids = [int(v) for v in self.data.getlist("villagers") if v.isdigit()]
        found = {v.pk: v for v in cq.villagers_served(self.user).filter(pk__in=ids)}
        return [found[i] for i in dict.fromkeys(ids) if i in found]

    @cached_property
    def hamlet(self):
        """The hamlet similar concerns are looked for in: the one chosen, else the first villager's."""
        pk = self.data.get("hamlet", "")
        if pk.isdigit():
            hamlet = cq.hamlets_served(self.user).filter(pk=pk).first()
            if hamlet:
                return hamlet
        picked = self.picked
        return picked[0].hamlet if picked else None

    def block_views(self) -> list[dict]:
        picked, hamlet = self.picked, self.hamlet
        return [block_view(self.user, f, self.data, picked, hamlet) for f in self.blocks]

    def unseen_similar(self) -> bool:
        """Would saving register a concern next to a similar open one the clerk was not shown?"""
        hamlet = self.hamlet
        for f in self.blocks:
            if f.data.get(f.add_prefix("join")):
                continue
            seen = set(f.data.get(f.add_prefix("seen"), "").split(","))
            shown = cq.similar_open_concerns(self.user, hamlet=hamlet, summary=f.data.get(f.add_prefix("summary"), ""))
            if any(str(c.pk) not in seen for c in shown):
                return True
        return False

    # --- edits without JavaScript -----------------------------------------------------

    def edited(self, op: str, arg: str = "") -> "ReceptionPage":
        """The page after one small edit ("pick", "unpick", "add_concern", "remove")."""
        data = self.data.copy()
        indices = self.block_indices(data)
        if op == "pick" and arg.isdigit() and cq.villagers_served(self.user).filter(pk=arg).exists():
            pick_into(data, arg, indices)
            data["q"] = ""
        elif op == "unpick":
            for key in ["villagers"] + [f"c{i}-villagers" for i in indices]:
                data.setlist(key, [v for v in data.getlist(key) if v != arg])
        elif op == "add_concern" and len(indices) < MAX_BLOCKS:
            i = max(indices, default=-1) + 1
            data[f"c{i}-present"], data[f"c{i}-risk_level"] = "1", RiskLevel.LOW
            data.setlist(f"c{i}-villagers", data.getlist("villagers"))
        elif op == "remove":
            for key in [k for k in data if k.startswith(f"c{arg}-")]:
                del data[key]
        page = ReceptionPage(self.user, self.units, data)
        if op == "search":
            page.results = cq.villager_search(self.user, data.get("q", ""))
        return page

    def with_villager(self, villager) -> "ReceptionPage":
        """The page after a new villager was registered: picked, and the form cleared."""
        data = self.data.copy()
        pick_into(data, str(villager.pk), self.block_indices(data))
        for name in ("name", "phone", "id_number"):
            data[f"nv-{name}"] = ""
        return ReceptionPage(self.user, self.units, data)

    # --- saving -----------------------------------------------------------------------

    def is_valid(self) -> bool:
        for f in self.blocks:
            f.saving = True
        return all([self.form.is_valid(), *[f.is_valid() for f in self.blocks]])

    def service_kwargs(self) -> dict:
        d = self.form.cleaned_data
        hamlet = d["hamlet"]
        return {
            "unit": d["unit"], "channel": d["channel"], "visitor_count": d["visitor_count"],
            "villagers": list(d["villagers"]), "concerns": [f.spec(hamlet) for f in self.blocks],
        }

    def add_service_error(self, error: ServiceError) -> None:
        """Put a refusal next to its field: "concerns.1.summary" on block 1's summary."""
        parts = error.field.split(".", 2)
        if parts[0] == "concerns" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(self.blocks):
            form, field = self.blocks[int(parts[1])], parts[2]
            if field == "hamlet":
                self.form.add_error("hamlet", error.text)
                return
            field = "join" if field in JOIN_FIELDS and form.data.get(form.add_prefix("join")) else field
            form.add_error(field if field in form.fields else None, error.text)
        else:
            add_service_error(self.form, error)


def pick_into(data: QueryDict, pk: str, indices) -> None:
    """Add a villager to the visit and, ticked, to every concern block."""
    for key in ["villagers"] + [f"c{i}-villagers" for i in indices]:
        if pk not in data.getlist(key):
            data.appendlist(key, pk)
    count = data.get("visitor_count", "")
    if count.isdigit() and int(count) < len(data.getlist("villagers")):
        data["visitor_count"] = str(len(data.getlist("villagers")))


def similar_view(user, data, prefix: str, hamlet) -> dict:
    """The open concerns a block may join, and which one it joins."""
    join = data.get(f"{prefix}-join", "") if data is not None else ""
    candidates = cq.similar_open_concerns(user, hamlet=hamlet, summary=data.get(f"{prefix}-summary", "") if data is not None else "")
    joined_pk = join.partition(":")[0]
    if joined_pk.isdigit() and all(str(c.pk) != joined_pk for c in candidates):
        kept = cq.similar_open_concerns(user, hamlet=hamlet)
        candidates += [c for c in kept if str(c.pk) == joined_pk]
    return {
        "candidates": [{"concern": c, "value": f"{c.pk}:{c.version}", "checked": join.partition(":")[0] == str(c.pk)} for c in candidates],
        "seen": ",".join(str(c.pk) for c in candidates),
        "joining": any(join.partition(":")[0] == str(c.pk) for c in candidates),
    }


def block_view(user, form: ConcernForm, data, picked, hamlet) -> dict:
    prefix = form.prefix
    chosen = set(data.getlist(f"{prefix}-villagers")) if data is not None else set()
    return {
        "f": form, "i": form.index, "prefix": prefix,
        "track": track_options(data, prefix),
        "similar": similar_view(user, data, prefix, hamlet),
        "villagers": [{"villager": v, "checked": str(v.pk) in chosen} for v in picked],
    }
