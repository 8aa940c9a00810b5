"""Helpers shared by the assessment pages."""

from __future__ import annotations

from typing import Any

from zhengtu.accounts.http import AuthenticatedRequest
from zhengtu.audit.models import Action
from zhengtu.audit.services import record_event

from ..definition import InstrumentDefinition
from ..models import Assessment
from ..questionnaire import Evaluation


def audit_read(request: AuthenticatedRequest, assessment: Assessment, *, page: str) -> None:
    """Every read of an assessment's results is written to the audit log."""
    record_event(
        request,
        action=Action.VIEW,
        target=assessment,
        detail={"page": page, "sensitive": assessment.is_sensitive, "supervisee": assessment.supervisee_id},
    )


def question_rows(
    definition: InstrumentDefinition, evaluation: Evaluation | None, answers: dict[str, Any]
) -> list[dict[str, Any]]:
    """What the questionnaire template draws: questions and notes in order, with group headings,
    the answer given so far, whether the question currently applies, and its error."""
    rows: list[dict[str, Any]] = []
    current_group = ""
    for item in definition.items:
        if item.type == "calculate":
            continue
        if item.group != current_group:
            current_group = item.group
            if item.group:
                rows.append({"kind": "group", "label": definition.groups[item.group].label})
        raw = evaluation.raw.get(item.name, "") if evaluation is not None else str(answers.get(item.name, "") or "")
        relevant = evaluation.relevant.get(item.name, True) if evaluation is not None else True
        rows.append(
            {
                "kind": "note" if item.type == "note" else "question",
                "name": item.name,
                "type": item.type,
                "label": item.label,
                "hint": item.hint,
                "required": bool(item.required),
                "relevant": relevant,
                "value": raw,
                "selected": raw.split(),
                "choices": definition.choices.get(item.list_name, ()),
                "error": evaluation.errors.get(item.name, "") if evaluation is not None else "",
            }
        )
    return rows


def posted_answers(request: AuthenticatedRequest, definition: InstrumentDefinition) -> dict[str, object]:
    answers: dict[str, object] = {}
    for item in definition.questions:
        if item.type == "select_multiple":
            answers[item.name] = request.POST.getlist(item.name)
        else:
            answers[item.name] = request.POST.get(item.name, "")
    return answers
