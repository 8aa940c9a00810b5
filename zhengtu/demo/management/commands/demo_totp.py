from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhengtu.demo.accounts import DEMO_ACCOUNTS, current_code, demo_totp_hex_key


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (demo data only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if username != "sysadmin" and username not in {a.username for a in DEMO_ACCOUNTS}:
            raise CommandError(f"{username} is not a demo account.")
        self.stdout.write(current_code(demo_totp_hex_key(username)))
