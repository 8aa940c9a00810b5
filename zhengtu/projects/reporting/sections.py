"""The narrative sections of each kind of report, in the order of the document (seed 003)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import ReportKind

ANNUAL_SECTIONS: list[tuple[str, Any, Any]] = [
    # (key, heading, hint shown on the editing page)
    ("overview", _("1.1 Project overview"), _("Policy basis, approval, tender and what the agency does.")),
    ("goals", _("1.2 Performance goals"), _("The goals of each service; the targets are added from the project.")),
    (
        "funds_management",
        _("2.1.3 Management of the funds"),
        _("Financial rules followed, earmarking, irregularities."),
    ),
    ("organisation", _("2.2.1 Organisation of the work"), _("Who did what between the bureau and the agency.")),
    ("management", _("2.2.2 Project management"), _("Plans and monthly reviews; what could not be done and why.")),
    ("economy", _("2.3.1 Economy"), _("What the money bought for society.")),
    ("efficiency", _("2.3.2 Efficiency"), _("Staffing and pace; the outputs are stated from the ledger.")),
    ("effects", _("2.3.3 Effects"), _("What each service achieved; completion rates are stated from the ledger.")),
    ("plans", _("3 Plans for the follow-up work"), ""),
    ("conclusions", _("4 Evaluation and conclusions"), ""),
    ("experience", _("5.1 Main experience"), ""),
    ("problems", _("5.2 Problems"), ""),
    ("improvements", _("5.3 Improvements and suggestions"), ""),
    ("other", _("6 Other"), ""),
]

MONTHLY_SECTIONS: list[tuple[str, Any, Any]] = [
    ("summary", _("Work done this month"), _("Highlights of the month; the figures are added from the ledger.")),
    ("problems", pgettext_lazy("report section", "Problems"), ""),
    ("plans", _("Plans for next month"), ""),
]


def sections_of(kind: str) -> list[tuple[str, Any, Any]]:
    return ANNUAL_SECTIONS if kind == ReportKind.ANNUAL else MONTHLY_SECTIONS


def paragraphs(narrative: dict[str, str], kind: str) -> dict[str, list[str]]:
    """Each section's text split into paragraphs (one per non-empty line) for the document template."""
    return {
        key: [line.strip() for line in str(narrative.get(key, "")).splitlines() if line.strip()]
        for key, _heading, _hint in sections_of(kind)
    }
