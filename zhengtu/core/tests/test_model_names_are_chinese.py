"""Every name a user can meet in Chinese is Chinese: model names, choice labels and form field labels.

Model names show in the audit log's type filter (/audit/), in "… already exists" messages and in the admin;
choice labels in filters and lists; form labels on every page. An English source string without a zh_Hans
msgstr (or a model without a verbose_name, which Django derives from the class name) shows as English.
The checks run with zh-hans active over every model of our own apps and every form our URLconf reaches, so a
new model or form is covered the day it is added.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.forms.utils import pretty_name
from django.urls import get_resolver
from django.utils import translation

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Latin letters a Chinese name may keep: acronyms officials write in Latin letters too.
ACRONYMS = {"API"}
# Choice labels that are proper names of standards, protocols or file formats: Chinese users read them as they are.
PROPER_NAMES = {
    "JT/T 808": "the national vehicle-terminal protocol standard, written by its number",
    "GT06": "a tracker protocol known by its model name",
    "OsmAnd HTTP（Traccar Client）": "an open protocol and app known by their names",
    "PDF": "a file format",
    "Word（docxtpl）": "a file format and its template engine",
    "—": "the empty choice of a filter",
}


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    with translation.override("zh-hans"):
        yield


def _our_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model.__module__.startswith("zhengtu.")]


def _is_chinese(text: str) -> bool:
    return bool(CJK.search(text)) and not (set(LATIN_WORD.findall(text)) - ACRONYMS)


def _label_is_chinese(text: str) -> bool:
    """Labels may name technical things in Latin letters beside the Chinese (SIM 卡号, 导入 GeoJSON)."""
    return text in PROPER_NAMES or bool(CJK.search(text))


def test_every_model_has_a_chinese_name_and_plural() -> None:
    english = [
        f"{model._meta.label}.{attribute} = {str(getattr(model._meta, attribute))!r}"
        for model in _our_models()
        for attribute in ("verbose_name", "verbose_name_plural")
        if not _is_chinese(str(getattr(model._meta, attribute)))
    ]

    assert not english, (
        "Models without a Chinese name (set verbose_name and verbose_name_plural through gettext_lazy and add the"
        " zh_Hans msgstr to the app's catalogue):\n" + "\n".join(english)
    )


def test_the_audit_type_filter_tells_every_model_apart() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for model in _our_models():
        by_name[str(model._meta.verbose_name)].append(model._meta.label)

    shared = {name: labels for name, labels in by_name.items() if len(labels) > 1}

    assert not shared, f"Several models share one Chinese name in the audit filter: {shared}"


def test_every_choice_of_a_model_field_reads_in_chinese() -> None:
    english = [
        f"{model._meta.label}.{field.name}: {value!r} → {str(label)!r}"
        for model in _our_models()
        for field in model._meta.get_fields()
        if getattr(field, "choices", None)
        for value, label in field.flatchoices  # type: ignore[union-attr]
        if not _label_is_chinese(str(label))
    ]

    assert not english, "Choices shown in English:\n" + "\n".join(english)


def _all_subclasses(cls: type) -> Iterator[type]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _all_subclasses(subclass)


def _our_forms() -> list[type[forms.BaseForm]]:
    assert get_resolver().url_patterns  # importing every view imports every form a page can render
    return sorted(
        {
            form
            for form in _all_subclasses(forms.BaseForm)
            if form.__module__.startswith("zhengtu.") and ".tests" not in form.__module__
        },
        key=lambda form: f"{form.__module__}.{form.__qualname__}",
    )


def test_every_form_field_label_and_choice_reads_in_chinese() -> None:
    found = _our_forms()
    english = []
    for form in found:
        for name, field in form.base_fields.items():
            if field.widget.is_hidden:
                continue
            where = f"{form.__module__}.{form.__qualname__}.{name}"
            label = str(field.label) if field.label is not None else pretty_name(name)
            if not _label_is_chinese(label):
                english.append(f"{where}: label {label!r}")
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                for value, text in field.choices:  # type: ignore[misc]
                    if isinstance(text, list | tuple):  # a group: its options are checked through the model field
                        continue
                    if not _label_is_chinese(str(text)):
                        english.append(f"{where}: choice {value!r} → {str(text)!r}")

    assert len(found) > 100, "the URLconf should reach well over a hundred forms"
    assert not english, "Form fields shown in English:\n" + "\n".join(english)


def test_the_check_refuses_english_and_mixed_names() -> None:
    assert not _is_chinese("volunteer hours")  # what Django derives from a class without a verbose_name
    assert not _is_chinese("文书 template")
    assert not _label_is_chinese("Decision")
    assert _is_chinese("API 令牌")
    assert _label_is_chinese("JT/T 808")


def test_every_app_has_a_chinese_name() -> None:
    # The audit log names the business of an entry that is no model ("juvenile.oversight") by its app's name.
    english = [
        f"{config.label}: {str(config.verbose_name)!r}"
        for config in apps.get_app_configs()
        if config.name.startswith("zhengtu.")
        and not (_is_chinese(str(config.verbose_name)) or str(config.verbose_name) in ACRONYMS)
    ]

    assert not english, "Apps without a Chinese name:\n" + "\n".join(english)
