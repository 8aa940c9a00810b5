"""Excel export of the ledger (台账): one row per record in the columns the import reads, and a
second sheet with one row per attendee. Attendees the reader may not see are counted, not named.
Every export is audited.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.spreadsheets import NEUTRALISED_NOTE, append_row, set_cell
from zhengtu.supervisees.selectors import supervisees_visible_to

from . import ledger_columns as columns
from .models import ServiceRecord

if TYPE_CHECKING:
    from zhengtu.accounts.models import User

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _styled_header(sheet: Any, row: int, headings: list[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for index, text in enumerate(headings, start=1):
        cell = set_cell(sheet, row=row, column=index, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def export_ledger(*, actor: Actor, records: QuerySet[ServiceRecord], title: str, filters: dict[str, str]) -> bytes:
    """The ledger workbook for records already scoped to the reader (selectors.ledger)."""
    user = actor.user
    assert user is not None
    with translation.override(settings.LANGUAGE_CODE):
        content, count = _workbook(user, records, title)
    record_event(
        actor,
        action=Action.EXPORT,
        object_type="services.servicerecord",
        object_label=title[:200],
        detail={"records": count, "filters": filters},
    )
    return content


def _workbook(user: User, records: QuerySet[ServiceRecord], title: str) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    rows = list(
        records.select_related("project", "recorded_by").prefetch_related("attendances__supervisee__responsible_office")
    )
    # Only RECORD_SERVICES users export: their scope (office, caseload) is small enough to load.
    visible = set(supervisees_visible_to(user).values_list("pk", flat=True))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Ledger")
    fields = [field for field, _label in columns.IMPORT_COLUMNS]
    headings = [str(columns.NUMBER), *[columns.heading(f) for f in fields], str(columns.HEADCOUNT)]
    headings += [str(columns.PROJECT), str(columns.RECORDED_BY)]
    set_cell(sheet, row=1, column=1, value=title)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    exported = _("Exported %(when)s by %(who)s") % {
        "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "who": user.display_name,
    }
    set_cell(sheet, row=2, column=1, value=f"{exported} {NEUTRALISED_NOTE}")
    _styled_header(sheet, 3, headings)
    for number, record in enumerate(rows, start=1):
        attendances = list(record.attendances.all())
        shown = [a for a in attendances if a.supervisee_id in visible]
        named = [a.supervisee.name for a in shown]
        hidden = len(attendances) - len(named)
        names = "、".join(named)
        if hidden:
            names = (names + "；" if names else "") + _("%(count)s others") % {"count": hidden}
        values = {
            "held_on": record.held_on,
            "kind": record.get_kind_display(),
            "mode": record.get_mode_display(),
            "visit_type": record.get_visit_type_display() if record.visit_type else "",
            "topic": record.topic,
            "lecturer": record.lecturer,
            "place": record.place,
            "duration_hours": float(record.duration_hours),
            "attendees": names,
            "summary": record.summary,
            "materials": record.materials,
            "attendee_numbers": ",".join(str(a.supervisee_id) for a in shown),
        }
        line = [number, *[values[f] for f in fields], len(attendances)]
        line += [
            record.project.name if record.project else "",
            record.recorded_by.display_name if record.recorded_by else "",
        ]
        append_row(sheet, line)
        sheet.cell(row=3 + number, column=2).number_format = "yyyy-mm-dd"
    for index, width in enumerate([6, 12, 10, 8, 10, 28, 12, 16, 10, 40, 30, 20, 16, 8, 24, 10], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"

    people = workbook.create_sheet(_("Attendees"))
    _styled_header(
        people,
        1,
        [
            columns.heading("held_on"),
            columns.heading("kind"),
            columns.heading("topic"),
            pgettext("ledger column", "Name"),
            pgettext("ledger column", "Justice office"),
            pgettext("ledger column", "Hours credited"),
        ],
    )
    row_number = 1  # openpyxl's max_row is a scan: counting here keeps the export linear
    for record in rows:
        for attendance in record.attendances.all():
            if attendance.supervisee_id in visible:
                row_number += 1
                append_row(
                    people,
                    [
                        record.held_on,
                        record.get_kind_display(),
                        record.topic,
                        attendance.supervisee.name,
                        _office_name(attendance.supervisee),
                        float(attendance.hours),
                    ],
                )
                people.cell(row=row_number, column=1).number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), len(rows)


def _office_name(supervisee: Any) -> str:
    office = getattr(supervisee, "responsible_office", None)
    return office.name if office is not None else ""


def import_template() -> bytes:
    """An empty ledger sheet with the import's headings, and a sheet explaining the values."""
    from openpyxl import Workbook

    from .models import ServiceKind, ServiceMode, VisitType

    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = _("Ledger")
        _styled_header(sheet, 1, [columns.heading(f) for f, _label in columns.IMPORT_COLUMNS])
        help_sheet = workbook.create_sheet(_("How to fill in"))
        append_row(help_sheet, [_("Column"), _("What to write")])
        append_row(help_sheet, [columns.heading("held_on"), _("The date, e.g. 2026-03-05.")])
        append_row(help_sheet, [columns.heading("kind"), "、".join(str(label) for _v, label in ServiceKind.choices)])
        append_row(help_sheet, [columns.heading("mode"), "、".join(str(label) for _v, label in ServiceMode.choices)])
        append_row(
            help_sheet, [columns.heading("visit_type"), "、".join(str(label) for _v, label in VisitType.choices)]
        )
        append_row(
            help_sheet, [columns.heading("duration_hours"), _("Hours, e.g. 2 or 1.5; credited to every attendee.")]
        )
        append_row(
            help_sheet,
            [
                columns.heading("attendees"),
                _("Names separated by 、 or commas; the identity number when two share a name."),
            ],
        )
        append_row(
            help_sheet,
            [
                columns.heading("attendee_numbers"),
                _("Optional: Zhengtu's numbers of the supervisees, as the export writes them."),
            ],
        )
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
