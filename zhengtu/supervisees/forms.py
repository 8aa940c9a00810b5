"""Forms of the registry pages. They check the input's shape; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengtu.accounts.models import User
from zhengtu.orgs.divisions import divisions_loaded
from zhengtu.orgs.models import Organisation

from .models import AssignmentRole, SentenceType, Sex, Status, Supervisee, SupervisionLevel
from .rules import residence_division_required
from .selectors import (
    SuperviseeFilters,
    filter_offices_for,
    responsible_officer_choices,
    responsible_offices_for,
)
from .widgets import DivisionField, PlainSelect


def tree_label(name: str, path: str) -> str:
    """An organisation's name indented by its depth in the tree."""
    return "\u3000" * max(path.count("/") - 2, 0) + name


class OfficeChoiceField(forms.ModelChoiceField):
    """Organisations shown as an indented tree."""

    def label_from_instance(self, obj: Organisation) -> str:
        return tree_label(obj.name, obj.path)

    def use_plain_choices(self) -> None:
        """Options straight from values_list (no model instances): for the long filter list."""
        rows = self.queryset.values_list("pk", "name", "path")  # type: ignore[union-attr]
        assert isinstance(self.widget, PlainSelect)
        self.widget.plain_options = [("", str(self.empty_label)), *((pk, tree_label(n, p)) for pk, n, p in rows)]


def _all(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class SuperviseeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=60,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, pinyin initials (zs) or identity number"), "type": "search"}
        ),
    )
    office = OfficeChoiceField(
        label=_("Office"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All offices"),
        widget=PlainSelect,
    )
    supervision_level = forms.ChoiceField(
        label=_("Supervision level"), choices=_all(_("All levels")) + SupervisionLevel.choices, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=_all(_("All statuses")) + Status.choices, required=False)
    sentence_type = forms.ChoiceField(
        label=_("Sentence type"), choices=_all(_("All types")) + SentenceType.choices, required=False
    )
    term_ending_within = forms.IntegerField(
        label=_("Term ending within (days)"),
        required=False,
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"style": "width: 7em"}),
    )

    def __init__(self, data: Any, *, user: User) -> None:
        super().__init__(data)
        office_field = self.fields["office"]
        assert isinstance(office_field, OfficeChoiceField)
        office_field.queryset = filter_offices_for(user)
        office_field.use_plain_choices()

    def filters(self) -> SuperviseeFilters:
        """The valid part of the filter: a bad value is reported and ignored, the rest still applies."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return SuperviseeFilters(
            q=data.get("q") or "",
            office=data.get("office"),
            supervision_level=data.get("supervision_level") or "",
            status=data.get("status") or "",
            sentence_type=data.get("sentence_type") or "",
            term_ending_within_days=data.get("term_ending_within"),
        )


class ExportForm(SuperviseeFilterForm):
    full_identity = forms.BooleanField(label=_("Include full identity and phone numbers"), required=False)


# Fields of the registration form, in the sections the page shows.
SECTIONS: list[tuple[Any, list[str]]] = [
    (
        _("Identity"),
        ["name", "former_names", "identity_number", "birth_date", "sex", "ethnicity", "education", "phone", "photo"],
    ),
    (
        _("Residence"),
        ["residence_division", "residence_address", "household_division", "household_address"],
    ),
    (_("Work"), ["employment_status", "work_unit", "occupation"]),
    (
        _("Sentence"),
        [
            "sentence_type",
            "crime",
            "original_sentence",
            "prohibition_order",
            "deciding_organ",
            "judgment_number",
            "judgment_effective_date",
            "term_start",
            "term_months",
            "term_extra_days",
            "is_recidivist",
        ],
    ),
    (_("Supervision"), ["supervision_level", "responsible_office", "responsible_officer", "notes"]),
]

MODEL_FIELDS = [
    name
    for _section, names in SECTIONS
    for name in names
    if name not in ("identity_number", "phone", "birth_date", "sex", "residence_division", "household_division")
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SuperviseeForm(forms.Form):
    """Registration and edit. Identity and phone numbers are never pre-filled in clear."""

    identity_number = forms.CharField(
        label=_("Identity number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("18 characters; birth date and sex are read from it."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty: taken from the identity number. If filled in, it is checked against it."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=_all(_("From the identity number")) + Sex.choices,
        required=False,
    )
    residence_division = DivisionField(label=_("Residence division"), required=False)
    household_division = DivisionField(label=_("Household registration division"), required=False)

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        user: User,
        instance: Supervisee | None = None,
    ) -> None:
        self.instance = instance
        initial: dict[str, Any] = {}
        if instance is not None:
            initial = model_to_dict(instance, fields=[*MODEL_FIELDS, "residence_division", "household_division"])
            initial["photo"] = instance.photo
        super().__init__(data, files, initial=initial)
        self.fields.update(
            {
                name: field
                for name, field in fields_for_model(
                    Supervisee,
                    fields=MODEL_FIELDS,
                    widgets={
                        "judgment_effective_date": DATE_INPUT,
                        "term_start": DATE_INPUT,
                        "prohibition_order": forms.Textarea(attrs={"rows": 2}),
                        "notes": forms.Textarea(attrs={"rows": 2}),
                    },
                ).items()
                if field is not None
            }
        )
        self.fields["name"].label = pgettext_lazy("person", "Name")
        current_office = instance.responsible_office if instance else None
        offices = responsible_offices_for(user, current=current_office)
        office_field = OfficeChoiceField(label=_("Responsible office"), queryset=offices)
        office_field.widget.attrs.update(
            {
                "hx-get": reverse("supervisees:officer_options"),
                "hx-target": "#id_responsible_officer",
                "hx-trigger": "change",
            }
        )
        self.fields["responsible_office"] = office_field
        if len(offices) == 1:
            office_field.initial = offices[0].pk
        chosen_office = self._chosen_office(offices, current_office)
        self.fields["responsible_officer"] = forms.ModelChoiceField(
            label=_("Responsible officer"),
            queryset=responsible_officer_choices(user, chosen_office),
            required=False,
        )
        if instance is not None:
            self.fields["identity_number"].required = False
            self.fields["identity_number"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": instance.identity_number_masked
            }
            self.fields["phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": instance.phone_masked or "—"
            }
        if residence_division_required() and divisions_loaded():
            self.fields["residence_division"].required = True

    def _chosen_office(self, offices: Any, current: Organisation | None) -> Organisation | None:
        raw = self.data.get("responsible_office") if self.is_bound else None
        if raw and str(raw).isdigit():
            return offices.filter(pk=int(raw)).first()  # type: ignore[no-any-return]
        if current is not None:
            return current
        initial = self.fields["responsible_office"].initial
        return offices.filter(pk=initial).first() if initial else None  # type: ignore[no-any-return]

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def service_fields(self) -> dict[str, Any]:
        """Cleaned data as keyword arguments for create_supervisee / update_supervisee."""
        data = dict(self.cleaned_data)
        photo = data.pop("photo", None)
        if photo is False:
            data["photo"] = None  # "clear" ticked
        elif photo and hasattr(photo, "content_type"):
            data["photo"] = photo  # a new upload
        data["sex"] = data.get("sex") or None
        return data


class FamilyMemberForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    relation = forms.CharField(label=_("Relation"), max_length=20)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    work_unit = forms.CharField(label=_("Work unit"), max_length=100, required=False)
    address = forms.CharField(label=pgettext_lazy("person", "Address"), max_length=200, required=False)


FamilyFormSet = forms.formset_factory(FamilyMemberForm, extra=2, can_delete=True, max_num=30)


def family_formset(data: Any = None, *, instance: Supervisee | None = None) -> Any:
    # Phones are never pre-filled in clear: the field stays empty ("keep"), the masked number is its placeholder.
    initial = (
        list(
            instance.family_members.order_by("pk").values(
                "id", "name", "relation", "phone_masked", "work_unit", "address"
            )
        )
        if instance is not None
        else []
    )
    formset = FamilyFormSet(data, initial=initial, prefix="family")
    for form in formset.forms:
        if masked := form.initial.get("phone_masked"):
            form.fields["phone"].widget.attrs["placeholder"] = masked
    return formset


def family_members_from(formset: Any) -> list[dict[str, Any]]:
    members = []
    for form in formset.forms:
        if not form.has_changed() and not form.initial:
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        members.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
    return members


class AssignmentForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices)

    def __init__(self, data: Any = None, *, staff: Any) -> None:
        super().__init__(data)
        self.fields["user"].queryset = staff  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: f"{u} · {u.organisation} · {u.get_role_display()}"  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("Excel (.xlsx) or CSV saved by Excel (UTF-8 or GBK), with the template's headers.")
    )
    office = OfficeChoiceField(
        label=_("Default office"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Used for rows whose office column is empty."),
    )

    def __init__(self, data: Any = None, files: Any = None, *, user: User) -> None:
        super().__init__(data, files)
        self.fields["office"].queryset = responsible_offices_for(user)  # type: ignore[attr-defined]
