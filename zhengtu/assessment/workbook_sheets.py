"""Reading the sheets of an uploaded workbook into rows keyed by normalised column names, and the
problem report every check of a workbook writes to (sheet, row, column, reason)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

MAX_ROWS = 2000


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = " ".join(part for part in (self.sheet, f"#{self.row}" if self.row else "", self.column) if part)
        return f"{where}: {self.message}" if where else self.message


class WorkbookRejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems[:5]))
        self.problems = problems


@dataclass
class SheetRow:
    number: int
    cells: dict[str, Any]  # normalised header → value
    columns: dict[str, str]  # normalised header → "C (relevant)"

    def text(self, key: str) -> str:
        return cell_text(self.cells.get(key))

    def column(self, key: str) -> str:
        return self.columns.get(key, key)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalise_header(header: str) -> str:
    text = header.strip().lower()
    base, _sep, language = text.partition("::")
    base = base.strip().replace(" ", "_")
    if base in ("label", "hint", "constraint_message", "required_message") and language:
        return f"{base}::"  # the first translated column is used when no plain one exists
    return base


class Sheet:
    def __init__(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        self.name = name
        self.rows: list[SheetRow] = []
        self.headers: dict[str, str] = {}
        if not rows:
            return
        header_cells = rows[0]
        keys: list[str | None] = []
        for index, value in enumerate(header_cells):
            text = cell_text(value)
            if not text:
                keys.append(None)
                continue
            key = normalise_header(text)
            if key.endswith("::"):
                plain = key[:-2]
                if plain in self.headers or plain in keys:
                    keys.append(None)
                    continue
                key = plain
            if key in self.headers:
                keys.append(None)
                continue
            letter = column_letter(index)
            self.headers[key] = f"{letter} ({text})"
            keys.append(key)
        for offset, values in enumerate(rows[1:], start=2):
            cells = {key: value for key, value in zip(keys, values, strict=False) if key is not None}
            if all(cell_text(value) == "" for value in cells.values()):
                continue
            self.rows.append(SheetRow(offset, cells, self.headers))

    def has(self, key: str) -> bool:
        return key in self.headers


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def load_sheets(content: bytes) -> dict[str, Sheet]:
    from django.core.exceptions import ValidationError
    from openpyxl import load_workbook

    from zhengtu.core.archives import check_zip_bounds

    try:
        check_zip_bounds(content, what="xlsx")  # a zip bomb is refused before openpyxl unpacks it
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from error
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheets = {}
        for worksheet in workbook.worksheets:
            rows = []
            for index, row in enumerate(worksheet.iter_rows(values_only=True)):
                if index > MAX_ROWS:
                    break
                rows.append(tuple(row))
            sheets[worksheet.title.strip().lower()] = Sheet(worksheet.title.strip().lower(), rows)
        return sheets
    finally:
        workbook.close()
