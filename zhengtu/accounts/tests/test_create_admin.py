"""`manage.py create_admin`: the first account of a real installation, nothing secret printed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengtu.accounts.models import User
from zhengtu.audit.models import Action, AuditEntry

PASSWORD = "Correct-Horse-Battery-77"  # noqa: S105 - a test password


@pytest.mark.django_db
def test_create_admin_from_a_password_file_prints_nothing_secret(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "admin-password"
    secret.write_text(PASSWORD + "\n")
    monkeypatch.setenv("ZHENGTU_ADMIN_PASSWORD_FILE", str(secret))
    out = io.StringIO()
    call_command("create_admin", username="chief", stdout=out)
    admin = User.objects.get(username="chief")
    assert admin.is_superuser and admin.check_password(PASSWORD)
    assert not TOTPDevice.objects.filter(user=admin).exists()  # enrolled at the first login, never printed
    assert PASSWORD not in out.getvalue()
    assert AuditEntry.objects.filter(action=Action.CREATE, object_id=str(admin.pk)).exists()


@pytest.mark.django_db
def test_create_admin_refuses_a_weak_password_and_a_taken_name(tmp_path: Path) -> None:
    weak = tmp_path / "weak"
    weak.write_text("123456\n")
    with pytest.raises(CommandError):
        call_command("create_admin", username="chief", password_file=str(weak), stdout=io.StringIO())
    assert not User.objects.exists()
    strong = tmp_path / "strong"
    strong.write_text(PASSWORD)
    call_command("create_admin", username="chief", password_file=str(strong), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("create_admin", username="chief", password_file=str(strong), stdout=io.StringIO())


@pytest.mark.django_db
def test_the_check_tells_an_empty_installation_how_to_create_its_administrator(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("create_admin", check=True, stdout=out)
    assert "manage.py create_admin" in out.getvalue()
    secret = tmp_path / "p"
    secret.write_text(PASSWORD)
    call_command("create_admin", username="chief", password_file=str(secret), stdout=io.StringIO())
    out = io.StringIO()
    call_command("create_admin", check=True, stdout=out)
    assert out.getvalue() == ""
