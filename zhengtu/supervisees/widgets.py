"""The administrative-division picker: cascading selects (province → prefecture → county → township).

Each select is named `<field>__<depth>`; the deepest consistent choice is the field's value.
With HTMX, choosing a level re-renders the picker with the next level's options; without
JavaScript a clerk can still pick level by level, submitting the form in between.
"""

from __future__ import annotations

import html
import re
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from zhengtu.orgs.divisions import children_of, is_division_code, level_of, lineage, significant_prefix
from zhengtu.orgs.models import Division

from .rules import LEVEL_LABELS

MAX_DEPTH = 4  # province, prefecture, county, township
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def _code_of(value: object) -> str:
    if isinstance(value, Division):
        return value.code
    return str(value or "").strip()


class DivisionPickerWidget(forms.Widget):
    template_name = "supervisees/widgets/division_picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        code = _code_of(value)
        chain = lineage(code) if is_division_code(code) else []
        levels: list[dict[str, Any]] = []
        parent: Division | None = None
        for depth in range(MAX_DEPTH):
            if depth > 0 and parent is None:
                break
            options = list(children_of(parent.code if parent else None).values_list("code", "name"))
            if not options:
                break
            selected = chain[depth].code if depth < len(chain) else ""
            level = level_of(options[0][0])
            levels.append(
                {
                    "name": f"{name}__{depth}",
                    "label": LEVEL_LABELS[level],
                    "options": options,
                    "selected": selected,
                }
            )
            parent = chain[depth] if selected else None
        chosen = chain[-1] if chain and chain[-1].code == code else None
        context["widget"].update(
            {
                "levels": levels,
                "chosen": chosen,
                "picker_url": f"{reverse('supervisees:division_picker')}?field={name}",
                "loaded": bool(levels),
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        chosen = ""
        for depth in range(MAX_DEPTH):
            value = str(data.get(f"{name}__{depth}", "") or "").strip()
            if not is_division_code(value):
                break
            # A stale deeper choice (after the province changed without JavaScript) is dropped.
            if chosen and not value.startswith(significant_prefix(chosen)):
                break
            chosen = value
        return chosen or str(data.get(name, "") or "").strip()

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}__0" not in data

    def id_for_label(self, id_: str) -> str:
        return f"{id_}__0" if id_ else id_


class DivisionField(forms.ModelChoiceField):
    """A division chosen with the picker; stored by its code."""

    widget = DivisionPickerWidget
    default_error_messages = {"invalid_choice": _("Choose an administrative division from the list.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Division.objects.all())
        kwargs.setdefault("to_field_name", "code")
        super().__init__(**kwargs)


class PlainSelect(forms.Select):
    """A select rendered in Python: a province's 1,500 offices in a few milliseconds.

    Django renders each option through a template (and normalises every choice first), which
    for long lists costs more than the rest of the page together. `plain_options` takes
    (value, label) pairs as they are.
    """

    plain_options: list[tuple[object, str]] | None = None

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value in (None, "") else str(value)
        pairs = self.plain_options if self.plain_options is not None else list(self.choices)
        options = "".join(
            f'<option value="{html.escape(str(option_value))}"{" selected" if str(option_value) == chosen else ""}>'
            f"{html.escape(str(label))}</option>"
            for option_value, label in pairs
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))  # noqa: S308 (escaped above)


def render_picker(field_name: str, data: Any) -> str:
    """The picker for `field_name` after a level changed (the HTMX endpoint)."""
    if not FIELD_NAME.match(field_name):
        field_name = "division"
    widget = DivisionPickerWidget()
    value = widget.value_from_datadict(data, None, field_name)
    return widget.render(field_name, value, attrs={"id": f"id_{field_name}"})
