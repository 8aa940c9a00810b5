"""Writing spreadsheets: the import template, and the export of a filtered list (audited)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhengtu.accounts.models import User
from zhengtu.accounts.roles import Capability, can
from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.spreadsheets import NEUTRALISED_NOTE, append_row, csv_row, set_cell

from .columns import COLUMNS, Column, choice_label
from .models import Supervisee
from .rules import export_max_rows
from .selectors import SuperviseeFilters, list_supervisees

SHEET_TITLE = "社区矫正对象"
GUIDE_TITLE = "填写说明"
NOTES_TITLE = "导出说明"
TEMPLATE_ROWS = 1000  # rows pre-formatted as text in the template (identity numbers, phones)
TEXT_COLUMNS = {"identity_number", "phone", "residence_division", "household_division", "judgment_number"}


def _choice_words(column: Column) -> list[str]:
    assert column.choices is not None
    return [choice_label(column, value) for value in column.choices.values]


def template_xlsx() -> bytes:
    """The import template: headers (required ones in red), drop-downs for choices, a guide sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    required_font = Font(bold=True, color="B42318")
    header_fill = PatternFill("solid", fgColor="E6EEF8")
    for index, column in enumerate(COLUMNS, start=1):
        cell = set_cell(sheet, row=1, column=index, value=column.header)
        cell.font = required_font if column.required else Font(bold=True)
        cell.fill = header_fill
        if column.note:
            cell.comment = Comment(column.note, "正途")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in TEXT_COLUMNS:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.kind == "date":
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        if column.kind in ("choice", "bool"):
            words = ["是", "否"] if column.kind == "bool" else _choice_words(column)
            validation = DataValidation(type="list", formula1=f'"{",".join(words)}"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "B2"

    guide = workbook.create_sheet(GUIDE_TITLE)
    append_row(guide, ["列名", "是否必填", "说明", "可填的值"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        allowed = "、".join(_choice_words(column)) if column.kind == "choice" else ""
        append_row(guide, [column.header, "必填" if column.required else "", column.note, allowed])
    for letter, width in zip("ABCD", (18, 10, 60, 40), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    """The header row as CSV, UTF-8 with a byte-order mark so that Excel opens it correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row(c.header for c in COLUMNS))
    return buffer.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------------------------------------
# Export.

ExportValue = Callable[[Supervisee, bool], Any]


def _division(value: Any) -> str:
    return value.code if value is not None else ""


def _export_columns() -> list[tuple[str, ExportValue]]:
    """The template's columns (so an export reads back in), then derived ones."""
    columns: list[tuple[str, ExportValue]] = []
    for column in COLUMNS:
        getter: ExportValue
        if column.key == "identity_number":
            getter = _identity
        elif column.key == "phone":
            getter = _phone
        elif column.kind == "choice":
            getter = _choice_getter(column)
        elif column.kind == "division":
            getter = _attribute_getter(column.key, _division)
        elif column.kind == "office":
            getter = _attribute_getter(column.key, lambda office: office.name)
        elif column.kind == "bool":
            getter = _attribute_getter(column.key, lambda value: "是" if value else "否")
        else:
            getter = _attribute_getter(column.key, lambda value: value)
        columns.append((column.header, getter))
    columns += [
        ("矫正期满日期", _attribute_getter("term_end", lambda value: value)),
        ("居住地", _attribute_getter("residence_division", lambda d: d.full_name if d else "")),
        ("负责人", _attribute_getter("responsible_officer", lambda user: str(user) if user else "")),
    ]
    return columns


def _identity(supervisee: Supervisee, full: bool) -> str:
    return supervisee.identity_number if full else supervisee.identity_number_masked


def _phone(supervisee: Supervisee, full: bool) -> str:
    return supervisee.phone if full else supervisee.phone_masked


def _choice_getter(column: Column) -> ExportValue:
    return lambda supervisee, full: choice_label(column, getattr(supervisee, column.key))


def _attribute_getter(name: str, convert: Callable[[Any], Any]) -> ExportValue:
    def getter(supervisee: Supervisee, full: bool) -> Any:
        value = getattr(supervisee, name)
        return "" if value is None else convert(value)

    return getter


def export_supervisees(*, actor: Actor, user: User, filters: SuperviseeFilters, full_identity: bool = False) -> bytes:
    """The filtered list as .xlsx. Identity and phone numbers masked unless asked for and allowed; audited."""
    if full_identity and not can(user, Capability.REVEAL_IDENTITY):
        raise PermissionDenied(_("You may not export identity numbers in clear."))
    queryset = list_supervisees(user, filters).select_related("residence_division", "household_division")
    count = queryset.count()
    if count > export_max_rows():
        raise ValidationError(
            _("%(n)d people match; narrow the filter to at most %(max)d.") % {"n": count, "max": export_max_rows()}
        )
    columns = _export_columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    append_row(sheet, [header for header, _getter in columns])
    for supervisee in queryset.iterator(chunk_size=2000):
        append_row(sheet, [getter(supervisee, full_identity) for _header, getter in columns])
    # The import reads the first sheet only, so the note lives on a second one.
    notes = workbook.create_sheet(NOTES_TITLE)
    append_row(notes, [str(NEUTRALISED_NOTE)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record_event(
        actor,
        action=Action.EXPORT,
        object_type="supervisees.supervisee",
        object_label=_("Supervisee list"),
        detail={
            "filters": filters.describe(),
            "rows": count,
            "full_identity": full_identity,
        },
    )
    return buffer.getvalue()
