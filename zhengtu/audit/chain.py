"""Checking the audit chain: every entry's hash, every link, no gap, nothing cut off at either end."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import AuditEntry, AuditPurge, ChainHead
from .services import GENESIS_HASH


class ProblemKind:
    TAMPERED = "tampered"
    BROKEN_LINK = "broken_link"
    MISSING = "missing"
    MISSING_START = "missing_start"
    MISSING_END = "missing_end"


@dataclass(frozen=True)
class ChainProblem:
    kind: str
    sequence: int
    params: dict[str, int] = field(default_factory=dict)

    def message(self) -> str:
        """In the active language (the verify command prints it in Chinese and English)."""
        values: dict[str, Any] = {"sequence": self.sequence, **self.params}
        if self.kind == ProblemKind.TAMPERED:
            return _("Entry #%(sequence)d has been altered: its content no longer matches its hash.") % values
        if self.kind == ProblemKind.BROKEN_LINK:
            return (
                _("Entry #%(sequence)d does not link to the entry before it: an earlier entry was altered or replaced.")
                % values
            )
        if self.kind == ProblemKind.MISSING:
            return (
                ngettext(
                    "Entry #%(first)d is missing.",
                    "Entries #%(first)d to #%(last)d are missing (%(count)d entries).",
                    values["count"],
                )
                % values
            )
        if self.kind == ProblemKind.MISSING_START:
            return (
                _(
                    "The entries before #%(sequence)d are missing and no retention purge accounts for them "
                    "(or the first remaining entry was altered)."
                )
                % values
            )
        return _("Entries after #%(sequence)d are missing: the log should reach #%(expected)d.") % values


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_sequence: int | None
    last_sequence: int | None
    problem: ChainProblem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the log in sequence order, recomputing hashes; stop at the first problem."""
    checked = 0
    first: int | None = None
    previous: AuditEntry | None = None
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        problem = _check_link(entry, previous)
        if problem is None and entry.compute_hash() != entry.entry_hash:
            problem = ChainProblem(ProblemKind.TAMPERED, entry.sequence)
        if problem is not None:
            return ChainReport(checked, first, previous.sequence if previous else None, problem)
        if first is None:
            first = entry.sequence
        checked += 1
        previous = entry
    problem = _check_end(previous)
    return ChainReport(checked, first, previous.sequence if previous else None, problem)


def _check_link(entry: AuditEntry, previous: AuditEntry | None) -> ChainProblem | None:
    if previous is None:
        return _check_start(entry)
    if entry.sequence != previous.sequence + 1:
        first_missing, last_missing = previous.sequence + 1, entry.sequence - 1
        return ChainProblem(
            ProblemKind.MISSING,
            first_missing,
            {"first": first_missing, "last": last_missing, "count": last_missing - first_missing + 1},
        )
    if entry.previous_hash != previous.entry_hash:
        return ChainProblem(ProblemKind.BROKEN_LINK, entry.sequence)
    return None


def _check_start(entry: AuditEntry) -> ChainProblem | None:
    if entry.sequence == 1:
        if entry.previous_hash != GENESIS_HASH:
            return ChainProblem(ProblemKind.BROKEN_LINK, entry.sequence)
        return None
    purge = AuditPurge.objects.filter(through_sequence=entry.sequence - 1).first()
    if purge is None or purge.last_hash != entry.previous_hash:
        return ChainProblem(ProblemKind.MISSING_START, entry.sequence)
    return None


def _check_end(last: AuditEntry | None) -> ChainProblem | None:
    head = ChainHead.objects.filter(pk=1).first()
    expected = head.last_sequence if head else 0
    reached = last.sequence if last else 0
    if last is None and expected == 0:
        return None
    if reached < expected:
        return ChainProblem(ProblemKind.MISSING_END, reached, {"expected": expected})
    if last is not None and head is not None and head.last_hash != last.entry_hash:
        # The newest entry was rewritten together with its own hash: only the head remembers.
        return ChainProblem(ProblemKind.TAMPERED, last.sequence)
    return None
