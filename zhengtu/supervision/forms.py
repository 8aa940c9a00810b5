"""Forms of the supervision pages. They check shapes; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.supervisees.models import SupervisionLevel

from .models import (
    CheckInChannel,
    CheckInKind,
    MonitoringSituation,
    PermitKind,
    SanctionKind,
    TeamRole,
    TerminationReason,
    VisitKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, initial_today: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DATE, initial=timezone.localdate if initial_today else None
    )


def text_area(label: Any, *, required: bool = True, rows: int = 4, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


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


class DocumentsReceivedForm(forms.Form):
    received_on = date_field(_("Legal documents received on"), initial_today=True)


class IntakeForm(forms.Form):
    documents_received_on = date_field(_("Legal documents received on"), required=False)
    reported_on = date_field(_("Reported on"), initial_today=True)
    initial_level = forms.ChoiceField(
        label=_("Initial supervision level"), choices=SupervisionLevel.choices, initial=SupervisionLevel.STANDARD
    )
    announced_on = date_field(_("Announced on"), initial_today=True)
    announcement_place = forms.CharField(label=_("Place of announcement"), max_length=100)
    correction_plan = text_area(_("Correction plan"), required=False)
    plan_measures = text_area(_("Measures"), required=False, rows=3)


class TeamMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the team"), choices=[("", "—"), *TeamRole.choices], required=False)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    unit = forms.CharField(label=_("Work unit or relation"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("role")) != bool(data.get("name", "").strip()):
            raise ValidationError(_("Give both the role and the name of a team member, or leave the row empty."))
        return data


TeamFormSet = forms.formset_factory(TeamMemberForm, extra=4, max_num=12)


class PlanForm(forms.Form):
    correction_plan = text_area(_("Correction plan"), rows=8)
    plan_measures = text_area(_("Measures"), required=False)


class LevelForm(forms.Form):
    to_level = forms.ChoiceField(label=_("New supervision level"), choices=SupervisionLevel.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CheckInForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CheckInKind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=CheckInChannel.choices)
    occurred_on = date_field(_("Date"), initial_today=True)
    content = text_area(_("Content"), required=False)
    attachments = MultipleFileField(label=_("Attachments (scans, photos)"))


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices)
    visited_on = date_field(_("Date"), initial_today=True)
    place = forms.CharField(label=_("Place"), max_length=200)
    people_met = forms.CharField(label=_("People met"), max_length=200, required=False)
    notes = text_area(pgettext_lazy("work record", "Notes"))
    photos = MultipleFileField(label=_("Photos"))


class LeaveForm(forms.Form):
    start_date = date_field(_("From"))
    end_date = date_field(_("To"))
    destination = forms.CharField(label=_("Destination"), max_length=200)
    reason = text_area(_("Reason"), rows=3)


class LeaveReturnForm(forms.Form):
    returned_on = date_field(_("Returned on"), initial_today=True)


class TransferForm(forms.Form):
    to_office = forms.ModelChoiceField(
        label=_("New justice office"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.JUSTICE_OFFICE, is_active=True),
    )
    new_address = forms.CharField(label=_("New residence address"), max_length=200)
    reason = text_area(_("Reason"), rows=3)


class MonitoringForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Statutory situation (law art. 29)"),
        choices=[("", _("— choose one of the five situations —")), *MonitoringSituation.choices],
        required=False,
    )
    facts = text_area(_("Facts"), required=False)
    start_date = date_field(_("From"), initial_today=True)
    end_date = date_field(_("To"))


class MonitoringExtensionForm(forms.Form):
    situation = MonitoringForm.base_fields["situation"]
    facts = text_area(_("Why the monitoring must continue"), required=False)
    end_date = date_field(_("Extend to"))


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SanctionKind.choices)
    occurred_on = date_field(_("Date of the facts"), initial_today=True)
    facts = text_area(_("Facts"))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    receiving_organ = forms.CharField(
        label=_("Receiving court, procuratorate or police"),
        max_length=100,
        required=False,
        help_text=_("For a request to another organ (提请…): its full name."),
    )
    evidence = MultipleFileField(label=_("Evidence"))


class PermitForm(forms.Form):
    """One form for every permit kind; the kind relabels the subject and drops what it does not ask for."""

    SUBJECT_LABELS: dict[str, Any] = {
        PermitKind.PROHIBITED_PLACE: _("Place or area to enter"),
        PermitKind.PROHIBITED_CONTACT: _("Person to contact"),
        PermitKind.VISITOR: _("Visitors to meet"),
        PermitKind.RESIDENCE_CHANGE: _("New township, village or community"),
        PermitKind.CROSS_CITY: _("Cities or counties of the activity"),
        PermitKind.MEDICAL_EXTENSION: _("Hospital of the medical review"),
    }

    subject = forms.CharField(label=_("Place, person or destination"), max_length=300)
    new_address = forms.CharField(label=_("New residence address"), max_length=200, required=False)
    start_date = date_field(_("From"), initial_today=True)
    end_date = date_field(_("To"), required=False)
    reason = text_area(_("Reason"), rows=3)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["subject"].label = self.SUBJECT_LABELS.get(kind, self.fields["subject"].label)
        if kind == PermitKind.RESIDENCE_CHANGE:
            del self.fields["end_date"]
            self.fields["start_date"].label = _("Moving on")
        else:
            del self.fields["new_address"]
            self.fields["end_date"].required = True


class ReleasePrepareForm(forms.Form):
    self_summary = text_area(_("The supervisee's self-summary"), rows=6)
    appraisal = text_area(_("The office's appraisal"), rows=6)


class ReleaseCompleteForm(forms.Form):
    released_on = date_field(_("Released on"), initial_today=True)
    announcement_place = forms.CharField(label=_("Place of announcement"), max_length=100)
    by_pardon = forms.BooleanField(label=_("Released by pardon"), required=False)
    pardon_decision = forms.CharField(label=_("Pardon order or decision"), max_length=200, required=False)


class TerminationForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=TerminationReason.choices)
    effective_on = date_field(_("Effective on"), initial_today=True)
    decision = forms.CharField(label=_("Decision or certificate"), max_length=200, required=False)
    notes = text_area(pgettext_lazy("work record", "Notes"), required=False, rows=3)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    comment = text_area(_("Comment"), required=False, rows=3, help_text=_("Required when rejecting."))


class DashboardFilterForm(forms.Form):
    query = forms.CharField(label=_("Name or initials"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", "—"), *SupervisionLevel.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from zhengtu.supervisees.models import Status

        self.fields["status"].choices = [("", "—"), *Status.choices]  # type: ignore[attr-defined]
