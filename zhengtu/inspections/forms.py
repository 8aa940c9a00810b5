"""Forms of the inspection pages. They check shapes; rules are enforced by the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from zhengtu.accounts.models import User
from zhengtu.orgs.models import Organisation
from zhengtu.projects.models import ServiceProject

from .models import (
    ActivityKind,
    Expert,
    Finding,
    FindingKind,
    Panel,
    RubricIndicator,
    RubricSection,
    RubricTemplate,
    Specialty,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ExpertForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("inspections", "Name"), max_length=50)
    specialty = forms.ChoiceField(label=pgettext_lazy("inspections", "Specialty"), choices=Specialty.choices)
    title = forms.CharField(label=pgettext_lazy("inspections", "Professional title"), max_length=50, required=False)
    employer = forms.ModelChoiceField(
        label=pgettext_lazy("inspections", "Employer in Zhengtu"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=pgettext_lazy(
            "inspections",
            "If the expert works for an organisation in Zhengtu, choose it: they never inspect its projects.",
        ),
    )
    employer_name = forms.CharField(label=pgettext_lazy("inspections", "Employer"), max_length=100, required=False)
    user = forms.ModelChoiceField(
        label=pgettext_lazy("inspections", "Account"),
        queryset=User.objects.none(),
        required=False,
        help_text=pgettext_lazy("inspections", "An account with the inspector role lets the expert score in Zhengtu."),
    )
    phone = forms.CharField(label=pgettext_lazy("inspections", "Work phone"), max_length=30, required=False)
    term_start = forms.DateField(label=pgettext_lazy("inspections", "Term starts"), widget=DATE_WIDGET)
    term_end = forms.DateField(label=pgettext_lazy("inspections", "Term ends"), widget=DATE_WIDGET)
    is_available = forms.BooleanField(label=pgettext_lazy("inspections", "Available"), required=False, initial=True)
    availability_note = forms.CharField(
        label=pgettext_lazy("inspections", "Availability note"), max_length=200, required=False
    )

    def __init__(self, *args: Any, organisations: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["user"].queryset = accounts  # type: ignore[attr-defined]


class ConflictForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=pgettext_lazy("inspections", "Organisation"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=pgettext_lazy("inspections", "Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class AbsenceForm(forms.Form):
    starts_on = forms.DateField(label=pgettext_lazy("inspections", "From"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=pgettext_lazy("inspections", "Until"), widget=DATE_WIDGET)
    reason = forms.CharField(label=pgettext_lazy("inspections", "Reason"), max_length=200, required=False)


class SectionForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("inspections", "Section title"), max_length=100)


class IndicatorForm(forms.Form):
    section = forms.ModelChoiceField(
        label=pgettext_lazy("inspections", "Section"), queryset=RubricSection.objects.none()
    )
    title = forms.CharField(label=pgettext_lazy("inspections", "Indicator"), max_length=200)
    weight = forms.DecimalField(
        label=pgettext_lazy("inspections", "Weight (points)"), min_value=Decimal("0.5"), max_digits=5, decimal_places=1
    )
    scoring_guide = forms.CharField(
        label=pgettext_lazy("inspections", "Scoring guide"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, sections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections  # type: ignore[attr-defined]


class RoundForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("inspections", "Title"), max_length=200)
    rubric = forms.ModelChoiceField(
        label=pgettext_lazy("inspections", "Rubric"), queryset=RubricTemplate.objects.none()
    )
    starts_on = forms.DateField(label=pgettext_lazy("inspections", "Starts on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=pgettext_lazy("inspections", "Ends on"), widget=DATE_WIDGET)
    basis = forms.CharField(
        label=pgettext_lazy("inspections", "Basis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=pgettext_lazy("inspections", "The notices and rules the round is based on."),
    )
    aims = forms.CharField(
        label=pgettext_lazy("inspections", "Aims"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    content = forms.CharField(
        label=pgettext_lazy("inspections", "Content and methods"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, rubrics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = rubrics  # type: ignore[attr-defined]


class RoundTextsForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("inspections", "Title"), max_length=200)
    starts_on = forms.DateField(label=pgettext_lazy("inspections", "Starts on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=pgettext_lazy("inspections", "Ends on"), widget=DATE_WIDGET)
    basis = forms.CharField(
        label=pgettext_lazy("inspections", "Basis"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    aims = forms.CharField(
        label=pgettext_lazy("inspections", "Aims"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    content = forms.CharField(
        label=pgettext_lazy("inspections", "Content and methods"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    overall_picture = forms.CharField(
        label=pgettext_lazy("inspections", "Overall picture"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    common_problems = forms.CharField(
        label=pgettext_lazy("inspections", "Common problems"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    recommendations = forms.CharField(
        label=pgettext_lazy("inspections", "Recommendations"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class AddProjectsForm(forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("inspections", "Projects"),
        queryset=ServiceProject.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects  # type: ignore[attr-defined]


class PanelForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("inspections", "Panel name"), max_length=100)


class DrawForm(forms.Form):
    size = forms.IntegerField(label=pgettext_lazy("inspections", "Panel size"), min_value=1, max_value=15)
    required_specialties = forms.MultipleChoiceField(
        label=pgettext_lazy("inspections", "Specialties the panel must include"),
        choices=Specialty.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    seed = forms.IntegerField(
        label=pgettext_lazy("inspections", "Seed"),
        required=False,
        min_value=0,
        help_text=pgettext_lazy("inspections", "Leave empty for a fresh draw; give a recorded seed to repeat a draw."),
    )


class ManualMemberForm(forms.Form):
    expert = forms.ModelChoiceField(label=pgettext_lazy("inspections", "Expert"), queryset=Expert.objects.none())
    reason = forms.CharField(
        label=pgettext_lazy("inspections", "Why this expert"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, experts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    panel = forms.ModelChoiceField(
        label=pgettext_lazy("inspections", "Panel"), queryset=Panel.objects.none(), required=False
    )
    visit_on = forms.DateField(label=pgettext_lazy("inspections", "Visit date"), widget=DATE_WIDGET, required=False)
    summary = forms.CharField(
        label=pgettext_lazy("inspections", "Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=pgettext_lazy("inspections", "The project's progress and effect, for the reports."),
    )

    def __init__(self, *args: Any, panels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels  # type: ignore[attr-defined]


class ScoresheetForm(forms.Form):
    """One points field and one note per indicator of the round's rubric."""

    comment = forms.CharField(
        label=pgettext_lazy("inspections", "Overall comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, indicators: list[RubricIndicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=indicator.title,
                min_value=Decimal(0),
                max_value=indicator.weight,
                decimal_places=1,
                max_digits=5,
                required=False,
                widget=forms.NumberInput(
                    attrs={"step": "0.5", "min": "0", "max": str(indicator.weight), "aria-label": indicator.title}
                ),
            )
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                label=pgettext_lazy("inspections", "Note"), max_length=300, required=False
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"indicator": i, "points": self[f"indicator_{i.pk}"], "note": self[f"note_{i.pk}"]} for i in self.indicators
        ]

    def points(self) -> dict[int, Decimal | None]:
        return {i.pk: self.cleaned_data.get(f"indicator_{i.pk}") for i in self.indicators}

    def notes(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data.get(f"note_{i.pk}", "") for i in self.indicators}


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("inspections", "Kind"), choices=ActivityKind.choices)
    occurred_on = forms.DateField(label=pgettext_lazy("inspections", "Date"), widget=DATE_WIDGET)
    participants = forms.CharField(label=pgettext_lazy("inspections", "Participants"), max_length=200, required=False)
    notes = forms.CharField(label=pgettext_lazy("inspections", "Notes"), widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=pgettext_lazy("inspections", "Evidence files"), required=False)


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("inspections", "Kind"), choices=FindingKind.choices)
    section = forms.ModelChoiceField(
        label=pgettext_lazy("inspections", "Area"), queryset=RubricSection.objects.none(), required=False
    )
    text = forms.CharField(label=pgettext_lazy("inspections", "Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    recommendation = forms.CharField(
        label=pgettext_lazy("inspections", "Recommendation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, sections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections  # type: ignore[attr-defined]


class RectificationForm(forms.Form):
    description = forms.CharField(
        label=pgettext_lazy("inspections", "What must be put right"), widget=forms.Textarea(attrs={"rows": 2})
    )
    finding = forms.ModelChoiceField(
        label=pgettext_lazy("inspections", "Finding"), queryset=Finding.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("inspections", "Owner"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(label=pgettext_lazy("inspections", "Due on"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, findings: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = findings  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class CloseRectificationForm(forms.Form):
    closing_note = forms.CharField(
        label=pgettext_lazy("inspections", "How it was put right"), widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label=pgettext_lazy("inspections", "Evidence files"), required=False)


class ReopenRectificationForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("inspections", "Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=pgettext_lazy("inspections", "New due date"), widget=DATE_WIDGET)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("inspections", "Reason"), widget=forms.Textarea(attrs={"rows": 2}))
