"""`manage.py verify_audit`: recompute the audit chain and report the first tampered or missing entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from zhengtu.audit.chain import ChainReport, verify_chain

# The report is printed in both languages: operators and auditors read one or the other.
REPORT_LANGUAGES = ("zh-hans", "en")


class Command(BaseCommand):
    help = "Verify the audit log hash chain; exits with status 1 at the first tampered or missing entry."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.intact:
            for language in REPORT_LANGUAGES:
                with translation.override(language):
                    self.stdout.write(self.style.SUCCESS(_intact_message(report)))
            return
        for language in REPORT_LANGUAGES:
            with translation.override(language):
                assert report.problem is not None
                self.stderr.write(
                    self.style.ERROR(_("Audit log NOT intact: %(problem)s") % {"problem": report.problem.message()})
                )
                self.stderr.write(_("%(count)d entries checked before the problem.") % {"count": report.checked})
        raise SystemExit(1)


def _intact_message(report: ChainReport) -> str:
    if report.checked == 0:
        return _("Audit log intact: it has no entries yet.")
    return _("Audit log intact: %(count)d entries verified (sequence %(first)d to %(last)d).") % {
        "count": report.checked,
        "first": report.first_sequence,
        "last": report.last_sequence,
    }
