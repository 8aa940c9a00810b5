"""A person's credentials as a project shows them, each entered once.

Two records could hold the same credential: `StaffCredential` (entered by the project's manager)
and the association's supervisor filing (`association.SupervisorFiling`, reviewed and numbered by
the association, with the social-work qualification certificate it was filed on). The filing is
the one source of truth for a supervisor's credential and for the qualification it names: the
project may not record a "filed supervisor" credential itself, nor a qualification certificate a
filing already holds; the staff lists read the filing and show it beside the project's own entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from .models import CredentialKind, StaffCredential

ASSOCIATION_APP = "zhengtu.association"

# The association's qualification levels and the project's names for the same certificates.
QUALIFICATION_KINDS = {
    "assistant": CredentialKind.ASSISTANT_SOCIAL_WORKER,
    "intermediate": CredentialKind.SOCIAL_WORKER,
    "senior": CredentialKind.SENIOR_SOCIAL_WORKER,
}


@dataclass(frozen=True)
class CredentialLine:
    label: str
    number: str = ""
    expires_on: dt.date | None = None
    from_filing: bool = False  # read from the association's supervisor filing

    def __str__(self) -> str:
        return f"{self.label} {self.number}".strip()


def _filings(user_ids: Iterable[int]) -> list[Any]:
    if not apps.is_installed(ASSOCIATION_APP):
        return []
    from zhengtu.association.models import SupervisorFiling

    return list(SupervisorFiling.objects.filter(supervisor_id__in=list(user_ids)).order_by("-submitted_at", "-pk"))


def filed_certificates(user_id: int) -> set[str]:
    """Qualification certificate numbers the association's filings of this person hold."""
    return {filing.certificate_number.strip() for filing in _filings([user_id]) if filing.certificate_number.strip()}


def has_supervisor_filing(user_id: int) -> bool:
    return bool(_filings([user_id]))


def _filing_lines(filings: list[Any], on_date: dt.date) -> list[CredentialLine]:
    """The filing in force on `on_date` (else the latest one) and the qualification it was filed on."""
    from zhengtu.association.models import FilingStatus

    approved = [f for f in filings if f.status == FilingStatus.APPROVED and f.valid_until is not None]
    current = next((f for f in approved if f.valid_from and f.valid_from <= on_date <= f.valid_until), None)
    chosen = current or (max(approved, key=lambda f: f.valid_until) if approved else None)
    lines: list[CredentialLine] = []
    if chosen is not None:
        # A filing that has run out no longer makes the person a filed supervisor: say so instead of the title.
        label = str(CredentialKind.SUPERVISOR.label) if current else _("Supervisor filing expired")
        lines.append(CredentialLine(label, chosen.filing_number, chosen.valid_until, from_filing=True))
    else:
        pending = next((f for f in filings if f.status in (FilingStatus.SUBMITTED, FilingStatus.RETURNED)), None)
        if pending is None:
            return []
        chosen = pending
        lines.append(CredentialLine(_("Supervisor filing under review"), from_filing=True))
    kind = QUALIFICATION_KINDS.get(chosen.qualification_level)
    if kind is not None:
        lines.append(CredentialLine(str(CredentialKind(kind).label), chosen.certificate_number, from_filing=True))
    return lines


def credentials_of(user_ids: Iterable[int], on_date: dt.date) -> dict[int, list[CredentialLine]]:
    """Each person's credentials: the association's filing first, then the project's own entries that
    the filing does not already hold."""
    ids = list(user_ids)
    filings: dict[int, list[Any]] = {}
    for filing in _filings(ids):
        filings.setdefault(filing.supervisor_id, []).append(filing)
    result: dict[int, list[CredentialLine]] = {}
    for user_id, own in filings.items():
        result[user_id] = _filing_lines(own, on_date)
    for credential in StaffCredential.objects.filter(user__in=ids).order_by("user_id", "kind", "pk"):
        lines = result.setdefault(credential.user_id, [])
        if credential.user_id in filings:
            if credential.kind == CredentialKind.SUPERVISOR:
                continue  # the filing is the record
            if any(line.from_filing and line.number and line.number == credential.number for line in lines):
                continue
        label = str(credential.get_kind_display())
        if credential.kind == CredentialKind.SUPERVISOR:
            label = _("Supervisor (not filed with the association)")
        lines.append(CredentialLine(label, credential.number, credential.expires_on))
    return result
