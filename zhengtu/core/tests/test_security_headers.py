"""Issue 16, medium 12 and low 19: CSP, caching of personal data, HTTPS settings, `check --deploy`, DEBUG."""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from zhengtu.testing.factories import make_supervisee


def _script_src(response) -> str:  # type: ignore[no-untyped-def]
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("script-src"))


def test_every_page_has_a_csp_that_refuses_inline_scripts_without_this_responses_nonce(client, login, world) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("accounts:login"))
    first = _script_src(page)
    assert "'unsafe-inline'" not in first and "'nonce-" in first
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert "object-src 'none'" in page["Content-Security-Policy"]
    assert _script_src(client.get(reverse("accounts:login"))) != first  # a fresh nonce every response
    login(client, world.social_worker_a)
    form = client.get(reverse("services:record_new"))  # a page with an inline script
    assert form.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", _script_src(form)).group(1)  # type: ignore[union-attr]
    assert f'<script nonce="{nonce}">' in form.content.decode()


TEMPLATE_ROOT = Path(settings.BASE_DIR) / "zhengtu"
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)


def test_no_template_has_an_inline_handler_or_a_script_without_the_nonce() -> None:
    """Browsers would silently refuse them under the CSP: the page would look fine and do nothing."""
    offenders = []
    for path in sorted(TEMPLATE_ROOT.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if INLINE_HANDLER.search(text) or INLINE_SCRIPT.search(text):
            offenders.append(str(path.relative_to(TEMPLATE_ROOT)))
    assert offenders == [], "use data-autosubmit/data-confirm/data-print or <script nonce=…>: " + ", ".join(offenders)


def test_responses_with_clear_identity_numbers_are_never_stored(client, login, world) -> None:  # type: ignore[no-untyped-def]
    person = make_supervisee(world.office_a, name="张三")
    login(client, world.officer_a)
    reveal = client.post(reverse("supervisees:reveal", args=[person.pk, "identity_number"]), HTTP_HX_REQUEST="true")
    assert person.identity_number in reveal.content.decode()
    assert "no-store" in reveal["Cache-Control"]
    api = client.post(f"/api/v1/supervisees/{person.pk}/reveal/", {}, content_type="application/json")
    assert api.json()["value"] == person.identity_number
    assert "no-store" in api["Cache-Control"]
    detail = client.get(reverse("supervisees:detail", args=[person.pk]))
    assert "no-store" in detail["Cache-Control"]


def _scaled_environment(**extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ZHENGTU_", "DJANGO_")) or key == "ZHENGTU_VAR_DIR"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="zhengtu.settings.scaled",
        ZHENGTU_SECRET_KEY=secrets.token_urlsafe(50),
        ZHENGTU_FIELD_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ZHENGTU_ALLOWED_HOSTS="zhengtu.example.gov.cn",
        **extra,
    )
    return environment


def _manage(*arguments: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=_scaled_environment(**extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_on_the_scaled_settings() -> None:
    done = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_debug_cannot_be_switched_on_in_the_scaled_settings() -> None:
    done = _manage("check", ZHENGTU_DEBUG="1")
    assert done.returncode != 0
    assert "never run with DEBUG" in done.stderr
