"""Forms of the projects pages. They validate input shapes; rules live in services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.accounts.models import User
from zhengtu.core.pages import add_service_errors  # noqa: F401  the old name, for code on other branches
from zhengtu.orgs.models import Organisation, OrganisationKind

from . import indicators as registry
from .models import (
    BudgetCategory,
    BudgetLine,
    CredentialKind,
    ReportKind,
    ServiceProject,
    StaffRole,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (type, size)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:  # type: ignore[override]
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProjectForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ServiceProject
        fields = [
            "name",
            "contract_number",
            "buying_bureau",
            "agency",
            "period_start",
            "period_end",
            "contract_amount",
            "budget_amount",
            "awarded_on",
            "status",
            "description",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "awarded_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.all()
        if not user.is_superuser:
            organisations = organisations.filter(path__startswith=user.organisation.path if user.organisation else "-")
        bureau_field = self.fields["buying_bureau"]
        agency_field = self.fields["agency"]
        assert isinstance(bureau_field, forms.ModelChoiceField) and isinstance(agency_field, forms.ModelChoiceField)
        bureau_field.queryset = organisations.filter(
            kind__in=[OrganisationKind.COUNTY_BUREAU, OrganisationKind.CITY_BUREAU]
        )
        agency_field.queryset = Organisation.objects.filter(kind=OrganisationKind.AGENCY, is_active=True)
        if self.instance.pk:
            # Buyer and contractor are fixed once the contract exists.
            del self.fields["buying_bureau"]
            del self.fields["agency"]


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return f"{obj.display_name} · {obj.organisation or ''}"


class StaffForm(forms.Form):
    user = PersonChoiceField(label=pgettext_lazy("project staff", "Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, project: ServiceProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        # The agency's own people, and people of other agencies of the same city (a head office
        # sending a supervisor), who may then see this project as its staff.
        region = project.buying_bureau.parent or project.buying_bureau
        field.queryset = (
            User.objects.filter(is_active=True)
            .filter(
                organisation__in=Organisation.objects.filter(path__startswith=project.agency.path)
                | Organisation.objects.filter(path__startswith=region.path, kind=OrganisationKind.AGENCY)
            )
            .order_by("full_name", "username")
        )


class CredentialForm(forms.Form):
    user = forms.ModelChoiceField(label=pgettext_lazy("project staff", "Person"), queryset=User.objects.none())
    # A filed supervisor's credential comes from the association's filing (projects.credentials).
    kind = forms.ChoiceField(
        label=_("Credential"), choices=[c for c in CredentialKind.choices if c[0] != CredentialKind.SUPERVISOR]
    )
    number = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, project: ServiceProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(project_roles__project=project).distinct().order_by("full_name")


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=())
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput())
    target_value = forms.IntegerField(label=pgettext_lazy("KPI", "Target"), min_value=0)
    note = forms.CharField(label=pgettext_lazy("project", "Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicator_field = self.fields["indicator"]
        assert isinstance(indicator_field, forms.ChoiceField)
        indicator_field.choices = registry.indicator_choices()


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=BudgetCategory.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    amount = forms.DecimalField(label=_("Budget (yuan)"), max_digits=14, decimal_places=2, min_value=0)
    position = forms.IntegerField(label=_("Order"), min_value=0, initial=0, required=False)


class FundReceiptForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=0)
    reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)


class SpendingForm(forms.Form):
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    spent_on = forms.DateField(label=_("Date"), widget=DateInput())
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2)
    description = forms.CharField(label=_("What for"), max_length=200)
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=60, required=False)
    vouchers = MultipleFileField(label=_("Vouchers (scans or photos)"))

    def __init__(self, *args: Any, project: ServiceProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = project.budget_lines.all()


class AdjustmentForm(forms.Form):
    budget_line = forms.ModelChoiceField(label=_("Line to increase"), queryset=BudgetLine.objects.none())
    source_line = forms.ModelChoiceField(
        label=_("Take the money from"),
        queryset=BudgetLine.objects.none(),
        required=False,
        empty_label=_("— no other line (the contract total grows) —"),
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, project: ServiceProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("budget_line", "source_line"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = project.budget_lines.all()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=pgettext_lazy("project", "Note"), max_length=200, required=False)


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("report", "Kind"), choices=ReportKind.choices)
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput())


class NarrativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args: Any, sections: list[tuple[str, Any, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, heading, hint in sections:
            self.fields[key] = forms.CharField(
                label=heading,
                help_text=hint,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
