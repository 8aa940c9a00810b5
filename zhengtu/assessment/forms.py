"""Forms of the assessment pages. Questionnaire answers are not a Django form: the instrument defines
them, and questionnaire.evaluate_answers checks them (the same check as the API and paper imports)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtu.supervisees.models import Status, Supervisee

from .models import AssessmentMode, Instrument, InstrumentVersion

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_LISTED = 200


def _check_xlsx(upload: Any) -> bytes:
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("The file is larger than 10 MB."))
    if not upload.name.lower().endswith((".xlsx", ".xlsm")):
        raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
    return bytes(upload.read())


class InstrumentImportForm(forms.Form):
    workbook = forms.FileField(label=_("Instrument workbook (.xlsx)"))
    for_my_organisation = forms.BooleanField(
        label=_("Only for my organisation and below"),
        required=False,
        initial=True,
        help_text=_("Leave ticked for an agency's own instrument or licensed item texts."),
    )

    def clean_workbook(self) -> bytes:
        upload = self.cleaned_data["workbook"]
        self.file_name = str(upload.name)
        return _check_xlsx(upload)


class StartAssessmentForm(forms.Form):
    supervisee = forms.ModelChoiceField(queryset=Supervisee.objects.none(), label=_("Supervisee"))
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none(), label=_("Instrument"))
    mode = forms.ChoiceField(
        label=_("How it is filled in"),
        choices=[
            (AssessmentMode.INTERVIEW.value, AssessmentMode.INTERVIEW.label),
            (AssessmentMode.SELF_REPORT.value, AssessmentMode.SELF_REPORT.label),
        ],
        initial=AssessmentMode.INTERVIEW,
    )
    received_on = forms.DateField(
        label=_("Questionnaire received on"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )

    def __init__(
        self,
        *args: Any,
        supervisees: QuerySet[Supervisee],
        instruments: QuerySet[Instrument],
        search: str = "",
        chosen: Supervisee | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["supervisee"]
        # Any supervisee in scope is accepted; only a page of them is listed (a province is 50,000).
        field.queryset = supervisees.filter(status__in=[Status.PENDING_INTAKE, Status.UNDER_SUPERVISION])
        listed = field.queryset
        if search.strip():
            text = search.strip()
            listed = listed.filter(Q(name__contains=text) | Q(name_initials__startswith=text.lower()))
        options = list(listed.order_by("name_pinyin")[:MAX_LISTED])
        if chosen is not None and chosen not in options:
            options.insert(0, chosen)
        field.widget.choices = [("", "---------")] + [
            (s.pk, f"{s.name}（{s.identity_number_masked}）") for s in options
        ]
        instrument_field: Any = self.fields["instrument"]
        instrument_field.queryset = instruments

    def clean_received_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date the questionnaire was received cannot be in the future."))
        return day


class OverrideRequestForm(forms.Form):
    to_level = forms.ChoiceField(label=_("New level"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, levels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_level"]
        field.choices = levels


class OverrideDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class AlertForm(forms.Form):
    action_note = forms.CharField(label=_("Action taken"), max_length=500)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)


class PaperImportForm(forms.Form):
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none(), label=_("Instrument"))
    sheet = forms.FileField(label=_("Typed-in questionnaires (.xlsx)"))
    received_on = forms.DateField(
        label=_("Received on (when the sheet has no date column)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )

    def __init__(self, *args: Any, instruments: QuerySet[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["instrument"]
        field.queryset = instruments

    def clean_sheet(self) -> bytes:
        upload = self.cleaned_data["sheet"]
        self.file_name = str(upload.name)
        return _check_xlsx(upload)

    def clean_received_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("received_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date the questionnaire was received cannot be in the future."))
        return day

    def version(self) -> InstrumentVersion:
        instrument: Instrument = self.cleaned_data["instrument"]
        assert instrument.current_version is not None
        return instrument.current_version


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
