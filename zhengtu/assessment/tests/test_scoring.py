"""Scoring against answer sets whose figures were computed by hand from each instrument's definition."""

from __future__ import annotations

from typing import Any

import pytest

from ..definition import InstrumentDefinition
from ..models import Instrument
from ..questionnaire import evaluate_answers
from ..scoring import ScoreResult, score
from ..workbook import read_workbook
from .conftest import small_instrument


def _definition(instruments: dict[str, Instrument], code: str) -> InstrumentDefinition:
    version = instruments[code].current_version
    assert version is not None
    return version.parsed


def _score(definition: InstrumentDefinition, answers: dict[str, Any], sex: str = "male") -> ScoreResult:
    evaluation = evaluate_answers(definition, answers, final=True)
    assert evaluation.errors == {}
    return score(definition, evaluation.values, sex=sex)


def _phq(items: list[int], **extra: Any) -> dict[str, Any]:
    return {**{f"phq{n}": str(v) for n, v in enumerate(items, start=1)}, **extra}


# ---------------------------------------------------------------- PHQ-9


def test_phq9_moderate_with_item_9_critical(instruments: dict[str, Instrument]) -> None:
    definition = _definition(instruments, "phq9")
    # 1+2+0+3+1+0+2+1+1 = 11 → 10–14 moderate; item 9 answered 1 (> 0) is critical.
    result = _score(definition, _phq([1, 2, 0, 3, 1, 0, 2, 1, 1], phq10="1"))
    assert result.total == 11
    assert result.level is not None and (result.level.level, result.level.label) == ("moderate", "中度抑郁")
    assert [finding.item for finding in result.critical] == ["phq9"]
    assert result.critical[0].value_label == "好几天"


@pytest.mark.parametrize(
    ("items", "total", "level"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
        ([2, 2, 2, 2, 1, 1, 0, 0, 0], 10, "moderate"),
        ([2, 2, 2, 2, 2, 2, 2, 1, 0], 15, "moderately_severe"),
        ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"),
        ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe"),
    ],
)
def test_phq9_cut_offs(instruments: dict[str, Instrument], items: list[int], total: int, level: str) -> None:
    definition = _definition(instruments, "phq9")
    result = _score(definition, _phq(items, phq10="0"))
    assert result.total == total
    assert result.level is not None and result.level.level == level
    assert bool(result.critical) is (items[8] > 0)


def test_phq9_difficulty_question_is_skipped_when_no_problem_was_ticked(instruments: dict[str, Instrument]) -> None:
    definition = _definition(instruments, "phq9")
    evaluation = evaluate_answers(definition, _phq([0] * 9, phq10="3"), final=True)
    assert evaluation.relevant["phq10"] is False
    assert "phq10" not in evaluation.values  # the answer to a skipped question is dropped
    missing = evaluate_answers(definition, _phq([0, 1, 0, 0, 0, 0, 0, 0, 0]), final=True)
    assert missing.errors == {"phq10": "此题必须回答。"}


# ---------------------------------------------------------------- GAD-7


@pytest.mark.parametrize(
    ("items", "total", "label"),
    [
        ([2, 1, 3, 0, 1, 2, 1], 10, "中度焦虑"),  # 2+1+3+0+1+2+1
        ([0, 0, 1, 1, 1, 1, 0], 4, "无或极轻微焦虑"),
        ([1, 1, 1, 1, 1, 0, 0], 5, "轻度焦虑"),
        ([3, 3, 3, 3, 3, 0, 0], 15, "重度焦虑"),
        ([3, 3, 3, 3, 3, 3, 3], 21, "重度焦虑"),
    ],
)
def test_gad7(instruments: dict[str, Instrument], items: list[int], total: int, label: str) -> None:
    definition = _definition(instruments, "gad7")
    answers: dict[str, Any] = {f"gad{n}": str(v) for n, v in enumerate(items, start=1)}
    answers["gad8"] = "1"
    result = _score(definition, answers)
    assert result.total == total
    assert result.level is not None and result.level.label == label
    assert result.critical == []


# ---------------------------------------------------------------- SCL-90

SOMATIZATION = [1, 4, 12, 27, 40, 42, 48, 49, 52, 53, 56, 58]


def _scl(values: dict[int, int]) -> dict[str, str]:
    return {f"scl{n:02d}": str(values.get(n, 1)) for n in range(1, 91)}


def test_scl90_factor_scores_and_positive_screen(instruments: dict[str, Instrument]) -> None:
    definition = _definition(instruments, "scl90")
    # All items 1 ("没有") except the 12 somatization items at 3 and item 15 at 2.
    answers = _scl({**dict.fromkeys(SOMATIZATION, 3), 15: 2})
    result = _score(definition, answers)
    # total = 90 + 12×2 + 1 = 115; mean = 115/90; positive items (≥2) = 13, negative = 77;
    # positive symptom mean = (115 − 77) / 13 = 38/13.
    assert result.total == 115
    assert result.mean == pytest.approx(115 / 90, abs=1e-4)
    assert (result.positive_items, result.negative_items) == (13, 77)
    assert result.positive_mean == pytest.approx(38 / 13, abs=1e-4)
    somatization = result.domain("somatization")
    assert (somatization.raw, somatization.score) == (36, 3.0)  # factor score = 36 / 12
    assert somatization.level is not None and somatization.level.label == "中度"
    depression = result.domain("depression")
    assert depression.score == pytest.approx(14 / 13, abs=1e-4)  # 12 items at 1, item 15 at 2
    assert depression.level is not None and depression.level.label == "无明显症状"
    # Positive: the total (115 ≤ 160) and positive items (13 ≤ 43) are not, but a factor ≥ 2 is.
    assert result.level is not None and result.level.label == "筛查阳性"
    assert [finding.item for finding in result.critical] == ["scl15"]
    assert result.needs[0].label == "躯体化"


def test_scl90_all_none_is_negative(instruments: dict[str, Instrument]) -> None:
    result = _score(_definition(instruments, "scl90"), _scl({}))
    assert (result.total, result.mean, result.positive_items, result.positive_mean) == (90, 1, 0, 0)
    assert result.level is not None and result.level.level == "negative"
    assert result.critical == []


# Items at 2 spread over the ten factors so that no factor mean reaches 2 (each factor keeps an item at 1).
SPREAD = {
    "somatization": 5, "obsessive": 5, "interpersonal": 4, "depression": 6, "anxiety": 5,
    "hostility": 3, "phobic": 3, "paranoid": 3, "psychoticism": 5, "additional": 5,
}  # fmt: skip


def _spread_answers(definition: InstrumentDefinition, how_many: int) -> dict[str, str]:
    answers = {item.name: "1" for item in definition.scored_items}
    chosen = 0
    for domain, count in SPREAD.items():
        for item in [i for i in definition.scored_items if i.domain == domain and i.name != "scl15"][:count]:
            if chosen < how_many:
                answers[item.name] = "2"
                chosen += 1
    return answers


@pytest.mark.parametrize(("positive", "level"), [(44, "positive"), (43, "negative")])
def test_scl90_more_than_43_positive_items_screens_positive(
    instruments: dict[str, Instrument], positive: int, level: str
) -> None:
    definition = _definition(instruments, "scl90")
    result = _score(definition, _spread_answers(definition, positive))
    assert result.positive_items == positive
    assert result.total == 90 + positive  # at most 134: below the total rule of 160
    assert max(domain.score for domain in result.domains) < 2
    assert result.level is not None and result.level.level == level


def test_scl90_total_above_160(instruments: dict[str, Instrument]) -> None:
    result = _score(_definition(instruments, "scl90"), _scl(dict.fromkeys(range(1, 91), 2)))
    assert result.total == 180
    assert result.level is not None and result.level.level == "positive"


# ---------------------------------------------------------------- cut-offs by sex, reverse scoring


INTAKE_ANSWERS = {
    "ch_prior": "1", "ch_first_age": "30", "ch_first_age_band": "18to25", "ch_violent": "no",
    "ew_education": "junior", "ew_unemployed": "yes", "fi_income": "hard", "fi_debt": "no", "fi_assistance": "yes",
    "fa_married": "single", "fa_support": "partly", "fa_conflict": "no", "ac_stable": "own", "ac_moves": "1",
    "le_structured": "sometimes", "le_satisfaction": "4", "co_criminal_friends": "some", "co_prosocial": "yes",
    "su_alcohol": "never", "su_drugs": "no", "em_mood": "low", "em_impulsive": "rarely", "em_self_harm": "no",
    "at_responsibility": "accept", "at_supervision": "passive",
}  # fmt: skip


def test_intake_example_cut_offs_differ_by_sex(instruments: dict[str, Instrument]) -> None:
    definition = _definition(instruments, "intake_example")
    # criminal history 1+1+0, education/work 1+1, finances 1+0+1, family 1+0, accommodation 0+1,
    # leisure 1 + (satisfied = 3, reversed on 0..4 → 1), companions 1+0, substance 0+0,
    # emotion 1+0+0, attitudes 0+1: total 13.
    male = _score(definition, INTAKE_ANSWERS, sex="male")
    female = _score(definition, INTAKE_ANSWERS, sex="female")
    assert male.total == female.total == 13
    assert male.level is not None and (male.level.label, male.level.supervision_level) == ("中风险", "standard")
    assert female.level is not None and (female.level.label, female.level.supervision_level) == ("低风险", "lenient")
    assert male.item_scores["le_satisfaction"] == 1
    # Needs: education/work 2 of 3 (66.7%) and finances 2 of 4 (50%) are "medium"; the rest lower.
    assert [(need.priority, need.label, need.level_label) for need in male.needs] == [
        (1, "教育与就业", "中需求"),
        (2, "经济状况", "中需求"),
    ]
    assert len(male.domains) == 10
    assert {d.group for d in male.domains} == {"static", "dynamic"}


def test_reverse_scoring_and_skipped_questions_in_the_total() -> None:
    definition = read_workbook(small_instrument())
    # a = yes (1), b = 高 (3, reversed on 1..3 → 1), c = 5: total 7.
    answered = _score(definition, {"a": "yes", "b": "3", "c": "5"}, sex="male")
    assert answered.item_scores == {"a": 1, "b": 1, "c": 5}
    assert answered.total == 7
    # b is skipped when a = no: its answer is dropped and not scored.
    skipped = _score(definition, {"a": "no", "b": "3", "c": "5"}, sex="male")
    assert skipped.item_scores == {"a": 0, "c": 5}
    assert skipped.total == 5


@pytest.mark.parametrize(("sex", "level"), [("male", "high"), ("female", "low")])
def test_small_instrument_cut_offs_by_sex(sex: str, level: str) -> None:
    definition = read_workbook(small_instrument())
    result = _score(definition, {"a": "yes", "b": "3", "c": "5"}, sex=sex)  # total 7
    assert result.level is not None and result.level.level == level


def test_critical_rule_on_a_number() -> None:
    definition = read_workbook(small_instrument())
    assert _score(definition, {"a": "no", "c": "9"}).critical[0].item == "c"
    assert _score(definition, {"a": "no", "c": "8"}).critical == []
