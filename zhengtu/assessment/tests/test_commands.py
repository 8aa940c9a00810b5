"""`manage.py load_instruments` (idempotent) and the demo seed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from zhengtu.supervisees.models import Status
from zhengtu.supervisees.services import change_status

from ..demo import seed
from ..models import Assessment, AssessmentReport, InstrumentVersion
from .conftest import Case


@pytest.mark.django_db
def test_load_instruments_twice() -> None:
    first, second = io.StringIO(), io.StringIO()
    call_command("load_instruments", "--no-font", stdout=first)
    call_command("load_instruments", "--no-font", stdout=second)
    assert first.getvalue().count("imported") == 4
    assert second.getvalue().count("unchanged") == 4
    assert InstrumentVersion.objects.count() == 4


def test_demo_seed_creates_assessments_and_reports_once(case: Case, world: Any) -> None:
    change_status(actor=None, supervisee=case.supervisee, to_status=Status.UNDER_SUPERVISION)
    seed(scale="county")
    made = Assessment.objects.filter(supervisee=case.supervisee)
    assert made.count() == 3
    assert AssessmentReport.objects.count() == 1
    assert all(a.is_scored for a in made)
    seed(scale="county")
    assert Assessment.objects.count() == 3
