"""Importing rosters from Excel (.xlsx) and CSV (UTF-8, GBK/GB18030 as Excel saves it).

Every bad row is reported with its row number (as Excel shows it) and its reasons; every good
row is registered through services.create_supervisee in its own savepoint, so a row is either
wholly written or not at all (partial-import mode: good rows are registered, bad rows listed for
correction). One IMPORT entry in the audit log sums the run up.

The file is read and every row converted and checked with no transaction open, then the good rows
are written in short transactions of `IMPORT_BATCH_ROWS` rows, so the SQLite write lock is held
for about a second at a time, never for the whole file: other people's saves and device fixes go
on meanwhile. A run interrupted half-way keeps the batches already written; importing the same
file again refuses those rows as duplicates (their identity numbers exist) and registers the rest.
Before anything parses an .xlsx, its zip directory is checked (zhengtu.core.archives) and the rows
and columns read are bounded, so a "zip bomb" or a sheet claiming a million rows is refused at
once. Files above `IMPORT_BACKGROUND_ABOVE_BYTES` are imported as a background job with a
progress page (zhengtu.workspace.background).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhengtu.audit.models import Action, Outcome
from zhengtu.audit.services import Actor, record_event
from zhengtu.core.archives import check_zip_bounds
from zhengtu.orgs.divisions import is_division_code
from zhengtu.orgs.models import Division, Organisation
from zhengtu.privacy.crypto import blind_index

from . import services
from .columns import COLUMNS, COLUMNS_BY_KEY, Column, choice_lookup, header_lookup, normalise_header
from .identity import normalise, parse_identity_number
from .rules import (
    import_background_above_bytes,
    import_batch_rows,
    import_max_bytes,
    import_max_rows,
    import_max_unpacked_bytes,
    responsible_office_kinds,
)
from .selectors import organisations_visible_to

if TYPE_CHECKING:
    from zhengtu.accounts.models import User
    from zhengtu.workspace.models import Job

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "累犯"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", ""}


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the clerk."""


@dataclass
class RowError:
    row: int
    name: str
    reasons: list[str]


@dataclass
class ImportResult:
    file_name: str
    rows: int = 0
    imported: list[tuple[int, int, str]] = field(default_factory=list)  # (row, supervisee id, name)
    errors: list[RowError] = field(default_factory=list)
    file_problem: str = ""
    ignored_headers: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading the file into rows of cells.


MAX_COLUMNS = 200  # the template has fewer than 40; a sheet claiming 16,384 columns is not padded to them
BLANK_ROWS_ALLOWED = 1_000  # blank rows between data rows that are skipped before the file is refused


def _max_row_number() -> int:
    return import_max_rows() + HEADER_SEARCH_ROWS + BLANK_ROWS_ALLOWED


def _too_many_rows() -> FileProblem:
    return FileProblem(
        _("The file has more than %(max)d rows; at most %(max)d can be imported at once.") % {"max": import_max_rows()}
    )


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        check_zip_bounds(content, max_uncompressed=import_max_unpacked_bytes(), what=_("The Excel file"))
    except ValidationError as error:
        raise FileProblem(" ".join(error.messages)) from error
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(_("The Excel file cannot be opened; is it damaged?")) from error
    try:
        sheet = workbook.worksheets[0]
        limit = _max_row_number()
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            if number > limit:
                raise _too_many_rows()
            yield number, list(row)
    finally:
        workbook.close()


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without BOM) first; otherwise GB18030, which covers GBK as Excel saves it."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as error:
        raise FileProblem(_("The CSV file is neither UTF-8 nor GBK text.")) from error


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        limit = _max_row_number()
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if number > limit:
                raise _too_many_rows()
            yield number, list(row[:MAX_COLUMNS])
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error


def read_rows(file_name: str, content: bytes) -> Iterator[tuple[int, list[Any]]]:
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(content)
    if suffix in (".csv", ".txt"):
        return _csv_rows(content)
    if suffix == ".xls":
        raise FileProblem(_("Old .xls files cannot be read: in Excel, save as .xlsx (or CSV) and import that."))
    raise FileProblem(_("Import an Excel (.xlsx) or CSV file."))


# ---------------------------------------------------------------------------------------------
# Turning cells into values for create_supervisee.


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise ValueError(text)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float) and float(value).is_integer() and value >= 0:
        return int(value)
    text = _text(value)
    if re.fullmatch(r"\d{1,5}", text):
        return int(text)
    raise ValueError(text)


class RowReader:
    """Converts one row's cells; lookups (offices, divisions) are cached across rows."""

    def __init__(self, *, actor: Actor, default_office: Organisation | None) -> None:
        self.default_office = default_office
        offices = Organisation.objects.filter(kind__in=responsible_office_kinds(), is_active=True)
        if actor.user is not None:
            offices = offices.filter(pk__in=organisations_visible_to(actor.user).values("pk"))
        self.offices_by_id = {o.pk: o for o in offices}
        self.offices_by_name: dict[str, list[Organisation]] = {}
        for office in self.offices_by_id.values():
            self.offices_by_name.setdefault(office.name, []).append(office)
        self.divisions: dict[str, Division | None] = {}
        self.choices = {c.key: choice_lookup(c) for c in COLUMNS if c.kind == "choice"}

    def office(self, text: str) -> Organisation:
        if text.isdigit() and int(text) in self.offices_by_id:
            return self.offices_by_id[int(text)]
        matches = self.offices_by_name.get(text, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValueError(
                _("several offices are called “%(name)s”: write the office number instead") % {"name": text}
            )
        raise ValueError(_("office “%(name)s” is unknown or outside your area") % {"name": text})

    def division(self, text: str) -> Division:
        if text not in self.divisions:
            if is_division_code(text):
                self.divisions[text] = Division.objects.filter(code=text).first()
            else:
                self.divisions[text] = Division.objects.filter(full_name=text).order_by("code").first()
        division = self.divisions[text]
        if division is None:
            raise ValueError(_("division “%(code)s” is unknown") % {"code": text})
        return division

    def cell(self, column: Column, raw: Any) -> Any:
        if column.key == "identity_number":
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                # Excel keeps 15 significant digits: the last digits of the number are lost.
                raise ValueError(
                    _(
                        "Excel stored the identity number as a number and lost its last digits: format the column as text and type it again"
                    )
                )
            return normalise(_text(raw))
        if column.kind == "date":
            try:
                return _date(raw)
            except ValueError:
                raise ValueError(_("“%(value)s” is not a date (write 2026-01-05)") % {"value": _text(raw)}) from None
        if column.kind == "int":
            try:
                return _int(raw)
            except ValueError:
                raise ValueError(_("“%(value)s” is not a whole number") % {"value": _text(raw)}) from None
        text = _text(raw)
        if column.kind == "bool":
            if text.lower() in TRUE_WORDS:
                return True
            if text.lower() in FALSE_WORDS:
                return False
            raise ValueError(_("write 是 or 否, not “%(value)s”") % {"value": text})
        if column.kind == "choice":
            value = self.choices[column.key].get(text) or self.choices[column.key].get(text.lower())
            if value is None:
                raise ValueError(_("“%(value)s” is not one of the allowed values") % {"value": text})
            return value
        if column.kind == "division":
            return self.division(text)
        if column.kind == "office":
            return self.office(text)
        return text

    def values(self, cells: dict[Column, Any]) -> tuple[dict[str, Any], list[str]]:
        values: dict[str, Any] = {}
        reasons: list[str] = []
        for column in COLUMNS:
            raw = cells.get(column)
            if _text(raw) == "":
                if column.key == "responsible_office" and self.default_office is not None:
                    values[column.key] = self.default_office
                elif column.required or column.key == "responsible_office":
                    reasons.append(_("%(column)s is missing") % {"column": column.header})
                continue
            try:
                values[column.key] = self.cell(column, raw)
            except ValueError as error:
                reasons.append(f"{column.header}：{error}")
        return values, reasons


def _reasons_from(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    reasons = []
    for key, messages in error.message_dict.items():
        column = COLUMNS_BY_KEY.get(key)
        for message in messages:
            reasons.append(f"{column.header}：{message}" if column else message)
    return reasons


# ---------------------------------------------------------------------------------------------
# The import.


HEADER_SEARCH_ROWS = 10  # rosters often start with a title row or two above the headers


def _map_headers(header_row: list[Any]) -> tuple[dict[int, Column], list[str], list[str]]:
    lookup = header_lookup()
    positions: dict[int, Column] = {}
    ignored: list[str] = []
    for index, text in enumerate(header_row):
        column = lookup.get(normalise_header(text))
        if column is None:
            if _text(text):
                ignored.append(_text(text))
        elif column not in positions.values():
            positions[index] = column
    missing = [c.header for c in COLUMNS if c.required and c not in positions.values()]
    return positions, ignored, missing


def _find_header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[dict[int, Column], list[str]]:
    """The first row that names every required column; rows above it (titles) are skipped."""
    fewest_missing: list[str] | None = None
    for _index, (_number, cells) in zip(range(HEADER_SEARCH_ROWS), rows, strict=False):
        positions, ignored, missing = _map_headers(cells)
        if not missing:
            return positions, ignored
        if fewest_missing is None or len(missing) < len(fewest_missing):
            fewest_missing = missing
    if fewest_missing is None:
        raise FileProblem(_("The file is empty."))
    raise FileProblem(
        _("The file lacks these columns: %(columns)s. Start from the template.")
        % {"columns": "、".join(fewest_missing)}
    )


@dataclass
class CheckedRow:
    number: int
    name: str
    values: dict[str, Any]
    reasons: list[str]


ProgressCallback = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, stage: str) -> None:
    return None


def _read_and_check(
    *, actor: Actor, file_name: str, content: bytes, default_office: Organisation | None
) -> tuple[list[CheckedRow], list[str]]:
    """Parse the file and convert every row (no transaction: reads only). Raises FileProblem."""
    if len(content) > import_max_bytes():
        raise FileProblem(_("The file is too large: at most %(mb)d MB.") % {"mb": import_max_bytes() // (1024 * 1024)})
    rows = _non_empty(read_rows(file_name, content))
    positions, ignored_headers = _find_header(rows)
    data_rows = list(rows)
    if len(data_rows) > import_max_rows():
        raise FileProblem(
            _("The file has %(n)d rows; at most %(max)d can be imported at once.")
            % {"n": len(data_rows), "max": import_max_rows()}
        )
    reader = RowReader(actor=actor, default_office=default_office)
    seen: dict[str, int] = {}  # blind index of an identity number → first row with it
    checked = []
    for number, cells in data_rows:
        by_column = {column: cells[i] for i, column in positions.items() if i < len(cells)}
        values, reasons = reader.values(by_column)
        identity = values.get("identity_number")
        if identity:
            try:
                key = blind_index(parse_identity_number(identity).value)
            except ValidationError:
                key = ""
            if key and key in seen:
                reasons.append(_("identity number repeats row %(row)d of this file") % {"row": seen[key]})
            elif key:
                seen[key] = number
        checked.append(CheckedRow(number=number, name=str(values.get("name", "")), values=values, reasons=reasons))
    return checked, ignored_headers


def import_supervisees(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    default_office: Organisation | None = None,
    progress: ProgressCallback = _no_progress,
) -> ImportResult:
    """Import a roster: read and check with no transaction open, then write good rows in short batches."""
    result = ImportResult(file_name=PurePath(file_name).name)
    progress(0, 0, _("Reading the file"))
    try:
        checked, result.ignored_headers = _read_and_check(
            actor=actor, file_name=file_name, content=content, default_office=default_office
        )
    except FileProblem as problem:
        result.file_problem = str(problem)
        record_event(
            actor,
            action=Action.IMPORT,
            object_type="supervisees.supervisee",
            outcome=Outcome.FAILURE,
            detail={"file": result.file_name, "problem": result.file_problem},
        )
        return result

    result.rows = len(checked)
    batch = import_batch_rows()
    for start in range(0, len(checked), batch):
        progress(start, len(checked), _("Registering rows"))
        with transaction.atomic():  # one short write transaction per batch
            for row in checked[start : start + batch]:
                _register(actor, row, result)
    progress(len(checked), len(checked), _("Done"))
    result.errors.sort(key=lambda error: error.row)

    record_event(
        actor,
        action=Action.IMPORT,
        object_type="supervisees.supervisee",
        detail={
            "file": result.file_name,
            "rows": result.rows,
            "imported": len(result.imported),
            "rejected": len(result.errors),
            "rejected_rows": [e.row for e in result.errors][:500],
        },
    )
    return result


def _register(actor: Actor, row: CheckedRow, result: ImportResult) -> None:
    reasons = row.reasons
    if not reasons:
        try:
            with transaction.atomic():
                supervisee = services.create_supervisee(actor=actor, **row.values)
        except ValidationError as error:
            reasons = _reasons_from(error)
        except IntegrityError:
            reasons = [_("the row conflicts with a record saved meanwhile; import it again")]
        else:
            result.imported.append((row.number, supervisee.pk, supervisee.name))
    if reasons:
        result.errors.append(RowError(row=row.number, name=row.name, reasons=reasons))


# ---------------------------------------------------------------------------------------------
# Big files: a background job with a progress page.


def runs_in_background(content: bytes) -> bool:
    return len(content) > import_background_above_bytes()


def start_import_job(*, user: User, file_name: str, content: bytes, default_office: Organisation | None) -> Job:
    from zhengtu.workspace.background import start_job

    name = PurePath(file_name).name
    return start_job(
        owner=user,
        kind="supervisees.import",
        label=_("Import of %(file)s") % {"file": name},
        runner="zhengtu.supervisees.importing.run_import_job",
        arguments={"file_name": name, "office": default_office.pk if default_office else None},
        input_name=name,
        input_content=content,
    )


def run_import_job(job: Job, progress: ProgressCallback) -> None:
    """The background runner: the same import, its result kept on the job for the result page."""
    from django.urls import reverse

    office_pk = job.arguments.get("office")
    with job.input_file.open("rb") as handle:
        content = handle.read()
    result = import_supervisees(
        actor=Actor(user=job.owner),
        file_name=job.arguments["file_name"],
        content=content,
        default_office=Organisation.objects.filter(pk=office_pk).first() if office_pk else None,
        progress=progress,
    )
    job.result = asdict(result)
    job.result_url = reverse("supervisees:import_job_result", args=[job.pk])


def result_from_job(job: Job) -> ImportResult:
    data = dict(job.result)
    data["errors"] = [RowError(**error) for error in data.get("errors", [])]
    data["imported"] = [tuple(item) for item in data.get("imported", [])]
    return ImportResult(**data)


def _non_empty(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    for number, cells in rows:
        if any(_text(c) for c in cells):
            yield number, cells
