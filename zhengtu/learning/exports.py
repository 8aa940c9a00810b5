"""The learning report as an Excel workbook (through core.spreadsheets: formula-like text stays text)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from zhengtu.core.spreadsheets import NEUTRALISED_NOTE, append_row

from .reports import OfficeFigures


def report_workbook(offices: list[OfficeFigures], month_label: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Offices")
    append_row(sheet, [_("Month"), month_label])
    append_row(sheet, [str(NEUTRALISED_NOTE)])
    append_row(
        sheet,
        [
            _("Office"),
            _("People"),
            _("Online hours"),
            _("Short of study hours"),
            _("Courses assigned"),
            _("Courses completed"),
            _("Overdue"),
            _("Exams passed"),
            _("Face-check failures"),
        ],
    )
    for office in offices:
        append_row(
            sheet,
            [
                office.name,
                office.people,
                float(office.online_hours),
                office.short_of_hours,
                office.assigned,
                office.completed,
                office.overdue,
                office.exams_passed,
                office.face_check_failures,
            ],
        )
    people = workbook.create_sheet(_("People"))
    append_row(
        people,
        [
            _("Office"),
            pgettext("person", "Name"),
            _("Online hours"),
            _("Study hours"),
            _("Required"),
            _("Courses assigned"),
            _("Courses completed"),
            _("Overdue"),
            _("Exams passed"),
            _("Best score"),
            _("Face-check failures"),
        ],
    )
    for office in offices:
        for p in office.persons:
            append_row(
                people,
                [
                    office.name,
                    p.supervisee.name,
                    float(p.online_hours),
                    float(p.study_hours),
                    float(p.required_hours),
                    p.assigned,
                    p.completed,
                    p.overdue,
                    p.exams_passed,
                    p.best_score,
                    p.face_check_failures,
                ],
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
