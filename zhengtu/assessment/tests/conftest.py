"""Fixtures of the assessment tests: shipped instruments, the 2026 holiday calendar, a supervisee
with a responsible officer and an assigned social worker, and a small workbook builder."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import Workbook

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Role
from zhengtu.audit.services import Actor
from zhengtu.supervisees.models import Assignment, AssignmentRole, Sex, Supervisee
from zhengtu.testing.factories import UserFactory, make_supervisee
from zhengtu.workdays.calendar import load_year_from_chinesecalendar

from ..models import Instrument
from ..services.instruments import load_shipped_instruments


@pytest.fixture
def instruments(db: None) -> dict[str, Instrument]:
    load_shipped_instruments()
    return {instrument.code: instrument for instrument in Instrument.objects.select_related("current_version")}


@pytest.fixture
def calendar_2026(db: None) -> None:
    load_year_from_chinesecalendar(2026)


@dataclass
class Case:
    supervisee: Supervisee
    officer: User  # responsible officer, office A
    social_worker: User  # agency under county A, assigned
    colleague: User  # another officer of office A: the second person for overrides
    outsider: User  # office B

    def actor(self, user: User | None = None) -> Actor:
        return Actor(user=user or self.officer)


@pytest.fixture
def case(world: Any, instruments: dict[str, Instrument], calendar_2026: None) -> Case:
    supervisee = make_supervisee(world.office_a, name="张三", sex=Sex.MALE, responsible_officer=world.officer_a)
    Assignment.objects.create(supervisee=supervisee, user=world.social_worker_a, role=AssignmentRole.SOCIAL_WORKER)
    return Case(
        supervisee=supervisee,
        officer=world.officer_a,
        social_worker=world.social_worker_a,
        colleague=world.colleague_a,
        outsider=world.officer_b,
    )


@pytest.fixture
def supervisee_user(case: Case) -> User:
    """A login for the case's supervisee (role SUPERVISEE, linked through Supervisee.user)."""
    user = UserFactory(role=Role.SUPERVISEE, organisation=None)
    case.supervisee.user = user
    case.supervisee.save(update_fields=["user"])
    return user


def workbook_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An .xlsx with the given sheets, each a list of rows (the first row is the header)."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def small_instrument(
    *, version: str = "1", cutoffs: list[list[Any]] | None = None, extra_survey: list[list[Any]] | None = None
) -> bytes:
    """A three-question instrument: two scored yes/no questions (one reverse-scored) and a number."""
    survey = [
        [
            "type",
            "name",
            "label",
            "required",
            "relevant",
            "constraint",
            "constraint_message",
            "domain",
            "reverse",
            "critical",
        ],
        ["select_one yn", "a", "问题甲", "yes", "", "", "", "d1", "", ""],
        ["select_one level", "b", "问题乙", "yes", "${a} = 'yes'", "", "", "d1", "yes", ""],
        ["integer", "c", "问题丙", "", "", ". >= 0 and . <= 10", "请填0到10", "d2", "", ". > 8"],
        *(extra_survey or []),
    ]
    return workbook_bytes(
        {
            "survey": survey,
            "choices": [
                ["list_name", "name", "label", "score"],
                ["yn", "yes", "是", 1],
                ["yn", "no", "否", 0],
                ["level", "1", "低", 1],
                ["level", "2", "中", 2],
                ["level", "3", "高", 3],
            ],
            "settings": [["form_title", "form_id", "version", "kind"], ["测试量表", "small", version, "risk_needs"]],
            "domains": [["name", "label", "method"], ["d1", "领域一", "sum"], ["d2", "领域二", "sum"]],
            "cutoffs": cutoffs
            or [
                ["target", "sex", "min", "max", "level", "label", "rank", "supervision_level"],
                ["total", "male", 0, 5, "low", "低", 0, "lenient"],
                ["total", "male", 6, None, "high", "高", 1, "strict"],
                ["total", "female", 0, 7, "low", "低", 0, "lenient"],
                ["total", "female", 8, None, "high", "高", 1, "strict"],
            ],
        }
    )
