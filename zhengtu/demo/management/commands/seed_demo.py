from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhengtu.accounts.roles import is_supervisee
from zhengtu.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_totp_base32
from zhengtu.demo.seed import SCALES, RealRecordsPresent, seed


class Command(BaseCommand):
    help = (
        "Load realistic fake demo data into an empty or demo database (idempotent). DEMO DATA ONLY: "
        "refuses a database holding real records."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="county")
        parser.add_argument("--quiet", action="store_true", help="do not print the demo accounts")
        parser.add_argument(
            "--mark-as-demo",
            action="store_true",
            help="state that this unmarked database (a demo made by an earlier version) holds only demo data",
        )

    def handle(self, *args: Any, scale: str, quiet: bool, mark_as_demo: bool, **options: Any) -> None:
        try:
            result = seed(scale, mark_as_demo=mark_as_demo)
        except RealRecordsPresent as refusal:
            raise CommandError(str(refusal)) from refusal
        if result["supervisees_created"]:
            self.stdout.write(f"Demo data ({scale}): {result['supervisees_created']} supervisees created.")
        else:
            self.stdout.write("Demo data already present: kept as it is (missing demo accounts were added).")
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}; TOTP secret in base32):")
        self.stdout.write("  sysadmin                 system administrator     " + demo_totp_base32("sysadmin"))
        for account in DEMO_ACCOUNTS:
            secret = "(no second factor)" if is_supervisee(account) else demo_totp_base32(account.username)
            self.stdout.write(f"  {account.username:<24} {account.role:<24} {secret}   {account.organisation}")
        self.stdout.write("Current code for a demo account: python manage.py demo_totp USERNAME")
