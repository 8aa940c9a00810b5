"""Server-side checks of answers: skip logic, required, constraints, types, groups."""

from __future__ import annotations

from ..questionnaire import evaluate_answers
from ..workbook import read_workbook
from .conftest import small_instrument, workbook_bytes


def test_constraint_errors_use_the_instrument_message() -> None:
    definition = read_workbook(small_instrument())
    evaluation = evaluate_answers(definition, {"a": "no", "c": "11"}, final=True)
    assert evaluation.errors == {"c": "请填0到10"}
    assert "c" not in evaluation.values


def test_type_errors_are_reported_per_question() -> None:
    definition = read_workbook(small_instrument())
    evaluation = evaluate_answers(definition, {"a": "maybe", "c": "2.5"}, final=False)
    assert set(evaluation.errors) == {"a", "c"}
    assert evaluation.raw["a"] == "maybe"  # kept for the person to correct


def test_drafts_skip_required_but_final_checks_enforce_it() -> None:
    definition = read_workbook(small_instrument())
    assert evaluate_answers(definition, {}, final=False).errors == {}
    final = evaluate_answers(definition, {}, final=True)
    assert set(final.errors) == {"a"}  # b is skipped (a is not yes), c is optional


def test_skip_logic_shows_a_question_only_when_it_applies() -> None:
    definition = read_workbook(small_instrument())
    shown = evaluate_answers(definition, {"a": "yes"}, final=True)
    assert shown.relevant["b"] is True
    assert set(shown.errors) == {"b"}
    hidden = evaluate_answers(definition, {"a": "no", "b": "2"}, final=True)
    assert hidden.relevant["b"] is False
    assert hidden.errors == {}
    assert "b" not in hidden.values


def test_choice_labels_are_accepted_for_paper_sheets() -> None:
    definition = read_workbook(small_instrument())
    evaluation = evaluate_answers(definition, {"a": "是", "b": "高", "c": 4.0}, final=True)
    assert evaluation.values == {"a": "yes", "b": "3", "c": 4.0}


def test_groups_carry_their_skip_logic_to_their_questions() -> None:
    content = workbook_bytes(
        {
            "survey": [
                ["type", "name", "label", "required", "relevant"],
                ["select_one yn", "drinks", "是否饮酒", "yes", ""],
                ["begin group", "drinking", "饮酒情况", "", "${drinks} = 'yes'"],
                ["integer", "per_week", "每周饮酒次数", "yes", ""],
                ["select_multiple kind", "kinds", "饮酒种类", "yes", ""],
                ["end group", "", "", "", ""],
            ],
            "choices": [
                ["list_name", "name", "label"],
                ["yn", "yes", "是"],
                ["yn", "no", "否"],
                ["kind", "beer", "啤酒"],
                ["kind", "spirits", "白酒"],
            ],
            "settings": [["form_title", "form_id", "version"], ["饮酒", "drinking", "1"]],
        }
    )
    definition = read_workbook(content)
    assert definition.item("per_week").group == "drinking"
    no = evaluate_answers(definition, {"drinks": "no", "per_week": "3"}, final=True)
    assert no.errors == {} and no.relevant["per_week"] is False and "per_week" not in no.values
    yes = evaluate_answers(definition, {"drinks": "yes", "per_week": "3", "kinds": ["beer", "白酒"]}, final=True)
    assert yes.errors == {}
    assert yes.values["kinds"] == "beer spirits"


def test_calculations_are_evaluated_in_order() -> None:
    content = workbook_bytes(
        {
            "survey": [
                ["type", "name", "label", "calculation", "relevant"],
                ["integer", "days", "每周饮酒天数", "", ""],
                ["calculate", "heavy", "", "if(${days} >= 5, 'yes', 'no')", ""],
                ["text", "why", "原因", "", "${heavy} = 'yes'"],
            ],
            "settings": [["form_title", "form_id", "version"], ["计算", "calc", "1"]],
        }
    )
    definition = read_workbook(content)
    evaluation = evaluate_answers(definition, {"days": "6", "why": "应酬"}, final=True)
    assert evaluation.values["heavy"] == "yes"
    assert evaluation.values["why"] == "应酬"
    assert evaluate_answers(definition, {"days": "2", "why": "x"}, final=True).relevant["why"] is False
