"""Every figure a report states, computed from the ledger (indicator sources) and the books.

The result is plain JSON (strings and numbers): it is what the document template receives and
what a finalised version stores, so a frozen report can always show what it said and why.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .. import indicators as registry
from ..credentials import credentials_of
from ..formatting import count, percent, wan, yuan
from ..models import ProjectStaff, ServiceProject, StaffRole
from ..progress import budget_status, elapsed_share, funds_received, ratio, spending_in, target_progress, targets_in

ZERO = Decimal("0")


def _date(day: dt.date | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def _month(day: dt.date | None) -> str:
    return formats.date_format(day, "YEAR_MONTH_FORMAT") if day else ""


def _verdict(actual: int, target: int) -> str:
    if actual > target:
        return pgettext("target", "exceeded")
    if actual == target:
        return pgettext("target", "met")
    return pgettext("target", "not met")


def _staff(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[dict[str, str]]:
    members = (
        ProjectStaff.objects.filter(project=project)
        .exclude(left_on__lt=first_day)
        .exclude(joined_on__gt=last_day)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    credentials = credentials_of([m.user_id for m in members], last_day)
    return [
        {
            "name": member.user.display_name,
            "role": member.get_role_display(),
            "credentials": "；".join(str(line) for line in credentials.get(member.user_id, [])) or "—",
        }
        for member in members
    ]


def _project_facts(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> dict[str, Any]:
    staff = _staff(project, first_day, last_day)
    social_workers = (
        ProjectStaff.objects.filter(project=project, role=StaffRole.SOCIAL_WORKER)
        .exclude(left_on__lt=first_day)
        .exclude(joined_on__gt=last_day)
        .values("user")
        .distinct()
        .count()
    )
    return {
        "name": project.name,
        "contract_number": project.contract_number or "—",
        "buying_bureau": project.buying_bureau.name,
        "agency": project.agency.name,
        "awarded": _month(project.awarded_on),
        "start": _date(first_day),
        "end": _date(last_day),
        "period": _("%(start)s to %(end)s") % {"start": _month(first_day), "end": _month(last_day)},
        "social_workers": social_workers,
        "staff": staff,
    }


def _funds(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> dict[str, Any]:
    lines = budget_status(project, first_day=first_day, last_day=last_day)
    spent = sum((line.spent for line in lines), ZERO)
    allowance = sum((line.allowance for line in lines), ZERO)
    received = funds_received(project, last_day=last_day)
    outstanding = max(project.contract_amount - received, ZERO)
    return {
        "budget_wan": wan(project.budget_amount) if project.budget_amount else wan(project.contract_amount),
        "contract_wan": wan(project.contract_amount),
        "received_wan": wan(received),
        "outstanding_wan": wan(outstanding),
        "fully_received": outstanding == 0,
        "spent_wan": wan(spent),
        "balance_wan": wan(allowance - spent),
        "burn": percent(ratio(spent, allowance)),
        "lines": [
            {
                "name": line.line.name,
                "category": line.line.category,
                "allowance_wan": wan(line.allowance),
                "spent_wan": wan(line.spent),
                "burn": percent(line.burn),
            }
            for line in lines
        ],
        "lines_sentence": _(", ").join(
            _("%(line)s %(amount)s ten-thousand yuan") % {"line": line.line.name, "amount": wan(line.spent)}
            for line in lines
            if line.spent
        ),
        "exact": {
            "budget_amount": str(project.budget_amount or ""),
            "contract_amount": str(project.contract_amount),
            "received": str(received),
            "spent": str(spent),
            "lines": {line.line.name: {"allowance": str(line.allowance), "spent": str(line.spent)} for line in lines},
        },
    }


def _outputs(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> list[dict[str, Any]]:
    rows = []
    for target in targets_in(project, first_day, last_day):
        progress = target_progress(target, as_of=last_day)
        rows.append(
            {
                "code": target.indicator,
                "label": str(progress.indicator.label),
                "unit": str(progress.indicator.unit),
                "target": target.target_value,
                "actual": progress.actual,
                "completion": percent(progress.completion),
                "verdict": _verdict(progress.actual, target.target_value),
                "order": progress.indicator.order,
            }
        )
    return sorted(rows, key=lambda row: (row["order"], row["code"]))


def _output_phrase(row: dict[str, Any], psychological_reports: int) -> str:
    phrase = _("%(label)s %(count)s %(unit)s") % {"label": row["label"], "count": row["actual"], "unit": row["unit"]}
    if row["code"] == "psychological_tests" and psychological_reports:
        # Seed 003: "心理测量255人（出具社区矫正对象《心理测验与评估分析报告》247份）".
        phrase += _(" (%(reports)s psychological test and assessment reports issued)") % {
            "reports": psychological_reports
        }
    return phrase


def annual_figures(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> dict[str, Any]:
    with translation.override(settings.LANGUAGE_CODE):
        outputs = _outputs(project, first_day, last_day)
        psychological_reports = registry.measure(project, "psychological_reports", first_day, last_day)
        return {
            "kind": "annual",
            "project": _project_facts(project, first_day, last_day),
            "funds": _funds(project, first_day, last_day),
            "outputs": outputs,
            "psychological_reports": psychological_reports,
            "outputs_sentence": _(", ").join(_output_phrase(row, psychological_reports) for row in outputs),
        }


def monthly_figures(project: ServiceProject, first_day: dt.date, last_day: dt.date) -> dict[str, Any]:
    """A month: what was delivered and spent in it, and where each yearly target stands at its end."""
    with translation.override(settings.LANGUAGE_CODE):
        outputs = []
        for target in targets_in(project, first_day, last_day):
            progress = target_progress(target, as_of=last_day)
            in_month = registry.measure(
                project, target.indicator, max(first_day, target.period_start), min(last_day, target.period_end)
            )
            outputs.append(
                {
                    "code": target.indicator,
                    "label": str(progress.indicator.label),
                    "unit": str(progress.indicator.unit),
                    "month_actual": in_month,
                    "cumulative": progress.actual,
                    "target": target.target_value,
                    "completion": percent(progress.completion),
                    "elapsed": percent(elapsed_share(target.period_start, target.period_end, last_day)),
                    "expected": count(progress.expected),
                    "pace": progress.pace_label,
                    "order": progress.indicator.order,
                }
            )
        outputs.sort(key=lambda row: (row["order"], row["code"]))
        month_lines = {s.line.pk: s for s in budget_status(project, first_day=first_day, last_day=last_day)}
        to_date = budget_status(project, last_day=last_day)
        spending = [
            {
                "name": status.line.name,
                "month_wan": wan(month_lines[status.line.pk].spent),
                "cumulative_wan": wan(status.spent),
                "allowance_wan": wan(status.allowance),
                "burn": percent(status.burn),
            }
            for status in to_date
        ]
        month_total = spending_in(project, first_day, last_day)
        cumulative = sum((s.spent for s in to_date), ZERO)
        return {
            "kind": "monthly",
            "month": _month(first_day),
            "project": _project_facts(project, first_day, last_day),
            "outputs": outputs,
            "spending": spending,
            "spending_month_wan": wan(month_total),
            "spending_cumulative_wan": wan(cumulative),
            "spending_cumulative_yuan": yuan(cumulative),
            "contract_wan": wan(project.contract_amount),
            "burn": percent(ratio(cumulative, project.contract_amount)),
            "elapsed": percent(elapsed_share(project.period_start, project.period_end, last_day)),
        }
