from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Division, Organisation, OrganisationKind


class DivisionCodeField(forms.CharField):
    """An administrative division typed as its code (6 or 12 digits), looked up in the loaded table."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("6-digit county code or 12-digit village code, e.g. 431224 for Xupu County."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Division) else value

    def clean(self, value: Any) -> Division | None:  # type: ignore[override]
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        if not code.isdigit() or len(code) not in (6, 12):
            raise forms.ValidationError(_("An administrative division code has 6 or 12 digits."))
        division = Division.objects.filter(code=code).first()
        if division is None:
            raise forms.ValidationError(_("No administrative division has the code %(code)s."), params={"code": code})
        return division


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return f"{'　' * depth}{obj.name}"


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    parent = OrganisationChoiceField(label=_("Parent organisation"), queryset=Organisation.objects.none())
    division = DivisionCodeField(label=_("Administrative division"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, parents: QuerySet[Organisation], parent_required: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, OrganisationChoiceField)
        field.queryset = parents.order_by("path")
        field.required = parent_required
        field.empty_label = _("(none: top of the tree)") if not parent_required else "---------"
