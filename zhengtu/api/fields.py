"""Serializer fields shared by the apps' APIs.

Several resources have a "kind", a "status" or a "level" with different values. Left to drf-spectacular, each
such field becomes an enum named after the field, and colliding names get resolved by guesswork. A choice field
made here is documented as one schema component with the name given, so a request and its response share one
enum and the name says what it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

_CLASSES: dict[str, tuple[list[str], type[serializers.ChoiceField]]] = {}


def choice_values(choices: Iterable[Any]) -> list[str]:
    return [str(choice[0]) if isinstance(choice, list | tuple) else str(choice) for choice in choices]


def named_choice_class(component: str, choices: Iterable[Any]) -> type[serializers.ChoiceField]:
    """The ChoiceField subclass documented as the enum component `component` (one class per name)."""
    values = choice_values(choices)
    if component in _CLASSES:
        known, field_class = _CLASSES[component]
        if known != values:
            raise ValueError(f"Enum component {component!r} is already defined with other values: {known} != {values}")
        return field_class
    field_class = type(component, (serializers.ChoiceField,), {"__module__": __name__})
    schema = {"type": "string", "enum": values}
    field_class = extend_schema_field(schema, component_name=component)(field_class)
    _CLASSES[component] = (values, field_class)
    return field_class


def named_choice_field(component: str, choices: Iterable[Any], **kwargs: Any) -> serializers.ChoiceField:
    """A field of that class; with allow_blank=True documented as the enum or "" (the enum itself has no blank)."""
    choices = list(choices)
    field_class = named_choice_class(component, choices)
    if kwargs.get("allow_blank"):
        field_class = _blank_or(component, field_class)
    return field_class(choices=choices, **kwargs)


def _blank_or(component: str, field_class: type[serializers.ChoiceField]) -> type[serializers.ChoiceField]:
    name = f"{component}OrBlank"
    if name not in _CLASSES:
        # The reference holds because the enum component is registered by the same generation run whenever
        # the named field is used anywhere; the schema test fails on a dangling reference.
        schema = {"oneOf": [{"$ref": f"#/components/schemas/{component}"}, {"type": "string", "enum": [""]}]}
        blank_class = type(name, (field_class,), {"__module__": __name__})
        _CLASSES[name] = (_CLASSES[component][0], extend_schema_field(schema)(blank_class))
    return _CLASSES[name][1]
