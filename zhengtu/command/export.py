"""The periodic tables as an Excel workbook, in the layout handed upward: a title block (reporting unit,
period, date made), then one block per figure (organisation rows, breakdown columns, total row) and a
note of the records left out."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from zhengtu.core.spreadsheets import set_cell

from .tables import FigureTable

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def workbook(
    *, unit: str, period_label: str, grouping_label: str, tables: Iterable[FigureTable], made_on: dt.date
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Statistics")[:31]
    bold = Font(bold=True)
    row = 1
    set_cell(sheet, row=row, column=1, value=(_("Community corrections statistics"))).font = Font(bold=True, size=14)
    row += 1
    for label, value in (
        (_("Reporting unit"), unit),
        (_("Reporting period"), period_label),
        (_("Rows by"), grouping_label),
        (_("Made on"), made_on.isoformat()),
        (
            _("Explanation"),
            _("Every figure is computed from the records; text cells are written as text, never as formulas."),
        ),
    ):
        set_cell(sheet, row=row, column=1, value=label).font = bold
        set_cell(sheet, row=row, column=2, value=value)
        row += 1
    widest = 2
    for table in tables:
        row += 1
        title = str(table.figure.title)
        if table.figure.unit:
            title += f" ({table.figure.unit})"
        if table.counted_on:
            title += " · " + _("counted on %(day)s") % {"day": table.counted_on.isoformat()}
        set_cell(sheet, row=row, column=1, value=title).font = Font(bold=True, size=12)
        row += 1
        header = [_("Organisation"), *[label for _key, label in table.columns], _("Total")]
        for col, text in enumerate(header, start=1):
            cell = set_cell(sheet, row=row, column=col, value=str(text))
            cell.font = bold
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        widest = max(widest, len(header))
        row += 1
        for data_row in table.rows:
            values = [
                data_row.organisation.name,
                *[data_row.cells.get(k, 0) for k, _l in table.columns],
                data_row.total,
            ]
            for col, item in enumerate(values, start=1):
                set_cell(sheet, row=row, column=col, value=item).border = BOX
            row += 1
        totals = table.totals
        total_row: list[Any] = [_("Total"), *[totals[k] for k, _l in table.columns], table.grand_total]
        for col, item in enumerate(total_row, start=1):
            cell = set_cell(sheet, row=row, column=col, value=item)
            cell.font = bold
            cell.border = BOX
        row += 1
        for left in table.left_out:
            set_cell(
                sheet,
                row=row,
                column=1,
                value=(_("Left out: %(count)d (%(reason)s)") % {"count": left.count, "reason": left.reason}),
            )
            row += 1
    sheet.column_dimensions["A"].width = 28
    for col in range(2, widest + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 14
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
