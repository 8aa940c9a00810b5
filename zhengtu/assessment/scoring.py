"""The scoring engine: from checked answers to scores, levels, needs and critical items.

Everything it knows comes from the InstrumentDefinition: a score per choice, a domain per item,
reverse-scored items, per-domain methods (sum, mean, percent of the range), cut-off rows for the
total, metrics and domains (by sex where the instrument says so), critical-item rules. Pure
functions, no database: the same result for the same version and answers, always.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from .definition import EVERY_DOMAIN, Cutoff, InstrumentDefinition, Item
from .expressions import Value, is_true, to_string


@dataclass(frozen=True)
class LevelResult:
    level: str
    label: str
    rank: int
    supervision_level: str = ""
    measures: str = ""
    supervisee_note: str = ""

    @classmethod
    def of(cls, cutoff: Cutoff) -> LevelResult:
        return cls(
            level=cutoff.level,
            label=cutoff.label,
            rank=cutoff.rank,
            supervision_level=cutoff.supervision_level,
            measures=cutoff.measures,
            supervisee_note=cutoff.supervisee_note,
        )


@dataclass(frozen=True)
class DomainScore:
    name: str
    label: str
    group: str
    method: str
    raw: float  # sum of the item scores answered
    answered: int
    score: float  # by the domain's method
    minimum: float  # of `score`
    maximum: float
    ratio: float  # 0..1 of the way from minimum to maximum
    need: bool
    measures: str
    level: LevelResult | None = None


@dataclass(frozen=True)
class CriticalFinding:
    item: str
    label: str
    value: str
    value_label: str
    message: str


@dataclass(frozen=True)
class NeedPriority:
    domain: str
    label: str
    priority: int
    level_label: str
    ratio: float
    measures: str


@dataclass
class ScoreResult:
    total: float
    mean: float | None
    answered: int
    positive_items: int | None
    negative_items: int | None
    positive_mean: float | None
    domains: list[DomainScore] = field(default_factory=list)
    level: LevelResult | None = None
    needs: list[NeedPriority] = field(default_factory=list)
    critical: list[CriticalFinding] = field(default_factory=list)
    item_scores: dict[str, float] = field(default_factory=dict)

    def variables(self) -> dict[str, Value]:
        """Metrics and domain scores by name, for cut-off conditions and reports."""
        found: dict[str, Value] = {"total": self.total, "answered": float(self.answered)}
        optional = {
            "mean": self.mean,
            "positive_items": self.positive_items,
            "negative_items": self.negative_items,
            "positive_mean": self.positive_mean,
        }
        for name, value in optional.items():
            found[name] = float(value) if value is not None else ""
        found["max_domain"] = max((d.score for d in self.domains), default=0.0)
        for domain in self.domains:
            found[domain.name] = domain.score
        return found

    def domain(self, name: str) -> DomainScore:
        for domain in self.domains:
            if domain.name == name:
                return domain
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        return _plain(self)  # type: ignore[no-any-return]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScoreResult:
        values = dict(data)
        values["domains"] = [
            DomainScore(**{**d, "level": LevelResult(**d["level"]) if d.get("level") else None})
            for d in data.get("domains", [])
        ]
        values["level"] = LevelResult(**data["level"]) if data.get("level") else None
        values["needs"] = [NeedPriority(**n) for n in data.get("needs", [])]
        values["critical"] = [CriticalFinding(**c) for c in data.get("critical", [])]
        return cls(**values)


def _plain(value: Any) -> Any:
    """Like dataclasses.asdict, without deep-copying every number and string (scores are plain data)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _round(value: float) -> float:
    return round(value, 4)


def item_score(definition: InstrumentDefinition, item: Item, value: Value) -> float | None:
    """The item's contribution (after reverse scoring), or None when unanswered or unscored."""
    text = to_string(value)
    if text == "":
        return None
    if item.type in ("integer", "decimal"):
        return float(value)
    scores = {choice.name: choice.score for choice in definition.choices.get(item.list_name, ())}
    if item.type == "select_multiple":
        picked = [scores.get(part) for part in text.split()]
        if any(score is None for score in picked):
            return None
        total = float(sum(score for score in picked if score is not None))
    else:
        score = scores.get(text)
        if score is None:
            return None
        total = float(score)
    if item.reverse:
        low, high = definition.score_range(item)
        total = low + high - total
    return total


def match_cutoff(
    definition: InstrumentDefinition,
    target: str,
    value: float,
    *,
    sex: str,
    variables: Mapping[str, Value],
    fallback_target: str = "",
) -> Cutoff | None:
    """The first row (in sheet order) for `target` that matches. Rows for the person's sex, when an
    instrument has any for that target, replace the rows for both sexes."""
    rows = [cutoff for cutoff in definition.cutoffs if cutoff.target == target]
    if not rows and fallback_target:
        rows = [cutoff for cutoff in definition.cutoffs if cutoff.target == fallback_target]
    own_sex = [row for row in rows if row.sex and row.sex == sex]
    candidates = own_sex or [row for row in rows if not row.sex]
    for row in candidates:
        if row.minimum is not None and value < row.minimum:
            continue
        if row.maximum is not None and value > row.maximum:
            continue
        if row.condition and not is_true(row.condition, {**variables, "value": value}, current=value):
            continue
        return row
    return None


def score(definition: InstrumentDefinition, values: Mapping[str, Value], *, sex: str) -> ScoreResult:
    """Score checked answers (`questionnaire.evaluate_answers(...).values`)."""
    item_scores: dict[str, float] = {}
    by_domain: dict[str, list[tuple[Item, float]]] = {domain.name: [] for domain in definition.domains}
    for item in definition.scored_items:
        points = item_score(definition, item, values.get(item.name, ""))
        if points is None:
            continue
        item_scores[item.name] = points
        by_domain.setdefault(item.domain, []).append((item, points))

    total = float(sum(item_scores.values()))
    answered = len(item_scores)
    mean = total / answered if answered else None
    positive_items = negative_items = None
    positive_mean = None
    if definition.positive_item_score is not None:
        positive = [points for points in item_scores.values() if points >= definition.positive_item_score]
        positive_items = len(positive)
        negative_items = answered - positive_items
        positive_mean = _round(sum(positive) / positive_items) if positive_items else 0.0

    domains: list[DomainScore] = []
    for domain in definition.domains:
        members = [item for item in definition.scored_items if item.domain == domain.name]
        answered_pairs = by_domain.get(domain.name, [])
        raw = float(sum(points for _item, points in answered_pairs))
        low = sum(definition.score_range(item)[0] for item in members)
        high = sum(definition.score_range(item)[1] for item in members)
        # The share of the range counts only the questions that applied to this person: a question
        # skipped by the instrument's own logic neither raises nor dilutes the need.
        answered_low = sum(definition.score_range(item)[0] for item, _points in answered_pairs)
        answered_high = sum(definition.score_range(item)[1] for item, _points in answered_pairs)
        ratio = (raw - answered_low) / (answered_high - answered_low) if answered_high > answered_low else 0.0
        if domain.method == "mean":
            count = len(answered_pairs)
            value = raw / count if count else 0.0
            minimum = low / len(members) if members else 0.0
            maximum = high / len(members) if members else 0.0
        elif domain.method == "percent":
            value, minimum, maximum = ratio * 100, 0.0, 100.0
        else:
            value, minimum, maximum = raw, low, high
        domains.append(
            DomainScore(
                name=domain.name,
                label=domain.label,
                group=domain.group,
                method=domain.method,
                raw=_round(raw),
                answered=len(answered_pairs),
                score=_round(value),
                minimum=_round(minimum),
                maximum=_round(maximum),
                ratio=_round(ratio),
                need=domain.need,
                measures=domain.measures,
            )
        )

    result = ScoreResult(
        total=_round(total),
        mean=_round(mean) if mean is not None else None,
        answered=answered,
        positive_items=positive_items,
        negative_items=negative_items,
        positive_mean=positive_mean,
        domains=domains,
        item_scores=item_scores,
    )
    variables: dict[str, Value] = {**values, **result.variables()}

    leveled: list[DomainScore] = []
    for domain_score in domains:
        cutoff = match_cutoff(
            definition,
            domain_score.name,
            domain_score.score,
            sex=sex,
            variables=variables,
            fallback_target=EVERY_DOMAIN,
        )
        leveled.append(_with_level(domain_score, cutoff))
    result.domains = leveled

    target_value = variables.get(definition.level_target, "")
    if definition.level_target and to_string(target_value) != "":
        cutoff = match_cutoff(definition, definition.level_target, float(target_value), sex=sex, variables=variables)
        result.level = LevelResult.of(cutoff) if cutoff else None

    result.needs = _rank_needs(leveled)
    result.critical = _critical_findings(definition, values)
    return result


def _with_level(domain_score: DomainScore, cutoff: Cutoff | None) -> DomainScore:
    if cutoff is None:
        return domain_score
    return replace(domain_score, level=LevelResult.of(cutoff))


def _rank_needs(domains: list[DomainScore]) -> list[NeedPriority]:
    """Need domains worth working on, most pressing first: by level rank, then by share of the range."""
    candidates = [
        d for d in domains if d.need and (d.level.rank > 0 if d.level is not None else d.ratio > 0) and d.answered
    ]
    candidates.sort(key=lambda d: (-(d.level.rank if d.level else 0), -d.ratio))
    return [
        NeedPriority(
            domain=d.name,
            label=d.label,
            priority=position,
            level_label=d.level.label if d.level else "",
            ratio=d.ratio,
            measures=(d.level.measures if d.level and d.level.measures else d.measures),
        )
        for position, d in enumerate(candidates, start=1)
    ]


def _critical_findings(definition: InstrumentDefinition, values: Mapping[str, Value]) -> list[CriticalFinding]:
    found = []
    for item in definition.items:
        if not item.critical:
            continue
        value = values.get(item.name, "")
        if to_string(value) == "":
            continue
        if is_true(item.critical, values, current=value):
            text = to_string(value)
            found.append(
                CriticalFinding(
                    item=item.name,
                    label=item.label,
                    value=text,
                    value_label=definition.choice_label(item, text) if item.list_name else text,
                    message=item.critical_message,
                )
            )
    return found
