from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from .models import Action, Outcome


def object_type_choices() -> list[tuple[str, str]]:
    """Every model of our own apps, by its label ("supervisees.supervisee") and readable name."""
    models = [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in apps.get_models()
        if model.__module__.startswith("zhengtu.")
    ]
    return [("", str(_("Any"))), *sorted(models, key=lambda choice: choice[1])]


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any")), *Action.choices])
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=50)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", _("Any")), *Outcome.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = object_type_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def valid_filters(self) -> dict[str, Any]:
        """The filters that passed validation: a bad date does not throw away the rest."""
        self.is_valid()
        names = ("user", "action", "object_type", "object_id", "outcome", "date_from", "date_to")
        values = {name: self.cleaned_data.get(name) for name in names if name not in self.errors}
        return {
            "username": (values.get("user") or "").strip(),
            "action": values.get("action") or "",
            "object_type": values.get("object_type") or "",
            "object_id": (values.get("object_id") or "").strip(),
            "outcome": values.get("outcome") or "",
            "date_from": values.get("date_from"),
            "date_to": values.get("date_to"),
        }
