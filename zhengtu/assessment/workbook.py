"""Reading an instrument workbook: XLSForm (survey, choices, settings) plus Zhengtu's scoring columns.

survey    type, name, label, hint, required, relevant, constraint, constraint_message, calculation,
          and for scoring: domain, reverse (yes/no), critical (an expression on "."), critical_message
choices   list_name, name, label, score
settings  form_title, form_id, version, and: kind (risk_needs / psychological / other), description,
          sensitive, example, placeholder_texts, show_to_supervisee (yes/no), level_target (default
          total), positive_item_score
domains   name, label, group (static / dynamic), method (sum / mean / percent), need (yes/no),
          measures, order
cutoffs   target (total, a metric, a domain name, or "domain" for every domain), sex (blank, male,
          female), min, max, condition, level, label, rank, supervision_level, measures,
          supervisee_note. Rows are tried in sheet order; the first that matches wins.

A bad workbook is refused with every problem found (sheet, row, column, reason), not just the first.
pyxform then checks the XLSForm part as a final step.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from zhengtu.supervisees.models import Sex, SupervisionLevel

from .definition import (
    DOMAIN_GROUPS,
    DOMAIN_METHODS,
    EVERY_DOMAIN,
    INSTRUMENT_KINDS,
    METRICS,
    SCORABLE_TYPES,
    Choice,
    Cutoff,
    Domain,
    Group,
    InstrumentDefinition,
    Item,
)
from .expressions import ExpressionError, parse, references
from .workbook_sheets import Problem, Sheet, SheetRow, WorkbookRejected, load_sheets

NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,49}$")
LEVEL_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{1,30}$")
YES = {"yes", "true", "true()", "1", "是", "y"}
NO = {"", "no", "false", "false()", "0", "否", "n"}
SEX_WORDS = {
    "": "",
    "male": Sex.MALE,
    "男": Sex.MALE,
    "m": Sex.MALE,
    "female": Sex.FEMALE,
    "女": Sex.FEMALE,
    "f": Sex.FEMALE,
}


class _Reader:
    def __init__(self, sheets: dict[str, Sheet]) -> None:
        self.sheets = sheets
        self.problems: list[Problem] = []

    def problem(self, sheet: str, row: SheetRow | None, column: str, message: str) -> None:
        self.problems.append(
            Problem(
                sheet=sheet,
                row=row.number if row else None,
                column=row.column(column) if row else column,
                message=message,
            )
        )

    def flag(self, sheet: str, row: SheetRow, column: str) -> bool:
        text = row.text(column).lower()
        if text in YES:
            return True
        if text not in NO:
            self.problem(sheet, row, column, _("Write yes or no."))
        return False

    def number(self, sheet: str, row: SheetRow, column: str) -> float | None:
        text = row.text(column)
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            self.problem(sheet, row, column, _("“%(value)s” is not a number.") % {"value": text})
            return None

    def expression(self, sheet: str, row: SheetRow, column: str, allowed: set[str]) -> str:
        text = row.text(column)
        if not text:
            return ""
        try:
            node = parse(text)
        except ExpressionError as error:
            self.problem(sheet, row, column, _("The expression cannot be read: %(error)s") % {"error": error})
            return text
        unknown = sorted(references(node) - allowed)
        if unknown:
            self.problem(
                sheet,
                row,
                column,
                _("The expression refers to unknown names: %(names)s.") % {"names": ", ".join(unknown)},
            )
        return text

    # ------------------------------------------------------------ sheets

    def read(self) -> InstrumentDefinition | None:
        for required in ("survey", "settings"):
            if required not in self.sheets:
                self.problem(required, None, "", _("The workbook has no “%(sheet)s” sheet.") % {"sheet": required})
        if self.problems:
            return None
        settings = self._settings()
        choices = self._choices()
        domains = self._domains()
        items, groups = self._survey(choices, {d.name for d in domains} if "domains" in self.sheets else None)
        if "domains" not in self.sheets:
            used = list(dict.fromkeys(item.domain for item in items if item.domain))
            domains = [Domain(name=name, label=name, order=index) for index, name in enumerate(used)]
        self._check_names(items, domains)
        item_names = {item.name for item in items}
        cutoffs = self._cutoffs(item_names, {d.name for d in domains})
        level_target = settings.get("level_target") or "total"
        targets = {"total", *METRICS, *(d.name for d in domains)}
        if level_target not in targets:
            self.problem(
                "settings",
                None,
                "level_target",
                _("“%(name)s” is neither a metric nor a domain.") % {"name": level_target},
            )
        if cutoffs and not any(c.target == level_target for c in cutoffs):
            self.problem(
                "cutoffs",
                None,
                "target",
                _("No cut-off rows for the level target “%(name)s”.") % {"name": level_target},
            )
        if self.problems:
            return None
        return InstrumentDefinition(
            code=settings["code"],
            title=settings["title"],
            version=settings["version"],
            kind=settings["kind"],
            description=settings["description"],
            sensitive=settings["sensitive"],
            example=settings["example"],
            placeholder_texts=settings["placeholder_texts"],
            show_to_supervisee=settings["show_to_supervisee"],
            level_target=level_target,
            positive_item_score=settings["positive_item_score"],
            items=tuple(items),
            groups=groups,
            choices=choices,
            domains=tuple(sorted(domains, key=lambda d: d.order)),
            cutoffs=tuple(cutoffs),
        )

    def _settings(self) -> dict[str, Any]:
        sheet = self.sheets["settings"]
        found: dict[str, Any] = {
            "code": "",
            "title": "",
            "version": "",
            "kind": "other",
            "description": "",
            "sensitive": False,
            "example": False,
            "placeholder_texts": False,
            "show_to_supervisee": False,
            "level_target": "",
            "positive_item_score": None,
        }
        if not sheet.rows:
            self.problem(
                "settings", None, "", _("The settings sheet needs a row with form_title, form_id and version.")
            )
            return found
        row = sheet.rows[0]
        found["title"] = row.text("form_title")
        found["code"] = row.text("form_id").lower()
        found["version"] = row.text("version")
        if not found["title"]:
            self.problem("settings", row, "form_title", _("The title is missing."))
        if not CODE_PATTERN.match(found["code"]):
            self.problem("settings", row, "form_id", _("The form_id must be lower-case letters, digits, “_” or “-”."))
        if not found["version"] or len(found["version"]) > 30:
            self.problem("settings", row, "version", _("Give a version of at most 30 characters."))
        kind = row.text("kind") or "other"
        if kind not in INSTRUMENT_KINDS:
            self.problem(
                "settings",
                row,
                "kind",
                _("The kind must be one of: %(kinds)s.") % {"kinds": ", ".join(INSTRUMENT_KINDS)},
            )
        found["kind"] = kind
        found["description"] = row.text("description")
        for key in ("sensitive", "example", "placeholder_texts", "show_to_supervisee"):
            found[key] = self.flag("settings", row, key)
        if kind == "psychological":
            found["sensitive"] = True
        found["level_target"] = row.text("level_target")
        found["positive_item_score"] = self.number("settings", row, "positive_item_score")
        return found

    def _choices(self) -> dict[str, tuple[Choice, ...]]:
        sheet = self.sheets.get("choices")
        if sheet is None:
            return {}
        for column in ("list_name", "name", "label"):
            if sheet.rows and not sheet.has(column):
                self.problem("choices", None, column, _("The column “%(column)s” is missing.") % {"column": column})
        lists: dict[str, list[Choice]] = {}
        for row in sheet.rows:
            list_name, name, label = row.text("list_name"), row.text("name"), row.text("label")
            if not list_name:
                self.problem("choices", row, "list_name", _("The list name is missing."))
                continue
            if not name:
                self.problem("choices", row, "name", _("The choice name is missing."))
                continue
            if not label:
                self.problem("choices", row, "label", _("The choice label is missing."))
            if any(choice.name == name for choice in lists.get(list_name, [])):
                self.problem(
                    "choices", row, "name", _("The choice “%(name)s” appears twice in this list.") % {"name": name}
                )
                continue
            lists.setdefault(list_name, []).append(
                Choice(name=name, label=label, score=self.number("choices", row, "score"))
            )
        return {name: tuple(choices) for name, choices in lists.items()}

    def _domains(self) -> list[Domain]:
        sheet = self.sheets.get("domains")
        if sheet is None:
            return []
        domains: list[Domain] = []
        for index, row in enumerate(sheet.rows):
            name = row.text("name")
            if not NAME_PATTERN.match(name):
                self.problem("domains", row, "name", _("A domain needs a name of letters, digits and “_”."))
                continue
            if any(d.name == name for d in domains):
                self.problem("domains", row, "name", _("The domain “%(name)s” appears twice.") % {"name": name})
                continue
            method = row.text("method").lower() or "sum"
            if method not in DOMAIN_METHODS:
                self.problem(
                    "domains",
                    row,
                    "method",
                    _("The method must be one of: %(methods)s.") % {"methods": ", ".join(DOMAIN_METHODS)},
                )
            group = row.text("group").lower()
            if group not in DOMAIN_GROUPS:
                self.problem("domains", row, "group", _("The group must be static, dynamic or empty."))
            need_text = row.text("need")
            order = self.number("domains", row, "order")
            domains.append(
                Domain(
                    name=name,
                    label=row.text("label") or name,
                    group=group,
                    method=method,
                    need=self.flag("domains", row, "need") if need_text else True,
                    measures=row.text("measures"),
                    order=int(order) if order is not None else index,
                )
            )
        return domains

    def _survey(
        self, choices: dict[str, tuple[Choice, ...]], domain_names: set[str] | None
    ) -> tuple[list[Item], dict[str, Group]]:
        sheet = self.sheets["survey"]
        for column in ("type", "name"):
            if not sheet.has(column):
                self.problem("survey", None, column, _("The column “%(column)s” is missing.") % {"column": column})
        rows = list(sheet.rows)
        names = [row.text("name") for row in rows if row.text("name")]
        known = set(names)
        items: list[Item] = []
        groups: dict[str, Group] = {}
        stack: list[str] = []
        seen: set[str] = set()
        for row in rows:
            type_text = " ".join(row.text("type").split())
            name = row.text("name")
            lowered = type_text.lower()
            for spaced, joined in (
                ("begin group", "begin_group"),
                ("end group", "end_group"),
                ("select one ", "select_one "),
                ("select multiple ", "select_multiple "),
            ):
                lowered = lowered.replace(spaced, joined)
            if lowered in ("end_group",):
                if not stack:
                    self.problem("survey", row, "type", _("“end group” without a matching “begin group”."))
                else:
                    stack.pop()
                continue
            if not type_text:
                self.problem("survey", row, "type", _("The type is missing."))
                continue
            if not name or not NAME_PATTERN.match(name):
                self.problem(
                    "survey", row, "name", _("A name of letters, digits and “_”, starting with a letter, is needed.")
                )
                continue
            if name in seen:
                self.problem("survey", row, "name", _("The name “%(name)s” appears twice.") % {"name": name})
                continue
            seen.add(name)
            relevant = self.expression("survey", row, "relevant", known)
            if lowered == "begin_group":
                groups[name] = Group(
                    name=name, label=row.text("label"), relevant=relevant, parent=stack[-1] if stack else ""
                )
                stack.append(name)
                continue
            item = self._item(row, lowered, name, relevant, stack[-1] if stack else "", choices, domain_names, known)
            if item is not None:
                items.append(item)
        for name in stack:
            self.problem(
                "survey", None, "type", _("The group “%(name)s” is never closed with “end group”.") % {"name": name}
            )
        return items, groups

    def _item(
        self,
        row: SheetRow,
        lowered: str,
        name: str,
        relevant: str,
        group: str,
        choices: dict[str, tuple[Choice, ...]],
        domain_names: set[str] | None,
        known: set[str],
    ) -> Item | None:
        parts = lowered.split()
        kind = parts[0]
        list_name = ""
        if kind in ("select_one", "select_multiple"):
            if len(parts) != 2:
                self.problem("survey", row, "type", _("Write the type as “%(kind)s list_name”.") % {"kind": kind})
                return None
            list_name = row.text("type").split()[-1]
            if list_name not in choices:
                self.problem(
                    "survey",
                    row,
                    "type",
                    _("The choice list “%(name)s” is not on the choices sheet.") % {"name": list_name},
                )
        elif kind not in ("integer", "decimal", "text", "date", "note", "calculate") or len(parts) != 1:
            self.problem(
                "survey",
                row,
                "type",
                _(
                    "The type “%(type)s” is not supported; use select_one, select_multiple, integer, decimal, text, date, note, calculate or groups."
                )
                % {"type": row.text("type")},
            )
            return None
        label = row.text("label")
        if not label and kind != "calculate":
            self.problem("survey", row, "label", _("The question text (label) is missing."))
        calculation = self.expression("survey", row, "calculation", known)
        if kind == "calculate" and not calculation:
            self.problem("survey", row, "calculation", _("A calculate row needs a calculation."))
        required = row.text("required")
        if required.lower() not in YES | NO:
            required = self.expression("survey", row, "required", known)
        elif required.lower() in NO:
            required = ""
        domain = row.text("domain")
        reverse = self.flag("survey", row, "reverse") if row.text("reverse") else False
        if domain:
            if domain_names is not None and domain not in domain_names:
                self.problem(
                    "survey", row, "domain", _("The domain “%(name)s” is not on the domains sheet.") % {"name": domain}
                )
            if kind not in SCORABLE_TYPES:
                self.problem("survey", row, "domain", _("Only choice and number questions can be scored."))
            elif list_name and any(c.score is None for c in choices.get(list_name, ())):
                self.problem(
                    "survey",
                    row,
                    "domain",
                    _("Every choice of the list “%(name)s” needs a score.") % {"name": list_name},
                )
        if reverse and (kind != "select_one" or not domain):
            self.problem("survey", row, "reverse", _("Only scored single-choice questions can be reverse-scored."))
        return Item(
            name=name,
            type=kind,
            label=label,
            list_name=list_name,
            hint=row.text("hint"),
            required=required,
            relevant=relevant,
            constraint=self.expression("survey", row, "constraint", known),
            constraint_message=row.text("constraint_message"),
            calculation=calculation,
            domain=domain,
            reverse=reverse,
            critical=self.expression("survey", row, "critical", known),
            critical_message=row.text("critical_message"),
            group=group,
            row=row.number,
        )

    def _check_names(self, items: list[Item], domains: list[Domain]) -> None:
        item_names = {item.name for item in items}
        for domain in domains:
            if domain.name in item_names or domain.name in METRICS or domain.name in (EVERY_DOMAIN, "value"):
                self.problem(
                    "domains",
                    None,
                    "name",
                    _("The domain name “%(name)s” is already used by a question or a metric.") % {"name": domain.name},
                )
        for item in items:
            if item.name in METRICS or item.name == "value":
                self.problem("survey", None, "name", _("“%(name)s” is a reserved name.") % {"name": item.name})
        if not any(item.is_question for item in items):
            self.problem("survey", None, "", _("The instrument has no questions."))

    def _cutoffs(self, item_names: set[str], domain_names: set[str]) -> list[Cutoff]:
        sheet = self.sheets.get("cutoffs")
        if sheet is None:
            return []
        allowed = item_names | domain_names | set(METRICS) | {"value"}
        targets = set(METRICS) | domain_names | {EVERY_DOMAIN}
        cutoffs: list[Cutoff] = []
        for row in sheet.rows:
            target = row.text("target")
            if target not in targets:
                self.problem(
                    "cutoffs", row, "target", _("“%(name)s” is neither a metric nor a domain.") % {"name": target}
                )
            sex_text = row.text("sex").lower()
            if sex_text not in SEX_WORDS:
                self.problem("cutoffs", row, "sex", _("Write male, female or leave it empty."))
            minimum = self.number("cutoffs", row, "min")
            maximum = self.number("cutoffs", row, "max")
            if minimum is not None and maximum is not None and minimum > maximum:
                self.problem("cutoffs", row, "max", _("The maximum is below the minimum."))
            level = row.text("level")
            if not LEVEL_PATTERN.match(level):
                self.problem("cutoffs", row, "level", _("A level code of letters, digits and “_” is needed."))
            label = row.text("label")
            if not label:
                self.problem("cutoffs", row, "label", _("The level label is missing."))
            rank = self.number("cutoffs", row, "rank")
            if rank is None or not float(rank).is_integer():
                self.problem("cutoffs", row, "rank", _("Give a whole-number rank (0 for the lowest level)."))
            supervision_level = row.text("supervision_level")
            if supervision_level and supervision_level not in SupervisionLevel.values:
                self.problem(
                    "cutoffs",
                    row,
                    "supervision_level",
                    _("The supervision level must be one of: %(levels)s.")
                    % {"levels": ", ".join(SupervisionLevel.values)},
                )
            cutoffs.append(
                Cutoff(
                    target=target,
                    level=level,
                    label=label,
                    rank=int(rank) if rank is not None and float(rank).is_integer() else 0,
                    sex=str(SEX_WORDS.get(sex_text, "")),
                    minimum=minimum,
                    maximum=maximum,
                    condition=self.expression("cutoffs", row, "condition", allowed),
                    supervision_level=supervision_level,
                    measures=row.text("measures"),
                    supervisee_note=row.text("supervisee_note"),
                    row=row.number,
                )
            )
        self._check_sex_coverage(cutoffs)
        return cutoffs

    def _check_sex_coverage(self, cutoffs: list[Cutoff]) -> None:
        by_target: dict[str, set[str]] = {}
        for cutoff in cutoffs:
            by_target.setdefault(cutoff.target, set()).add(cutoff.sex)
        for target, sexes in by_target.items():
            if "" in sexes:
                continue
            for sex in (Sex.MALE, Sex.FEMALE):
                if sex not in sexes:
                    self.problem(
                        "cutoffs",
                        None,
                        "sex",
                        _("The target “%(target)s” has rows for one sex only; add rows for %(sex)s or rows for both.")
                        % {"target": target, "sex": Sex(sex).label},
                    )


def _pyxform_problems(content: bytes) -> list[Problem]:
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=io.BytesIO(content), file_type=".xlsx")
    except (PyXFormError, ValueError, KeyError, TypeError) as error:
        return [Problem(sheet="", row=None, column="", message=_("XLSForm check: %(error)s") % {"error": error})]
    return []


def read_workbook(content: bytes) -> InstrumentDefinition:
    """Read and check an instrument workbook; raise WorkbookRejected listing every problem."""
    return _read_workbook(hashlib.sha256(content).hexdigest(), content)


# Shipped workbooks are read again at every `load_instruments` (idempotent) run; the definition of
# identical bytes is immutable, so a small cache saves the parse. Refusals are never cached.
@lru_cache(maxsize=16)
def _read_workbook(digest: str, content: bytes) -> InstrumentDefinition:
    try:
        sheets = load_sheets(content)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as error:
        raise WorkbookRejected(
            [
                Problem(
                    "",
                    None,
                    "",
                    _("This is not an Excel workbook (.xlsx) that can be read: %(error)s") % {"error": error},
                )
            ]
        ) from error
    reader = _Reader(sheets)
    definition = reader.read()
    if definition is None:
        raise WorkbookRejected(reader.problems)
    problems = _pyxform_problems(content)
    if problems:
        raise WorkbookRejected(problems)
    return definition
