"""Importing ledger records from Excel, with errors reported per row and column in words a clerk
understands. Every row goes through services.record_service (same rules as the page).

By default nothing is written unless every row is right; the clerk may choose to import the
valid rows and skip the others. A row already in the ledger (same project, kind, date, topic
and attendees) is reported and skipped, so the same file can be imported again after fixing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from zhengtu.audit.models import Action
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.archives import ArchiveTooLarge, check_zip_bounds
from zhengtu.privacy.crypto import blind_index
from zhengtu.projects.models import ServiceProject
from zhengtu.supervisees.selectors import supervisees_visible_to

from . import ledger_columns as columns
from .models import RecordSource, ServiceKind, ServiceMode, ServiceRecord, VisitType
from .rules import import_aliases, import_kind_aliases, import_max_rows
from .services import record_service

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.supervisees.models import Supervisee

IDENTITY_NUMBER = re.compile(r"^\d{17}[\dXx]$")
SEPARATORS = re.compile(r"[、,，;；\s]+")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number, as the clerk sees it
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return len({e.row for e in self.errors})


class RowProblem(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise RowProblem(
        columns.heading("held_on"), _("“%(value)s” is not a date (write e.g. 2026-03-05).") % {"value": text}
    )


def _choice(value: Any, words: dict[str, str], field_name: str, *, default: str = "") -> str:
    text = _text(value)
    if not text:
        if default:
            return default
        raise RowProblem(columns.heading(field_name), _("This cell is empty."))
    found = words.get(columns.normalise(text))
    if found is None:
        allowed = "、".join(sorted({k for k in words if not k.isascii()}))
        raise RowProblem(
            columns.heading(field_name),
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed},
        )
    return found


def _hours(value: Any) -> Decimal:
    text = _text(value).removesuffix("小时").removesuffix("h").strip()
    try:
        hours = Decimal(text)
    except InvalidOperation as error:
        raise RowProblem(
            columns.heading("duration_hours"), _("“%(value)s” is not a number of hours.") % {"value": _text(value)}
        ) from error
    return hours.quantize(Decimal("0.1"))


class PeopleFinder:
    """Finds supervisees named in a cell among those the importing user may see."""

    def __init__(self, user: User) -> None:
        self.visible = supervisees_visible_to(user)
        self.cache: dict[str, list[Supervisee]] = {}

    def find(self, token: str) -> list[Supervisee]:
        if token not in self.cache:
            if IDENTITY_NUMBER.match(token):
                found = self.visible.filter(identity_number_index=blind_index(token))
            else:
                found = self.visible.filter(name=token)
            self.cache[token] = list(found[:2])
        return self.cache[token]

    def resolve(self, value: Any, numbers: Any = None) -> list[Supervisee]:
        tokens = [t for t in SEPARATORS.split(_text(value)) if t]
        if _text(numbers):
            return self._by_numbers(_text(numbers), tokens)
        if not tokens:
            raise RowProblem(columns.heading("attendees"), _("Write the names of the supervisees who took part."))
        people: list[Supervisee] = []
        for token in tokens:
            found = self.find(token)
            if not found:
                raise RowProblem(
                    columns.heading("attendees"),
                    _("No supervisee called “%(name)s” among the people you work with.") % {"name": token},
                )
            if len(found) > 1:
                raise RowProblem(
                    columns.heading("attendees"),
                    _("More than one supervisee is called “%(name)s”: write the identity number instead.")
                    % {"name": token},
                )
            if found[0] not in people:
                people.append(found[0])
        return people

    def _by_numbers(self, text: str, names: list[str]) -> list[Supervisee]:
        column = columns.heading("attendee_numbers")
        try:
            numbers = list(dict.fromkeys(int(part) for part in SEPARATORS.split(text) if part))
        except ValueError as error:
            raise RowProblem(column, _("Write the numbers as digits separated by commas.")) from error
        found = {p.pk: p for p in self.visible.filter(pk__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise RowProblem(
                column,
                _("Supervisee #%(id)s is not among the supervisees you work with.") % {"id": missing[0]},
            )
        people = [found[n] for n in numbers]
        if names and sorted(names) != sorted(p.name for p in people):
            raise RowProblem(
                columns.heading("attendees"),
                _("The names do not match the supervisee numbers; correct one or empty the numbers column."),
            )
        return people


def _is_duplicate(project: ServiceProject | None, values: dict[str, Any], people: list[Supervisee]) -> bool:
    candidates = ServiceRecord.objects.filter(
        project=project, kind=values["kind"], held_on=values["held_on"], topic=values["topic"]
    ).prefetch_related("attendances")
    wanted = {p.pk for p in people}
    return any({a.supervisee_id for a in record.attendances.all()} == wanted for record in candidates)


def _field_heading(field_name: str) -> str:
    known = dict(columns.IMPORT_COLUMNS)
    return str(known[field_name]) if field_name in known else ""


def _read_rows(handle: IO[bytes]) -> list[tuple[int, tuple[Any, ...]]]:
    from openpyxl import load_workbook

    check_zip_bounds(handle, what=_("The Excel file"))  # a zip bomb is refused before openpyxl unpacks it
    workbook = load_workbook(handle, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = [(index, tuple(row)) for index, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    workbook.close()
    return rows


def import_ledger(
    *, actor: Actor, file: IO[bytes], project: ServiceProject | None = None, skip_invalid: bool = False
) -> ImportResult:
    user = actor.user
    if user is None:
        raise PermissionDenied
    with translation.override(settings.LANGUAGE_CODE):
        result = _import(actor=actor, user=user, file=file, project=project, skip_invalid=skip_invalid)
    record_event(
        actor,
        action=Action.IMPORT,
        target=project,
        object_type="" if project else "services.servicerecord",
        detail={
            "rows": result.rows,
            "created": result.created,
            "duplicates": result.duplicates,
            "errors": len(result.errors),
            "skip_invalid": skip_invalid,
        },
    )
    return result


def _import(
    *, actor: Actor, user: User, file: IO[bytes], project: ServiceProject | None, skip_invalid: bool
) -> ImportResult:
    result = ImportResult()
    try:
        rows = _read_rows(file)
    except ArchiveTooLarge as error:
        result.errors.append(RowError(0, "", " ".join(error.messages)))
        return result
    except Exception:  # noqa: BLE001 - any unreadable upload is the same problem for the clerk
        result.errors.append(RowError(0, "", _("The file cannot be read as an Excel workbook (.xlsx).")))
        return result
    known = columns.headings_by_text()
    header_row, positions = 0, {}
    for number, row in rows[:10]:
        found = {
            known[columns.normalise(_text(cell))]: i
            for i, cell in enumerate(row)
            if columns.normalise(_text(cell)) in known
        }
        if len(found) >= 3:
            header_row, positions = number, found
            break
    missing = [columns.heading(f) for f in columns.REQUIRED if f not in positions]
    if missing:
        result.errors.append(
            RowError(0, "", _("The sheet has no columns called: %(columns)s.") % {"columns": "、".join(missing)})
        )
        return result
    data_rows = [(n, r) for n, r in rows if n > header_row and any(_text(c) for c in r)]
    if len(data_rows) > import_max_rows():
        result.errors.append(
            RowError(0, "", _("The file has more than %(max)s rows; split it.") % {"max": import_max_rows()})
        )
        return result
    kinds, modes = columns.choice_words(ServiceKind), columns.choice_words(ServiceMode)
    kinds.update({columns.normalise(word): code for word, code in import_kind_aliases().items()})
    modes.update({columns.normalise(word): code for word, code in import_aliases().items()})
    visit_types = columns.choice_words(VisitType)
    finder = PeopleFinder(user)

    def cell(row: tuple[Any, ...], name: str) -> Any:
        index = positions.get(name)
        return row[index] if index is not None and index < len(row) else None

    with transaction.atomic():
        for number, row in data_rows:
            result.rows += 1
            try:
                values: dict[str, Any] = {
                    "held_on": _date(cell(row, "held_on")),
                    "kind": _choice(cell(row, "kind"), kinds, "kind"),
                    "topic": _text(cell(row, "topic")),
                    "duration_hours": _hours(cell(row, "duration_hours")),
                    "lecturer": _text(cell(row, "lecturer")),
                    "place": _text(cell(row, "place")),
                    "summary": _text(cell(row, "summary")),
                    "materials": _text(cell(row, "materials")),
                }
                values["mode"] = _choice(cell(row, "mode"), modes, "mode", default=ServiceMode.GROUP)
                if values["kind"] == ServiceKind.VISIT:
                    values["visit_type"] = _choice(cell(row, "visit_type"), visit_types, "visit_type")
                people = finder.resolve(cell(row, "attendees"), cell(row, "attendee_numbers"))
            except RowProblem as problem:
                result.errors.append(RowError(number, problem.column, problem.message))
                continue
            if _is_duplicate(project, values, people):
                result.duplicates += 1
                result.errors.append(
                    RowError(number, "", _("This record is already in the ledger; the row was skipped."))
                )
                continue
            try:
                with transaction.atomic():
                    record_service(actor=actor, project=project, attendees=people, source=RecordSource.IMPORT, **values)
            except ValidationError as error:
                for field_name, messages in (
                    error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
                ):
                    for message in messages:
                        result.errors.append(RowError(number, _field_heading(field_name), message))
                continue
            result.created += 1
        real_errors = len(result.errors) - result.duplicates
        if real_errors and not skip_invalid:
            transaction.set_rollback(True)
            result.created = 0
    return result
