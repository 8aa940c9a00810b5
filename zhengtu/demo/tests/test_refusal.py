"""Issue 16, critical 2: demo data (published password, derivable TOTP secrets) never enters a real installation."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from zhengtu.accounts.models import User
from zhengtu.demo.models import DemoDatabase
from zhengtu.demo.seed import seed
from zhengtu.supervisees.models import Supervisee
from zhengtu.testing.factories import UserFactory


@pytest.mark.django_db
def test_seed_demo_refuses_a_database_holding_a_real_administrator(tmp_path: Path) -> None:
    secret = tmp_path / "admin-password"
    secret.write_text("Correct-Horse-Battery-77\n")
    call_command("create_admin", username="admin", password_file=str(secret), stdout=io.StringIO())
    with pytest.raises(CommandError, match="real records"):
        call_command("seed_demo", "--quiet", stdout=io.StringIO())
    assert not User.objects.filter(username="sysadmin").exists()
    assert not Supervisee.objects.exists()
    assert not DemoDatabase.objects.exists()


@pytest.mark.django_db
def test_seed_demo_refuses_real_supervisees_even_without_users(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="real records"):
        call_command("seed_demo", "--quiet", stdout=io.StringIO())
    assert not User.objects.filter(username__in=["sysadmin", "officer_lufeng"]).exists()


@pytest.mark.django_db
def test_a_demo_database_is_marked_and_a_removed_demo_account_comes_back_only_there() -> None:
    seed("county")
    assert DemoDatabase.objects.count() == 1
    User.objects.filter(username="officer_lufeng").delete()
    UserFactory(username="someone_added_in_the_demo")
    seed("county")  # a demo database stays a demo: it may be topped up
    assert User.objects.filter(username="officer_lufeng").exists()


@pytest.mark.django_db
def test_an_unmarked_old_demo_is_seeded_only_on_the_operators_word() -> None:
    UserFactory(username="sysadmin", is_superuser=True)
    with pytest.raises(CommandError):
        call_command("seed_demo", "--quiet", stdout=io.StringIO())
    call_command("seed_demo", "--quiet", "--mark-as-demo", stdout=io.StringIO())
    assert DemoDatabase.objects.exists() and Supervisee.objects.count() == 330


def _recipe(target: str) -> str:
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)*)", makefile, re.MULTILINE)
    assert match, target
    return match.group(1)


def test_make_run_serves_without_seeding_and_make_demo_seeds() -> None:
    assert "seed_demo" not in _recipe("run")
    assert "create_admin --check" in _recipe("run")
    assert "seed_demo" in _recipe("demo")
