"""`manage.py make_vapid_key`: create the site's Web Push (VAPID) key in the key directory once; never committed."""

from typing import Any

from django.core.management.base import BaseCommand

from zhengtu.selfservice.push import ensure_vapid_key, public_key


class Command(BaseCommand):
    help = "Create the Web Push (VAPID) key pair in the key directory if it is missing, and print its public key."

    def handle(self, *args: Any, **options: Any) -> None:
        path = ensure_vapid_key()
        self.stdout.write(f"VAPID key: {path}\npublic key: {public_key()}")
