"""Paper questionnaires typed into a spreadsheet: one row per respondent, scored row by row.

Columns: an identity number (身份证号) or supervisee id (矫正对象编号) to find the person among those
the importing user may see; optionally the date received (收到日期); then one column per question,
headed by the question's name (as in the template) or its exact text. Answers may be the choice name
or its label. Each bad row is reported with its number and reason; each good row is scored and saved
on its own, so one bad row never loses the others.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.archives import check_zip_bounds
from zhengtu.core.spreadsheets import append_row
from zhengtu.privacy.crypto import blind_index
from zhengtu.supervisees.identity import normalise
from zhengtu.supervisees.models import Supervisee
from zhengtu.supervisees.selectors import supervisees_visible_to
from zhengtu.workdays.calendar import WorkingDayCalendar

from ..models import Assessment, AssessmentMode, AssessmentStatus, InstrumentVersion, PaperImport
from ..permissions import can_assess
from .assessments import AnswersIncomplete, take_assessment

IDENTITY_HEADERS = {"identity_number", "身份证号", "身份证号码", "公民身份号码"}
SUPERVISEE_HEADERS = {"supervisee_id", "矫正对象编号", "对象编号"}
RECEIVED_HEADERS = {"received_on", "收到日期", "问卷收到日期"}
MAX_ROWS = 5000


@dataclass
class PaperImportResult:
    record: PaperImport
    created: list[Assessment] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)


def template_workbook(version: InstrumentVersion) -> bytes:
    """An empty sheet with the right headers, and a second sheet explaining questions and answers."""
    from openpyxl import Workbook

    definition = version.parsed
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "问卷录入"
    append_row(sheet, ["身份证号", "矫正对象编号", "收到日期", *[item.name for item in definition.questions]])
    guide = workbook.create_sheet("填写说明")
    append_row(guide, ["列名", "题目", "可填答案"])
    append_row(guide, ["身份证号", "身份证号与矫正对象编号填写其一", ""])
    append_row(guide, ["收到日期", "问卷收到日期，格式 2026-09-30；不填则为导入当天", ""])
    for item in definition.questions:
        answers = "、".join(f"{c.name}={c.label}" for c in definition.choices.get(item.list_name, ()))
        append_row(guide, [item.name, item.label, answers or item.type])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _read_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    check_zip_bounds(content, what=_("The Excel file"))  # a zip bomb is refused before openpyxl unpacks it
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1:
                break
            rows.append((number, list(values)))
        return rows
    finally:
        workbook.close()


def _header_map(definition_items: dict[str, str], headers: list[Any]) -> tuple[dict[int, str], dict[str, int]]:
    """Column index → question name, and the index of each special column."""
    by_label = {label: name for name, label in definition_items.items()}
    questions: dict[int, str] = {}
    special: dict[str, int] = {}
    for index, header in enumerate(headers):
        text = str(header).strip() if header is not None else ""
        if not text:
            continue
        if text.lower() in IDENTITY_HEADERS:
            special["identity"] = index
        elif text.lower() in SUPERVISEE_HEADERS:
            special["supervisee"] = index
        elif text.lower() in RECEIVED_HEADERS:
            special["received"] = index
        elif text in definition_items:
            questions[index] = text
        elif text in by_label:
            questions[index] = by_label[text]
    return questions, special


def _cell(values: list[Any], index: int | None) -> Any:
    if index is None or index >= len(values):
        return None
    return values[index]


def _find_supervisee(scope: Any, values: list[Any], special: dict[str, int]) -> Supervisee | str:
    identity = _cell(values, special.get("identity"))
    if identity not in (None, ""):
        text = normalise(str(identity))
        found = scope.filter(identity_number_index=blind_index(text)).first()
        return found or _("No supervisee with identity number %(masked)s among the people you may see.") % {
            "masked": Supervisee.mask_identity(text)
        }
    given = _cell(values, special.get("supervisee"))
    if given not in (None, ""):
        try:
            pk = int(float(str(given)))
        except ValueError:
            return _("The supervisee id “%(value)s” is not a number.") % {"value": given}
        found = scope.filter(pk=pk).first()
        return found or _("No supervisee with id %(value)s among the people you may see.") % {"value": pk}
    return _("Neither an identity number nor a supervisee id is given.")


def _received_on(value: Any, default: dt.date) -> dt.date | str:
    if value in (None, ""):
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return _("The date received “%(value)s” is not a date like 2026-09-30.") % {"value": value}


def import_paper_questionnaires(
    *, actor: Actor, version: InstrumentVersion, content: bytes, file_name: str, received_on: dt.date | None = None
) -> PaperImportResult:
    """Score every good row, report every bad one. `version` must come from the actor's scope."""
    user = actor.user
    if user is None or not can_assess(user):
        raise ValidationError(_("You may not carry out assessments."))
    try:
        rows = _read_rows(content)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as error:
        raise ValidationError(_("This is not an Excel workbook (.xlsx) that can be read.")) from error
    definition = version.parsed
    if not rows:
        raise ValidationError(_("The sheet is empty."))
    questions, special = _header_map({item.name: item.label for item in definition.questions}, rows[0][1])
    if "identity" not in special and "supervisee" not in special:
        raise ValidationError(
            _("The first row must have a column 身份证号 (identity number) or 矫正对象编号 (supervisee id).")
        )
    if not questions:
        raise ValidationError(_("No column of the first row matches a question of this instrument."))
    missing = [item.name for item in definition.questions if item.name not in questions.values()]
    default_day = received_on or timezone.localdate()
    scope = supervisees_visible_to(user)
    calendar = WorkingDayCalendar.load()
    result = PaperImportResult(
        record=PaperImport(instrument_version=version, uploaded_by=user, file_name=file_name[:200])
    )
    total = 0
    for number, values in rows[1:]:
        if all(value in (None, "") for value in values):
            continue
        total += 1
        found = _find_supervisee(scope, values, special)
        if isinstance(found, str):
            result.problems.append({"row": number, "reason": found})
            continue
        day = _received_on(_cell(values, special.get("received")), default_day)
        if isinstance(day, str):
            result.problems.append({"row": number, "reason": day})
            continue
        if Assessment.objects.filter(
            supervisee=found,
            instrument_version__instrument=version.instrument,
            received_on=day,
            status=AssessmentStatus.SUBMITTED,
        ).exists():
            result.problems.append(
                {
                    "row": number,
                    "reason": _("Already imported: %(name)s has a scored questionnaire received on %(day)s.")
                    % {"name": found.name, "day": day.isoformat()},
                }
            )
            continue
        answers = {name: values[index] if index < len(values) else None for index, name in questions.items()}
        try:
            with transaction.atomic():
                assessment = take_assessment(
                    actor=actor,
                    supervisee=found,
                    instrument=version,
                    answers=answers,
                    mode=AssessmentMode.PAPER,
                    received_on=day,
                    calendar=calendar,
                )
        except AnswersIncomplete as error:
            reasons = [f"{name}：{message}" for name, message in error.evaluation.errors.items()]
            result.problems.append({"row": number, "reason": "；".join(reasons)})
            continue
        except ValidationError as error:
            result.problems.append({"row": number, "reason": "；".join(error.messages)})
            continue
        result.created.append(assessment)
    record = result.record
    record.total_rows = total
    record.imported_rows = len(result.created)
    record.problems = result.problems
    if missing:
        record.problems = [
            {
                "row": 1,
                "reason": _("Columns not in the sheet (left unanswered): %(names)s") % {"names": ", ".join(missing)},
            },
            *result.problems,
        ]
    record.save()
    result.problems = record.problems
    record_event(
        actor,
        action=Action.IMPORT,
        target=record,
        detail={"rows": total, "imported": len(result.created), "refused": total - len(result.created)},
    )
    return result
