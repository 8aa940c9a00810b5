"""Every string marked for translation in our code has a zh_Hans translation in some app's catalogue.

The catalogue test (workspace/tests/test_catalogues.py) checks the entries a catalogue holds; a string added to
the code without re-running makemessages has no entry at all and shows in English. This test runs makemessages
on a copy of each app (the real catalogues stay untouched) and names every msgid that no catalogue translates:
Django merges all the apps' catalogues, so a translation in any of them is enough.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

pytestmark = pytest.mark.slow

CATALOGUE = Path("locale/zh_Hans/LC_MESSAGES/django.po")


def _key(message: object) -> tuple[str | None, str]:
    msgid = message.id  # type: ignore[attr-defined]
    return message.context, msgid if isinstance(msgid, str) else msgid[0]  # type: ignore[attr-defined]


def test_every_marked_string_has_a_chinese_translation(tmp_path: Path) -> None:
    apps_dir = Path(settings.BASE_DIR) / "zhengtu"
    with_catalogues = sorted(path.parent for path in apps_dir.glob("*/locale"))
    translated = set()
    for app in with_catalogues:
        with (app / CATALOGUE).open("rb") as handle:
            translated |= {_key(m) for m in read_po(handle) if m.id and m.string}
    # makemessages needs no settings (the test settings would not import from the copy's folder); -P keeps the
    # copy's own modules (an app's selectors.py) from hiding the standard library's.
    environment = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    missing = []
    for app in with_catalogues:
        copy = tmp_path / app.name
        shutil.copytree(app, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo", "static"))
        subprocess.run(  # noqa: S603 - our own django-admin on a copy of our own code
            [
                sys.executable,
                "-P",
                "-m",
                "django",
                "makemessages",
                "-l",
                "zh_Hans",
                "--no-obsolete",
                "--ignore",
                "tests/*",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
            env=environment,
        )
        with (copy / CATALOGUE).open("rb") as handle:
            missing += [
                f"{app.name}: {_key(m)[1]!r} ({', '.join(f'{f}:{n}' for f, n in m.locations)})"
                for m in read_po(handle)
                if m.id and _key(m) not in translated
            ]

    assert len(with_catalogues) > 20
    assert not missing, "Strings without a Chinese translation (add them to the app's catalogue):\n" + "\n".join(
        missing
    )
