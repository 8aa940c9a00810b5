"""`manage.py unlock_account USERNAME`: lift a login lock (per account and per address); audited."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from zhengtu.accounts.models import User
from zhengtu.accounts.services import unlock_account
from zhengtu.audit.services import Actor


class Command(BaseCommand):
    help = "Unlock an account locked after too many failed logins (from one or many addresses)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No account with the username “%(username)s”.") % {"username": options["username"]})
        unlock_account(actor=Actor(username="unlock_account"), user=user)
        self.stdout.write(self.style.SUCCESS(_("Account “%(username)s” unlocked.") % {"username": user.username}))
