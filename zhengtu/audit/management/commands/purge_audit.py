"""`manage.py purge_audit`: delete audit entries older than the retention period (never below the legal minimum)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.audit.rules import retention_days
from zhengtu.audit.services import Actor, purge_expired_entries


class Command(BaseCommand):
    help = "Delete audit entries older than ZHENGTU_AUDIT_RETENTION_DAYS (refuses less than the legal minimum)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="Retention in days (default: ZHENGTU_AUDIT_RETENTION_DAYS)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else retention_days()
        try:
            result = purge_expired_entries(actor=Actor(username="purge_audit"), days=days, dry_run=options["dry_run"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        cutoff = timezone.localtime(result.cutoff).strftime("%Y-%m-%d %H:%M")
        if result.entry_count == 0:
            self.stdout.write(_("No audit entries older than %(cutoff)s.") % {"cutoff": cutoff})
        elif options["dry_run"]:
            self.stdout.write(
                _("%(count)d audit entries older than %(cutoff)s would be deleted (through #%(sequence)d).")
                % {"count": result.entry_count, "cutoff": cutoff, "sequence": result.through_sequence}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Deleted %(count)d audit entries older than %(cutoff)s (through #%(sequence)d).")
                    % {"count": result.entry_count, "cutoff": cutoff, "sequence": result.through_sequence}
                )
            )
