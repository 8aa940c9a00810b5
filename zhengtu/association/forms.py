"""Forms of the association pages. Validation of rules happens in services; these check shapes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from .models import FilingDocumentKind, MemberKind, MembershipStatus, QualificationLevel, QuestionnaireItem
from .services.filings import Decision

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TrainingForm(forms.Form):
    topic = forms.CharField(label=pgettext_lazy("association", "Topic"), max_length=200)
    trainer = forms.CharField(label=pgettext_lazy("association", "Trainer"), max_length=100)
    audience = forms.CharField(label=pgettext_lazy("association", "Audience"), max_length=200)
    starts_at = forms.DateTimeField(label=pgettext_lazy("association", "Starts at"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=pgettext_lazy("association", "Ends at"), widget=DATETIME_WIDGET)
    place = forms.CharField(label=pgettext_lazy("association", "Place"), max_length=200)
    capacity = forms.IntegerField(label=pgettext_lazy("association", "Capacity"), min_value=1, required=False)
    description = forms.CharField(
        label=pgettext_lazy("association", "Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, associations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if associations is not None and associations.count() > 1:
            self.fields["association"] = forms.ModelChoiceField(
                label=pgettext_lazy("association", "Association"), queryset=associations
            )


class GuestForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("association", "Name"), max_length=50)
    phone = forms.CharField(label=pgettext_lazy("association", "Mobile phone"), max_length=20)
    organisation_name = forms.CharField(
        label=pgettext_lazy("association", "Organisation"), max_length=100, required=False
    )


class AttendanceForm(forms.Form):
    attended = forms.BooleanField(label=pgettext_lazy("association", "Attended"), required=False)


class QuestionnaireForm(forms.Form):
    """One 1–5 choice per active item of the association's questionnaire."""

    comment = forms.CharField(
        label=pgettext_lazy("association", "Other comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, items: list[QuestionnaireItem], low: int, high: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(value, str(value)) for value in range(high, low - 1, -1)]
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.text, choices=choices, coerce=int, widget=forms.RadioSelect, required=False
            )
        self.order_fields([f"item_{item.pk}" for item in items] + ["comment"])

    def scores(self) -> dict[int, int | None]:
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}") or None for item in self.items}


class QuestionnaireItemForm(forms.Form):
    text = forms.CharField(label=pgettext_lazy("association", "Question"), max_length=200)
    order = forms.IntegerField(label=pgettext_lazy("association", "Order"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=pgettext_lazy("association", "In use"), required=False, initial=True)


class MembershipForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("association", "Kind"), choices=MemberKind.choices)
    name = forms.CharField(label=pgettext_lazy("association", "Name of unit or person"), max_length=100)
    credit_code = forms.CharField(
        label=pgettext_lazy("association", "Unified social credit code"), max_length=18, required=False
    )
    employer = forms.CharField(label=pgettext_lazy("association", "Employer"), max_length=100, required=False)
    qualification = forms.CharField(
        label=pgettext_lazy("association", "Professional qualification"), max_length=100, required=False
    )
    contact_person = forms.CharField(
        label=pgettext_lazy("association", "Contact person"), max_length=50, required=False
    )
    phone = forms.CharField(label=pgettext_lazy("association", "Contact phone"), max_length=30, required=False)
    address = forms.CharField(label=pgettext_lazy("association", "Address"), max_length=200, required=False)
    statement = forms.CharField(
        label=pgettext_lazy("association", "Application statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, associations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["association"] = forms.ModelChoiceField(
            label=pgettext_lazy("association", "Association"), queryset=associations
        )
        if associations.count() == 1:
            self.fields["association"].initial = associations.first()
            self.fields["association"].widget = forms.HiddenInput()


class MembershipDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=pgettext_lazy("association", "Decision"),
        choices=[("1", pgettext_lazy("association", "Approve")), ("0", pgettext_lazy("association", "Reject"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=pgettext_lazy("association", "Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MembershipStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=pgettext_lazy("association", "New status"),
        choices=[
            (s.value, s.label)
            for s in (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED, MembershipStatus.WITHDRAWN)
        ],
    )
    note = forms.CharField(label=pgettext_lazy("association", "Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class FilingForm(forms.Form):
    qualification_level = forms.ChoiceField(
        label=pgettext_lazy("association", "Qualification level"), choices=QualificationLevel.choices
    )
    certificate_number = forms.CharField(label=pgettext_lazy("association", "Certificate number"), max_length=50)
    education = forms.CharField(label=pgettext_lazy("association", "Education"), max_length=100)
    years_in_social_work = forms.IntegerField(
        label=pgettext_lazy("association", "Years in social work"), min_value=0, max_value=60
    )
    years_supervising = forms.IntegerField(
        label=pgettext_lazy("association", "Years as a supervisor"), min_value=0, max_value=60, initial=0
    )
    qualifications_note = forms.CharField(
        label=pgettext_lazy("association", "Experience and training"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    certificate = forms.FileField(label=pgettext_lazy("association", "Qualification certificate"), required=False)
    diploma = forms.FileField(label=pgettext_lazy("association", "Diploma"), required=False)
    experience = forms.FileField(label=pgettext_lazy("association", "Proof of experience"), required=False)

    def __init__(self, *args: Any, associations: Any = None, supervisors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if associations is not None:
            self.fields["association"] = forms.ModelChoiceField(
                label=pgettext_lazy("association", "Association"), queryset=associations
            )
            if associations.count() == 1:
                self.fields["association"].initial = associations.first()
                self.fields["association"].widget = forms.HiddenInput()
        if supervisors is not None:
            self.fields["supervisor"] = forms.ModelChoiceField(
                label=pgettext_lazy("association", "Supervisor"), queryset=supervisors
            )

    def documents(self) -> list[tuple[str, Any]]:
        kinds = {
            "certificate": FilingDocumentKind.CERTIFICATE,
            "diploma": FilingDocumentKind.DIPLOMA,
            "experience": FilingDocumentKind.EXPERIENCE,
        }
        return [(kind, self.cleaned_data[field]) for field, kind in kinds.items() if self.cleaned_data.get(field)]

    def filing_fields(self) -> dict[str, Any]:
        names = ("qualification_level", "certificate_number", "education", "years_in_social_work", "years_supervising")
        fields = {name: self.cleaned_data[name] for name in names}
        fields["years_supervising"] = fields["years_supervising"] or 0
        fields["qualifications_note"] = self.cleaned_data.get("qualifications_note", "")
        return fields


class FilingReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("association", "Decision"),
        choices=[
            (Decision.APPROVE, pgettext_lazy("association", "Approve and file")),
            (Decision.RETURN, pgettext_lazy("association", "Return for changes")),
            (Decision.REJECT, pgettext_lazy("association", "Reject")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=pgettext_lazy("association", "Note to the applicant"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReasonForm(forms.Form):
    note = forms.CharField(label=pgettext_lazy("association", "Reason"), widget=forms.Textarea(attrs={"rows": 2}))
