"""Every app's Simplified-Chinese catalogue is complete and agrees with the others.

Django merges the apps' catalogues and the first one holding a msgid wins, so one English msgid (with the
same msgctxt) translated two ways shows the wrong word in one of the apps: give the meanings different
contexts, or pick one wording.
"""

import io
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

CATALOGUE_GLOB = "*/locale/zh_Hans/LC_MESSAGES/django.po"


def _catalogue_paths() -> list[Path]:
    return sorted((Path(settings.BASE_DIR) / "zhengtu").glob(CATALOGUE_GLOB))


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _singular(text: str | tuple[str, ...] | list[str]) -> str:
    return text if isinstance(text, str) else text[0]


def _translations(message: Message) -> tuple[str, ...]:
    strings = message.string
    return (strings,) if isinstance(strings, str) else tuple(strings)


def _label(message: Message) -> str:
    context = f"[{message.context}] " if message.context else ""
    return f"{context}{_singular(message.id)!r}"


def _app(path: Path) -> str:
    return path.parents[3].name


def find_collisions(paths: list[Path]) -> list[str]:
    """One line per (msgctxt, msgid) translated differently in two catalogues."""
    by_key: dict[tuple[str | None, str], dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    labels: dict[tuple[str | None, str], str] = {}
    for path in paths:
        for message in _read(path):
            if not message.id:
                continue
            key = (message.context, _singular(message.id))
            by_key[key][_translations(message)].append(_app(path))
            labels[key] = _label(message)
    lines = []
    for key, variants in sorted(by_key.items(), key=lambda item: (item[0][1], item[0][0] or "")):
        if len(variants) > 1:
            readings = "; ".join(f"{'/'.join(apps)}: {' | '.join(strings)}" for strings, apps in variants.items())
            lines.append(f"{labels[key]} → {readings}")
    return lines


def find_incomplete(paths: list[Path]) -> list[str]:
    """One line per message left fuzzy or with an empty msgstr."""
    lines = []
    for path in paths:
        for message in _read(path):
            if not message.id:
                continue
            if message.fuzzy:
                lines.append(f"{_app(path)}: {_label(message)} is fuzzy")
            elif not all(_translations(message)):
                lines.append(f"{_app(path)}: {_label(message)} has an empty msgstr")
    return lines


def test_every_app_ships_a_chinese_catalogue() -> None:
    apps = {_app(path) for path in _catalogue_paths()}

    assert {"accounts", "supervisees", "supervision", "assessment", "orgs", "workspace"} <= apps


def test_no_msgid_is_translated_two_ways() -> None:
    collisions = find_collisions(_catalogue_paths())

    assert not collisions, "Same msgid, different Chinese (add a context or pick one wording):\n" + "\n".join(
        collisions
    )


def test_no_catalogue_has_empty_or_fuzzy_translations() -> None:
    incomplete = find_incomplete(_catalogue_paths())

    assert not incomplete, "Untranslated messages:\n" + "\n".join(incomplete)


def test_django_shows_each_meaning_of_name_with_its_own_word() -> None:
    call_command("compile_catalogues", stdout=io.StringIO())

    # Changing LOCALE_PATHS makes Django drop its cached, merged catalogue and read the fresh .mo files.
    with override_settings(LOCALE_PATHS=[]), translation.override("zh-hans"):
        assert translation.pgettext("person", "Name") == "姓名"
        assert translation.gettext("Name") == "名称"
        assert translation.pgettext("person", "name") == "姓名"
        assert translation.gettext("Supervisee") == "社区矫正对象"
        assert translation.pgettext("status change", "From") == "原状态"
        assert translation.gettext("From") == "起始日期"


def _write_po(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True)
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body, encoding="utf-8")
    return path


@pytest.fixture
def two_catalogues(tmp_path: Path) -> list[Path]:
    orgs = _write_po(
        tmp_path / "orgs/locale/zh_Hans/LC_MESSAGES/django.po",
        'msgid "Name"\nmsgstr "名称"\n\nmsgctxt "person"\nmsgid "Name"\nmsgstr "姓名"\n\n'
        '#, fuzzy\nmsgid "Kind"\nmsgstr "类型"\n',
    )
    people = _write_po(
        tmp_path / "supervisees/locale/zh_Hans/LC_MESSAGES/django.po",
        'msgid "Name"\nmsgstr "姓名"\n\nmsgctxt "person"\nmsgid "Name"\nmsgstr "姓名"\n\nmsgid "Phone"\nmsgstr ""\n',
    )
    return [orgs, people]


def test_a_collision_names_the_msgid_and_both_apps(two_catalogues: list[Path]) -> None:
    collisions = find_collisions(two_catalogues)

    assert collisions == ["'Name' → orgs: 名称; supervisees: 姓名"]


def test_empty_and_fuzzy_messages_are_named(two_catalogues: list[Path]) -> None:
    incomplete = find_incomplete(two_catalogues)

    assert incomplete == ["orgs: 'Kind' is fuzzy", "supervisees: 'Phone' has an empty msgstr"]
