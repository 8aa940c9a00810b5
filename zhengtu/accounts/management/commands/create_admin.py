"""Create the first system administrator of a real installation, without printing anything secret.

    manage.py create_admin                          # asks for the username, name and password
    manage.py create_admin --username admin --password-file /run/secrets/zhengtu-admin
    ZHENGTU_ADMIN_PASSWORD_FILE=/run/secrets/zhengtu-admin manage.py create_admin --username admin
    manage.py create_admin --check                  # only say whether an administrator exists (make run)

The password is read from a file (or typed, never echoed), never from the command line, where other
users of the machine could read it in the process list. The administrator enrols a second factor
at the first login.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhengtu.accounts.models import User
from zhengtu.accounts.services import create_administrator
from zhengtu.audit.services import Actor

PASSWORD_FILE_ENV = "ZHENGTU_ADMIN_PASSWORD_FILE"  # noqa: S105 - the name of a variable holding a path
HINT = """
No system administrator exists yet. Create the first one (it enrols a second factor at its first login):

    .venv/bin/python manage.py create_admin
or, without a terminal, with the password in a file only you can read:
    .venv/bin/python manage.py create_admin --username admin --password-file /path/to/secret

To try Zhengtu with demo data instead, use an empty database: `make demo` (see README).
"""


class Command(BaseCommand):
    help = "Create the first system administrator (interactively, or from a password file)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", help="the administrator's login name")
        parser.add_argument("--full-name", default="系统管理员")
        parser.add_argument(
            "--password-file", help=f"a file whose first line is the password (or set {PASSWORD_FILE_ENV})"
        )
        parser.add_argument("--check", action="store_true", help="only tell whether an administrator exists")

    def handle(self, *args: Any, **options: Any) -> None:
        exists = User.objects.filter(is_superuser=True, is_active=True).exists()
        if options["check"]:
            if not exists:
                self.stdout.write(HINT)
            return
        password_file = options["password_file"] or os.environ.get(PASSWORD_FILE_ENV)
        username = options["username"] or self._ask("Username", default="admin")
        password = self._read_password(password_file) if password_file else self._ask_password()
        try:
            user = create_administrator(
                actor=Actor(username="create_admin"),
                username=username,
                password=password,
                full_name=options["full_name"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"System administrator “{user.username}” created; enrol the second factor at the first login."
        )

    def _ask(self, label: str, *, default: str) -> str:
        if not sys.stdin.isatty():
            raise CommandError(f"{label} not given: use --username (and --password-file) when there is no terminal.")
        return input(f"{label} [{default}]: ").strip() or default

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(f"No terminal to type a password: use --password-file or {PASSWORD_FILE_ENV}.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was created.")
        return first

    def _read_password(self, path: str) -> str:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise CommandError(f"Cannot read the password file {path}: {error.strerror}") from error
        if not lines or not lines[0]:
            raise CommandError(f"The password file {path} is empty.")
        return lines[0]
