"""Server-side evaluation of a filled questionnaire: types, skip logic, required and constraints.

The same function checks answers typed in an interview page, sent through the API, or read from
a row of a paper-questionnaire spreadsheet. Answers to questions that are not relevant are dropped,
as XLSForm clients do, so they never reach the scores.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .definition import InstrumentDefinition, Item
from .expressions import Value, evaluate, is_true, to_string

TRUE_WORDS = {"yes", "true", "true()", "1", "是", "y"}
FALSE_WORDS = {"", "no", "false", "false()", "0", "否", "n"}


@dataclass
class Evaluation:
    values: dict[str, Value] = field(default_factory=dict)  # relevant, valid answers and calculations
    relevant: dict[str, bool] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)  # what was given, as text, for redisplay

    @property
    def is_complete(self) -> bool:
        return not self.errors


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, list | tuple):
        return all(_is_blank(part) for part in value)
    return isinstance(value, str) and not value.strip()


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_as_text(part) for part in value if not _is_blank(part))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _choice_name(definition: InstrumentDefinition, item: Item, given: str) -> str | None:
    """The choice name for a value given either as the name or as the label (paper sheets use labels)."""
    choices = definition.choices.get(item.list_name, ())
    for choice in choices:
        if choice.name == given:
            return choice.name
    for choice in choices:
        if choice.label == given:
            return choice.name
    return None


def parse_answer(definition: InstrumentDefinition, item: Item, given: object) -> tuple[Value, str]:
    """(value, error message). Blank answers parse to "" without error."""
    if _is_blank(given):
        return "", ""
    if item.type == "select_one":
        name = _choice_name(definition, item, _as_text(given))
        if name is None:
            return "", _("“%(value)s” is not one of the choices.") % {"value": _as_text(given)}
        return name, ""
    if item.type == "select_multiple":
        parts = (
            given if isinstance(given, list | tuple) else _as_text(given).replace(",", " ").replace("，", " ").split()
        )
        names: list[str] = []
        for part in parts:
            if _is_blank(part):
                continue
            name = _choice_name(definition, item, _as_text(part))
            if name is None:
                return "", _("“%(value)s” is not one of the choices.") % {"value": _as_text(part)}
            if name not in names:
                names.append(name)
        return " ".join(names), ""
    if item.type in ("integer", "decimal"):
        if isinstance(given, bool):
            return "", _("Enter a number.")
        try:
            number = float(given) if isinstance(given, int | float) else float(_as_text(given))
        except ValueError:
            return "", _("Enter a number.")
        if math.isnan(number) or math.isinf(number):
            return "", _("Enter a number.")
        if item.type == "integer" and not number.is_integer():
            return "", _("Enter a whole number.")
        return number, ""
    if item.type == "date":
        if isinstance(given, dt.date):
            return _as_text(given), ""
        try:
            return dt.date.fromisoformat(_as_text(given)[:10]).isoformat(), ""
        except ValueError:
            return "", _("Enter a date as YYYY-MM-DD.")
    return _as_text(given), ""


def _flag(expression: str, values: Mapping[str, Value]) -> bool:
    text = expression.strip()
    if text.lower() in TRUE_WORDS:
        return True
    if text.lower() in FALSE_WORDS:
        return False
    return is_true(text, values)


def evaluate_answers(definition: InstrumentDefinition, given: Mapping[str, object], *, final: bool) -> Evaluation:
    """Check answers against the instrument. `final=False` (a draft) skips the `required` check."""
    result = Evaluation()
    parsed: dict[str, Value] = {}
    parse_errors: dict[str, str] = {}
    for item in definition.items:
        if not item.is_question:
            continue
        raw = given.get(item.name)
        result.raw[item.name] = _as_text(raw)
        value, error = parse_answer(definition, item, raw)
        parsed[item.name] = value
        if error:
            parse_errors[item.name] = error

    # Values visible to expressions: every parsed answer to start with; answers of questions found
    # not relevant are blanked as we go, calculations are added in order.
    values: dict[str, Value] = dict(parsed)
    group_relevance: dict[str, bool] = {}

    def group_is_relevant(name: str) -> bool:
        if not name:
            return True
        if name not in group_relevance:
            group = definition.groups[name]
            own = not group.relevant or is_true(group.relevant, values)
            group_relevance[name] = own and group_is_relevant(group.parent)
        return group_relevance[name]

    for item in definition.items:
        relevant = group_is_relevant(item.group) and (not item.relevant or is_true(item.relevant, values))
        result.relevant[item.name] = relevant
        if item.type == "calculate":
            values[item.name] = evaluate(item.calculation, values) if relevant and item.calculation else ""
            result.values[item.name] = values[item.name]
            continue
        if not item.is_question:
            continue
        if not relevant:
            values[item.name] = ""
            continue
        if item.name in parse_errors:
            result.errors[item.name] = parse_errors[item.name]
            values[item.name] = ""
            continue
        value = values[item.name]
        if to_string(value) == "":
            if final and item.required and _flag(item.required, values):
                result.errors[item.name] = _("This question must be answered.")
            continue
        if item.constraint and not is_true(item.constraint, values, current=value):
            result.errors[item.name] = item.constraint_message or _("This answer is not allowed here.")
            continue
        result.values[item.name] = value
    return result
