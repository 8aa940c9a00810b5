"""Paper questionnaires typed into a sheet: good rows scored and saved, each bad row reported with its reason."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from zhengtu.audit.models import AuditEntry
from zhengtu.testing.factories import make_supervisee

from ...models import Assessment, AssessmentMode, Instrument, PaperImport
from ...services.paper_import import import_paper_questionnaires, template_workbook
from ..conftest import Case, workbook_bytes

HEADER = ["身份证号", "矫正对象编号", "收到日期", *[f"phq{n}" for n in range(1, 11)]]


def _row(
    identity: str = "", pk: object = "", day: object = "2026-09-30", answers: list[object] | None = None
) -> list[object]:
    return [identity, pk, day, *(answers if answers is not None else [0, 0, 0, 0, 0, 0, 0, 0, 0, ""])]


def test_good_rows_are_scored_and_bad_rows_reported(
    case: Case, instruments: dict[str, Instrument], world: object
) -> None:
    outsider_person = make_supervisee(world.office_b)  # type: ignore[attr-defined]
    version = instruments["phq9"].current_version
    assert version is not None
    sheet = workbook_bytes(
        {
            "录入": [
                HEADER,
                _row(identity=case.supervisee.identity_number),  # row 2: good, all 0
                _row(
                    pk=case.supervisee.pk,
                    day=dt.datetime(2026, 10, 9),
                    answers=["几乎每天", 3, 3, 3, 0, 0, 0, 0, 1, "非常困难"],
                ),  # row 3: 13, critical
                _row(identity=outsider_person.identity_number),  # row 4: not in scope
                _row(pk=case.supervisee.pk, day="2026/13/01"),  # row 5: bad date
                _row(
                    pk=case.supervisee.pk, day="2026-10-08", answers=[1, 5, 0, 0, 0, 0, 0, 0, 0, ""]
                ),  # row 6: bad answers
                [None] * 13,  # blank: skipped, not counted
                _row(),  # row 8: nobody named
                _row(pk=case.supervisee.pk),  # row 9: the same questionnaire again
            ]
        }
    )
    result = import_paper_questionnaires(actor=case.actor(), version=version, content=sheet, file_name="九月问卷.xlsx")
    assert result.record.total_rows == 7
    assert result.record.imported_rows == 2
    reasons = {p["row"]: p["reason"] for p in result.problems}
    assert set(reasons) == {4, 5, 6, 8, 9}
    assert "在您可查看的人员中没有身份证号为" in reasons[4]
    assert "2026/13/01" in reasons[5]
    assert "phq2" in reasons[6] and "phq10" in reasons[6]  # 5 is not a choice; the difficulty question is then required
    assert "重复导入" in reasons[9]
    scored = Assessment.objects.filter(supervisee=case.supervisee).order_by("total_score")
    assert [a.total_score for a in scored] == [0, 13]
    assert [a.received_on for a in scored] == [dt.date(2026, 9, 30), dt.date(2026, 10, 9)]
    assert all(a.mode == AssessmentMode.PAPER for a in scored)
    assert scored[1].has_critical_items
    assert PaperImport.objects.get().problems == result.problems
    assert AuditEntry.objects.filter(action="import", object_type="assessment.paperimport").exists()


def test_a_sheet_without_a_person_column_is_refused(case: Case, instruments: dict[str, Instrument]) -> None:
    version = instruments["phq9"].current_version
    assert version is not None
    with pytest.raises(ValidationError):
        import_paper_questionnaires(
            actor=case.actor(), version=version, content=workbook_bytes({"s": [["phq1"], [1]]}), file_name="x.xlsx"
        )
    with pytest.raises(ValidationError):
        import_paper_questionnaires(actor=case.actor(), version=version, content=b"not excel", file_name="x.xlsx")
    assert not Assessment.objects.exists()


def test_the_template_lists_every_question(instruments: dict[str, Instrument]) -> None:
    version = instruments["gad7"].current_version
    assert version is not None
    workbook = load_workbook(io.BytesIO(template_workbook(version)))
    header = [cell.value for cell in next(workbook.worksheets[0].iter_rows(max_row=1))]
    assert header == ["身份证号", "矫正对象编号", "收到日期", *[f"gad{n}" for n in range(1, 9)]]
    guide = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert "gad8" in guide
