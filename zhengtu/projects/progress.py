"""Figures of a project, all computed from the ledger and the books: KPI progress against target
and against elapsed time, budget lines with balance and burn rate, and a bureau's overview.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import indicators as registry
from .models import AdjustmentStatus, BudgetAdjustment, BudgetLine, KpiTarget, ServiceProject, SpendingEntry
from .rules import pace_tolerance

ZERO = Decimal("0")
ONE = Decimal("1")
CENT = Decimal("0.01")


def money(value: Decimal | None) -> Decimal:
    """A sum of amounts as yuan and fen (databases differ in the precision of SUM over decimals)."""
    return (value or ZERO).quantize(CENT)


class Pace:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"
    NOT_STARTED = "not_started"

    LABELS = {
        MET: _("Target met"),
        ON_TRACK: _("On track"),
        BEHIND: _("Behind schedule"),
        MISSED: _("Target missed"),
        NOT_STARTED: _("Not started"),
    }


def elapsed_share(first_day: dt.date, last_day: dt.date, as_of: dt.date) -> Decimal:
    """Share of the period [first_day, last_day] that has passed at the end of `as_of` (0 to 1)."""
    total = (last_day - first_day).days + 1
    if total <= 0 or as_of < first_day:
        return ZERO
    if as_of >= last_day:
        return ONE
    return Decimal((as_of - first_day).days + 1) / Decimal(total)


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)


@dataclass(frozen=True)
class TargetProgress:
    target: KpiTarget
    indicator: registry.Indicator
    actual: int
    as_of: dt.date
    elapsed: Decimal

    @property
    def completion(self) -> Decimal | None:
        """Actual over target, not capped: 158 of 156 is 1.0128."""
        return ratio(self.actual, self.target.target_value)

    @property
    def expected(self) -> Decimal:
        """How many the target calls for by now, pro rata of elapsed time."""
        return (Decimal(self.target.target_value) * self.elapsed).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def pace(self) -> str:
        if self.actual >= self.target.target_value:
            return Pace.MET
        if self.elapsed >= ONE:
            return Pace.MISSED
        if self.elapsed <= ZERO:
            return Pace.NOT_STARTED
        slack = Decimal(self.target.target_value) * pace_tolerance()
        return Pace.ON_TRACK if Decimal(self.actual) >= self.expected - slack else Pace.BEHIND

    @property
    def pace_label(self) -> str:
        return str(Pace.LABELS[self.pace])


def target_progress(target: KpiTarget, *, as_of: dt.date | None = None) -> TargetProgress:
    as_of = as_of or timezone.localdate()
    last_counted = min(target.period_end, as_of)
    actual = registry.measure(target.project, target.indicator, target.period_start, last_counted)
    return TargetProgress(
        target=target,
        indicator=registry.indicator(target.indicator),
        actual=actual,
        as_of=as_of,
        elapsed=elapsed_share(target.period_start, target.period_end, as_of),
    )


def targets_in(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> QuerySet[KpiTarget]:
    """Targets whose period overlaps [first_day, last_day], in indicator order."""
    return project.kpi_targets.filter(period_start__lte=last_day, period_end__gte=first_day).select_related("project")


def project_progress(project: ServiceProject, *, as_of: dt.date | None = None) -> list[TargetProgress]:
    as_of = as_of or timezone.localdate()
    items = [target_progress(t, as_of=as_of) for t in project.kpi_targets.select_related("project")]
    return sorted(items, key=lambda p: (p.target.period_start, p.indicator.order, p.target.indicator))


@dataclass(frozen=True)
class LineStatus:
    line: BudgetLine
    allowance: Decimal  # budgeted amount plus approved adjustments in, minus approved adjustments out
    spent: Decimal

    @property
    def balance(self) -> Decimal:
        return self.allowance - self.spent

    @property
    def burn(self) -> Decimal | None:
        return ratio(self.spent, self.allowance)

    @property
    def overspent(self) -> bool:
        return self.spent > self.allowance


def line_allowance(line: BudgetLine) -> Decimal:
    approved = BudgetAdjustment.objects.filter(status=AdjustmentStatus.APPROVED)
    added = money(approved.filter(budget_line=line).aggregate(total=Sum("amount"))["total"])
    removed = money(approved.filter(source_line=line).aggregate(total=Sum("amount"))["total"])
    return line.amount + added - removed


def line_spent(line: BudgetLine) -> Decimal:
    return money(line.spending.aggregate(total=Sum("amount"))["total"])


def budget_status(
    project: ServiceProject, *, first_day: dt.date | None = None, last_day: dt.date | None = None
) -> list[LineStatus]:
    """Every line with its allowance and what was spent (within the dates when given)."""
    lines = list(project.budget_lines.all())
    spending = SpendingEntry.objects.filter(budget_line__project=project)
    if first_day:
        spending = spending.filter(spent_on__gte=first_day)
    if last_day:
        spending = spending.filter(spent_on__lte=last_day)
    spent = dict(spending.values("budget_line").annotate(total=Sum("amount")).values_list("budget_line", "total"))
    approved = BudgetAdjustment.objects.filter(project=project, status=AdjustmentStatus.APPROVED)
    added = dict(approved.values("budget_line").annotate(total=Sum("amount")).values_list("budget_line", "total"))
    removed = dict(
        approved.exclude(source_line=None)
        .values("source_line")
        .annotate(total=Sum("amount"))
        .values_list("source_line", "total")
    )
    return [
        LineStatus(
            line=line,
            allowance=line.amount + money(added.get(line.pk)) - money(removed.get(line.pk)),
            spent=money(spent.get(line.pk)),
        )
        for line in lines
    ]


def funds_received(project: ServiceProject, *, last_day: dt.date | None = None) -> Decimal:
    receipts = project.fund_receipts.all()
    if last_day:
        receipts = receipts.filter(received_on__lte=last_day)
    return money(receipts.aggregate(total=Sum("amount"))["total"])


@dataclass(frozen=True)
class ProjectSummary:
    project: ServiceProject
    progress: list[TargetProgress]
    spent: Decimal
    received: Decimal
    elapsed: Decimal

    @property
    def burn(self) -> Decimal | None:
        return ratio(self.spent, self.project.contract_amount)

    @property
    def behind(self) -> int:
        return sum(1 for p in self.progress if p.pace in (Pace.BEHIND, Pace.MISSED))

    @property
    def met(self) -> int:
        return sum(1 for p in self.progress if p.pace == Pace.MET)

    @property
    def mean_completion(self) -> Decimal | None:
        """Average completion of the current targets, each capped at 100% (one target cannot hide another)."""
        rates = [min(p.completion, ONE) for p in self.progress if p.completion is not None]
        return sum(rates, ZERO) / len(rates) if rates else None


def current_progress(project: ServiceProject, *, as_of: dt.date) -> list[TargetProgress]:
    """Targets running on `as_of`; else those of the last finished period; else the future ones."""
    progress = project_progress(project, as_of=as_of)
    running = [p for p in progress if p.target.period_start <= as_of <= p.target.period_end]
    if running:
        return running
    past = [p for p in progress if p.target.period_end < as_of]
    if past:
        last_end = max(p.target.period_end for p in past)
        return [p for p in past if p.target.period_end == last_end]
    return progress


def project_summary(project: ServiceProject, *, as_of: dt.date | None = None) -> ProjectSummary:
    as_of = as_of or timezone.localdate()
    current = current_progress(project, as_of=as_of)
    spent = money(SpendingEntry.objects.filter(budget_line__project=project).aggregate(total=Sum("amount"))["total"])
    return ProjectSummary(
        project=project,
        progress=current,
        spent=spent,
        received=funds_received(project),
        elapsed=elapsed_share(project.period_start, project.period_end, as_of),
    )


def overview(projects: QuerySet[ServiceProject], *, as_of: dt.date | None = None) -> list[ProjectSummary]:
    """Every project of the queryset (already scoped by the caller) with its figures."""
    as_of = as_of or timezone.localdate()
    return [project_summary(p, as_of=as_of) for p in projects.select_related("buying_bureau", "agency")]


def pending_adjustments(projects: QuerySet[ServiceProject]) -> QuerySet[BudgetAdjustment]:
    return BudgetAdjustment.objects.filter(project__in=projects, status=AdjustmentStatus.PENDING).select_related(
        "project", "budget_line", "requested_by"
    )


def spending_in(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> Decimal:
    return money(
        SpendingEntry.objects.filter(
            Q(budget_line__project=project), spent_on__gte=first_day, spent_on__lte=last_day
        ).aggregate(total=Sum("amount"))["total"]
    )
