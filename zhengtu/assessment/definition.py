"""The normalised form of an instrument, stored as JSON on each InstrumentVersion.

An instrument workbook (XLSForm plus scoring columns, see `workbook.py`) is read once into an
InstrumentDefinition. Questionnaire evaluation and scoring work on this structure only, so a
version's behaviour is fixed by what was imported: old results are never silently rescored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Values a cut-off or condition may refer to besides domain names and questions.
METRICS = ("total", "mean", "answered", "positive_items", "negative_items", "positive_mean", "max_domain")

# The pseudo-target of cut-off rows that apply to every domain without rows of its own.
EVERY_DOMAIN = "domain"

QUESTION_TYPES = ("select_one", "select_multiple", "integer", "decimal", "text", "date")
DISPLAY_TYPES = ("note", "calculate")
SCORABLE_TYPES = ("select_one", "select_multiple", "integer", "decimal")

DOMAIN_METHODS = ("sum", "mean", "percent")
DOMAIN_GROUPS = ("static", "dynamic", "")
INSTRUMENT_KINDS = ("risk_needs", "psychological", "other")


@dataclass(frozen=True)
class Choice:
    name: str
    label: str
    score: float | None = None


@dataclass(frozen=True)
class Group:
    name: str
    label: str
    relevant: str = ""
    parent: str = ""


@dataclass(frozen=True)
class Item:
    name: str
    type: str
    label: str
    list_name: str = ""
    hint: str = ""
    required: str = ""  # "", "yes" or an expression
    relevant: str = ""
    constraint: str = ""
    constraint_message: str = ""
    calculation: str = ""
    domain: str = ""
    reverse: bool = False
    critical: str = ""  # an expression on "." (the answer); true means a critical answer
    critical_message: str = ""
    group: str = ""  # innermost enclosing group
    row: int = 0

    @property
    def is_question(self) -> bool:
        return self.type in QUESTION_TYPES

    @property
    def is_scored(self) -> bool:
        return bool(self.domain)


@dataclass(frozen=True)
class Domain:
    name: str
    label: str
    group: str = ""
    method: str = "sum"
    need: bool = True
    measures: str = ""
    order: int = 0


@dataclass(frozen=True)
class Cutoff:
    target: str
    level: str
    label: str
    rank: int
    sex: str = ""  # "", "male" or "female"
    minimum: float | None = None
    maximum: float | None = None
    condition: str = ""
    supervision_level: str = ""
    measures: str = ""
    supervisee_note: str = ""
    row: int = 0


@dataclass(frozen=True)
class InstrumentDefinition:
    code: str
    title: str
    version: str
    kind: str = "other"
    description: str = ""
    sensitive: bool = False
    example: bool = False
    placeholder_texts: bool = False
    show_to_supervisee: bool = False
    level_target: str = "total"
    positive_item_score: float | None = None
    items: tuple[Item, ...] = ()
    groups: dict[str, Group] = field(default_factory=dict)
    choices: dict[str, tuple[Choice, ...]] = field(default_factory=dict)
    domains: tuple[Domain, ...] = ()
    cutoffs: tuple[Cutoff, ...] = ()

    # ------------------------------------------------------------ lookups

    def item(self, name: str) -> Item:
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(name)

    def domain(self, name: str) -> Domain:
        for domain in self.domains:
            if domain.name == name:
                return domain
        raise KeyError(name)

    def choice_label(self, item: Item, value: str) -> str:
        labels = {choice.name: choice.label for choice in self.choices.get(item.list_name, ())}
        if item.type == "select_multiple":
            return "、".join(labels.get(part, part) for part in value.split())
        return labels.get(value, value)

    @property
    def questions(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.is_question)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.is_scored)

    def levels_for(self, target: str) -> list[Cutoff]:
        """Distinct levels of one target, lowest rank first (the choices offered for an override)."""
        seen: dict[str, Cutoff] = {}
        for cutoff in self.cutoffs:
            if cutoff.target == target and cutoff.level not in seen:
                seen[cutoff.level] = cutoff
        return sorted(seen.values(), key=lambda cutoff: cutoff.rank)

    def score_range(self, item: Item) -> tuple[float, float]:
        """Lowest and highest score an item can give (0, 0 for unscored numeric items)."""
        scores = [c.score for c in self.choices.get(item.list_name, ()) if c.score is not None]
        if not scores:
            return 0.0, 0.0
        if item.type == "select_multiple":
            return min(0.0, sum(s for s in scores if s < 0)), sum(s for s in scores if s > 0)
        return min(scores), max(scores)

    # ------------------------------------------------------------ JSON

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["items"] = [asdict(item) for item in self.items]
        data["groups"] = {name: asdict(group) for name, group in self.groups.items()}
        data["choices"] = {name: [asdict(choice) for choice in choices] for name, choices in self.choices.items()}
        data["domains"] = [asdict(domain) for domain in self.domains]
        data["cutoffs"] = [asdict(cutoff) for cutoff in self.cutoffs]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InstrumentDefinition:
        values = dict(data)
        values["items"] = tuple(Item(**item) for item in data.get("items", []))
        values["groups"] = {name: Group(**group) for name, group in data.get("groups", {}).items()}
        values["choices"] = {
            name: tuple(Choice(**choice) for choice in choices) for name, choices in data.get("choices", {}).items()
        }
        values["domains"] = tuple(Domain(**domain) for domain in data.get("domains", []))
        values["cutoffs"] = tuple(Cutoff(**cutoff) for cutoff in data.get("cutoffs", []))
        return cls(**values)
