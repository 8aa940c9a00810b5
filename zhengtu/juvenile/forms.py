"""Forms of the juvenile pages: input shape only; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import Supervisee

from .models import (
    REPORT_SECTIONS,
    AppropriateAdult,
    InformantKind,
    NonProsecutionStatus,
    ReferrerKind,
    ServiceType,
    Sex,
    Stage,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ReferralForm(forms.Form):
    service_type = forms.ChoiceField(label=_("service type"), choices=ServiceType.choices)
    child_name = forms.CharField(label=_("child's name"), max_length=50)
    sex = forms.ChoiceField(label=_("sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("birth date"), widget=DATE)
    school_or_work = forms.CharField(label=_("school or work"), max_length=100, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    agency = forms.ModelChoiceField(label=_("social-work agency"), queryset=Organisation.objects.none(), required=False)
    referrer_kind = forms.ChoiceField(label=_("referred by"), choices=ReferrerKind.choices, required=False)
    referrer_name = forms.CharField(label=_("referring unit"), max_length=100, required=False)
    summary = forms.CharField(label=_("reason for referral"), widget=forms.Textarea(attrs={"rows": 3}))
    guardian_name = forms.CharField(label=_("guardian's name"), max_length=50, required=False)
    guardian_relation = forms.CharField(label=_("relation to the child"), max_length=30, required=False)
    guardian_phone = forms.CharField(label=_("guardian's phone"), max_length=20, required=False)
    child_consent = forms.BooleanField(label=_("the child consents"), required=False)
    guardian_consent = forms.BooleanField(label=_("the guardian consents"), required=False)

    def __init__(self, *args: Any, county: Organisation | None = None, prosecutor: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        agencies = Organisation.objects.none()
        if county is not None:
            agencies = Organisation.objects.filter(path__startswith=county.path, kind=OrganisationKind.AGENCY)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if prosecutor:
            self.fields["agency"].required = True
            del self.fields["referrer_kind"]


class StepForm(forms.Form):
    content = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}))


class ConsentForm(forms.Form):
    child_consent = forms.BooleanField(label=_("the child consents"), required=False)
    guardian_consent = forms.BooleanField(label=_("the guardian consents"), required=False)


class GuardianForm(forms.Form):
    name = forms.CharField(label=_("guardian's name"), max_length=50)
    relation = forms.CharField(label=_("relation to the child"), max_length=30)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    is_appropriate_adult = forms.BooleanField(label=_("attends as the appropriate adult"), required=False)


class SealForm(forms.Form):
    basis = forms.CharField(label=_("basis for sealing"), max_length=300)


class DocumentForm(forms.Form):
    code = forms.ChoiceField(label=_("document"), choices=())

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = choices  # type: ignore[attr-defined]


class InvestigationRequestForm(forms.Form):
    requesting_organ = forms.CharField(label=_("requesting organ"), max_length=100, required=False)
    due_on = forms.DateField(label=_("due on"), widget=DATE, required=False)


class InterviewForm(forms.Form):
    informant_kind = forms.ChoiceField(label=_("informant"), choices=InformantKind.choices)
    informant_name = forms.CharField(label=_("informant's name"), max_length=50)
    held_on = forms.DateField(label=_("interviewed on"), widget=DATE)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    section = forms.ChoiceField(label=_("report section"), choices=REPORT_SECTIONS)
    statement = forms.CharField(label=_("what the informant said"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field, title in REPORT_SECTIONS:
            self.fields[field] = forms.CharField(label=title, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AdultForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    unit = forms.CharField(label=_("work unit"), max_length=100, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    trained_on = forms.DateField(label=_("trained on"), widget=DATE, required=False)


class AdultRequestForm(forms.Form):
    requested_by = forms.CharField(label=_("requesting organ"), max_length=100, required=False)
    questioning_at = forms.DateTimeField(label=_("questioning at"), widget=DATETIME)
    place = forms.CharField(label=_("place"), max_length=100)


class AssignAdultForm(forms.Form):
    adult = forms.ModelChoiceField(label=_("appropriate adult"), queryset=AppropriateAdult.objects.none())

    def __init__(self, *args: Any, adults: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["adult"].queryset = adults  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    attended = forms.BooleanField(label=_("the adult attended"), required=False)
    attended_from = forms.DateTimeField(label=_("attended from"), widget=DATETIME, required=False)
    attended_until = forms.DateTimeField(label=_("attended until"), widget=DATETIME, required=False)
    notes = forms.CharField(label=_("the adult's notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class NonProsecutionForm(forms.Form):
    decision_number = forms.CharField(label=_("decision number"), max_length=60, required=False)
    decided_on = forms.DateField(label=_("decided on"), widget=DATE)
    test_months = forms.IntegerField(label=_("test period (months)"), min_value=1, max_value=60)
    obligations = forms.CharField(label=_("obligations"), widget=forms.Textarea(attrs={"rows": 3}))
    report_every_days = forms.IntegerField(
        label=_("report to the procuratorate every (days)"), min_value=7, max_value=92, initial=30
    )


class PeriodicReportForm(forms.Form):
    period_start = forms.DateField(label=_("from"), widget=DATE)
    period_end = forms.DateField(label=_("to"), widget=DATE)
    content = forms.CharField(label=_("how the child kept the obligations"), widget=forms.Textarea(attrs={"rows": 3}))


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (NonProsecutionStatus.COMPLETED.value, NonProsecutionStatus.COMPLETED.label),
            (NonProsecutionStatus.REVOKED.value, NonProsecutionStatus.REVOKED.label),
        ],
    )
    assessment = forms.CharField(label=_("end-of-period assessment"), widget=forms.Textarea(attrs={"rows": 3}))


class SealedReadForm(forms.Form):
    case_number = forms.CharField(label=_("case number"), max_length=40)
    legal_basis = forms.CharField(label=_("legal basis"), widget=forms.Textarea(attrs={"rows": 3}))


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("name or case number"), required=False)
    service_type = forms.ChoiceField(label=_("service type"), choices=[("", "—"), *ServiceType.choices], required=False)
    stage = forms.ChoiceField(label=_("stage"), choices=[("", "—"), *Stage.choices], required=False)


class LinkSuperviseeForm(forms.Form):
    supervisee = forms.ModelChoiceField(label=_("linked supervisee record"), queryset=Supervisee.objects.none())

    def __init__(self, *args: Any, supervisees: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["supervisee"].queryset = supervisees  # type: ignore[attr-defined]
