"""Forms of the investigation pages: shapes only, the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import SentenceType, Sex

from .models import CommissioningOrgan, InterviewKind, Opinion, Outcome, PersonType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, initial_today: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DATE, initial=timezone.localdate if initial_today else None
    )


def text_area(label: Any, *, required: bool = True, rows: int = 4) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CommissionForm(forms.Form):
    organ_kind = forms.ChoiceField(label=_("Commissioning organ"), choices=CommissioningOrgan.choices)
    organ_name = forms.CharField(label=_("Name of the commissioning organ"), max_length=100)
    commission_number = forms.CharField(label=_("Commission letter number"), max_length=100)
    received_on = date_field(_("Commission received on"), initial_today=True)
    urgent = forms.BooleanField(label=_("Urgent (shorter time limit)"), required=False)
    person_name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    person_type = forms.ChoiceField(label=_("Person type"), choices=PersonType.choices)
    identity_number = forms.CharField(label=_("Identity number"), max_length=18, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    birth_date = date_field(_("Birth date"), required=False)
    residence_address = forms.CharField(label=_("Residence address"), max_length=200, required=False)
    crime = forms.CharField(label=_("Crime"), max_length=100)
    proposed_sentence = forms.ChoiceField(label=_("Proposed community sentence"), choices=SentenceType.choices)
    documents = MultipleFileField(label=_("Documents received with the commission"))


class AssignForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Justice office"), queryset=Organisation.objects.none())

    def __init__(self, *args: object, bureau: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["office"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.JUSTICE_OFFICE, path__startswith=bureau.path, is_active=True
        )


class InterviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Whom"), choices=InterviewKind.choices)
    person = forms.CharField(label=_("Person interviewed"), max_length=100)
    held_on = date_field(_("Date"), initial_today=True)
    notes = text_area(_("What was said"), rows=3)


class OpinionForm(forms.Form):
    home_circumstances = text_area(_("Home and living circumstances"), rows=3)
    attitude = text_area(_("Attitude to the offence"), rows=3)
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Opinion.choices)
    opinion_text = text_area(_("Reasons of the opinion"), rows=3)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve and send back")), ("return", _("Return to the office"))]
    )
    comment = text_area(_("Comment"), required=False, rows=2)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    outcome_on = date_field(_("Decided on"), initial_today=True)
