"""Choosing a supervisee on a form: a label that tells namesakes apart, and a list a clerk can search.

~330 people in a county include several 王婷婷; the label adds the office, the year of birth and the last
four characters of the (masked) identity number, never the clear number. The select carries each option's
pinyin and initials so `static/zhengtu/searchable-select.js` filters it as the clerk types ("wtt", "王婷", "1234").
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from .models import Supervisee


def supervisee_label(person: Supervisee) -> str:
    parts = [person.responsible_office.name if person.responsible_office_id else ""]
    if person.birth_date:
        parts.append(_("born %(year)s") % {"year": person.birth_date.year})
    if person.identity_number_masked:
        parts.append(_("ID …%(tail)s") % {"tail": person.identity_number_masked[-4:]})
    return f"{person.name}（{' · '.join(part for part in parts if part)}）"


class SearchableSelect(forms.Select):
    """A select with a search box in front of it (the script enhances any select[data-searchable])."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"data-searchable": "1", **(attrs or {})})

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if isinstance(instance, Supervisee):
            option["attrs"]["data-search"] = f"{instance.name_pinyin} {instance.name_initials}".lower()
        return option


class SuperviseeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    widget = SearchableSelect

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Supervisee.objects.none())
        super().__init__(*args, **kwargs)

    def _set_queryset(self, queryset: Any) -> None:
        # The label names the office: fetch it with the people, not once per option.
        super()._set_queryset(  # type: ignore[misc]
            queryset.select_related("responsible_office") if queryset is not None else None
        )

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def label_from_instance(self, obj: Supervisee) -> str:  # type: ignore[override]
        return supervisee_label(obj)
