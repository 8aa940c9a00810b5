"""Forms of the volunteers pages: input shape only; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.accounts.models import User
from zhengtu.juvenile.models import JuvenileCase
from zhengtu.orgs.models import Organisation
from zhengtu.supervisees.models import Supervisee

from .models import StudioRole

DATE = forms.DateInput(attrs={"type": "date"})


class VolunteerForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("registered with"), queryset=Organisation.objects.none())
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    skills = forms.CharField(label=_("skills"), max_length=200, required=False)
    availability = forms.CharField(label=_("availability"), max_length=200, required=False)
    background_checked_on = forms.DateField(label=_("background check date"), widget=DATE, required=False)
    training_hours = forms.DecimalField(label=_("training hours"), min_value=0, max_digits=6, decimal_places=1)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    juvenile_case = forms.ModelChoiceField(
        label=_("juvenile case"), queryset=JuvenileCase.objects.none(), required=False
    )
    supervisee = forms.ModelChoiceField(
        label=_("correction team of"), queryset=Supervisee.objects.none(), required=False
    )
    task = forms.CharField(label=_("task"), max_length=200)

    def __init__(self, *args: Any, cases: Any, supervisees: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["juvenile_case"].queryset = cases  # type: ignore[attr-defined]
        self.fields["supervisee"].queryset = supervisees  # type: ignore[attr-defined]


class HoursForm(forms.Form):
    worked_on = forms.DateField(label=_("date"), widget=DATE)
    hours = forms.DecimalField(label=_("hours"), max_digits=4, decimal_places=1)
    activity = forms.CharField(label=_("activity"), max_length=200)


class TrainingForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("social worker"), queryset=User.objects.none())
    attended_on = forms.DateField(label=_("date"), widget=DATE)
    topic = forms.CharField(label=_("topic"), max_length=200)
    provider = forms.CharField(label=_("provider"), max_length=100, required=False)
    hours = forms.DecimalField(label=_("hours"), max_digits=4, decimal_places=1)

    def __init__(self, *args: Any, workers: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    supervisor_name = forms.CharField(label=_("supervisor"), max_length=50)
    held_on = forms.DateField(label=_("date"), widget=DATE)
    hours = forms.DecimalField(label=_("hours"), max_digits=4, decimal_places=1, min_value=0)
    topic = forms.CharField(label=_("topic"), max_length=200)
    workers = forms.ModelMultipleChoiceField(label=_("social workers"), queryset=User.objects.none())
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, workers: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = workers  # type: ignore[attr-defined]


class StudioForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("name"), max_length=100)
    description = forms.CharField(
        label=pgettext_lazy("studio", "description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    founded_on = forms.DateField(label=_("founded on"), widget=DATE, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class StudioMemberForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    role = forms.ChoiceField(label=_("role"), choices=StudioRole.choices)
    background = forms.CharField(label=_("background"), max_length=200, required=False)


class StudioOutputForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.CharField(label=_("kind"), max_length=50)
    produced_on = forms.DateField(label=_("date"), widget=DATE)
    description = forms.CharField(
        label=pgettext_lazy("studio", "description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
