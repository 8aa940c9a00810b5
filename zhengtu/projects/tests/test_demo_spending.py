"""Demo books look like real books: budget lines spend at different rates, never past their amount."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from zhengtu.accounts.roles import Role
from zhengtu.projects import seeding
from zhengtu.projects.models import BudgetLine, StaffRole
from zhengtu.projects.tests.conftest import actor
from zhengtu.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _project(world):  # type: ignore[no-untyped-def]
    data = seeding.load("xupu_2020")
    worker = UserFactory(organisation=world.agency_a, role=Role.SOCIAL_WORKER)
    return seeding.create_project(
        manager=actor(world.bureau_a),
        buying_bureau=world.county_a,
        agency=world.agency_a,
        data=data,
        staff=[(worker, StaffRole.SOCIAL_WORKER)],
    )


def _execution_rates(project) -> list[Decimal]:  # type: ignore[no-untyped-def]
    rates = []
    for line in BudgetLine.objects.filter(project=project):
        spent = line.spending.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        assert spent <= line.amount
        rates.append((spent / line.amount).quantize(Decimal("0.001")))
    return rates


def test_varied_spending_differs_between_lines_and_stays_within_each_line(world) -> None:  # type: ignore[no-untyped-def]
    project = _project(world)
    seeding.book_spending(
        manager=actor(world.bureau_a),
        project=project,
        share=Decimal("0.85"),
        last_day=dt.date(2020, 12, 31),
        variation=random.Random("demo"),
    )
    rates = _execution_rates(project)
    assert len(rates) > 2
    assert len(set(rates)) > len(rates) // 2, f"execution rates look copied: {rates}"


def test_the_current_year_demo_draft_carries_nothing_tied_to_2020() -> None:
    data = seeding.load("xupu_2020")
    draft = data["narrative_current_year"]
    assert set(draft) == set(data["narrative"])  # every section of the report has a draft
    assert not [key for key, text in draft.items() if "疫情" in text or "2020" in text or "2019" in text]
