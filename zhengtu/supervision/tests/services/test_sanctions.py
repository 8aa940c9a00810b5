"""Commendations and sanctions: facts, evidence, approval, and the effect on the supervision level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from zhengtu.supervisees.models import SupervisionLevel
from zhengtu.supervision.models import ApprovalLevel, LevelChangeSource, SanctionKind
from zhengtu.supervision.selectors import attachments_of
from zhengtu.supervision.services.approvals import decide
from zhengtu.supervision.services.sanctions import propose_sanction

from ..conftest import actor, today


def _evidence() -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile("谈话笔录.txt", "2026年11月谈话笔录".encode(), content_type="text/plain")]


def _propose(people, world, kind: str, evidence=None):  # type: ignore[no-untyped-def]
    return propose_sanction(
        actor=actor(world.officer_a),
        supervisee=people.supervisee,
        kind=kind,
        facts="未经批准擅自离开所居住的县三日",
        occurred_on=today() - dt.timedelta(days=2),
        legal_basis="《社区矫正法实施办法》第三十五条",
        evidence=_evidence() if evidence is None else evidence,
    )


def _approve_all(sanction, world) -> None:  # type: ignore[no-untyped-def]
    decide(actor=actor(world.colleague_a), request=sanction.approval, approve=True)
    decide(actor=actor(world.bureau_a), request=sanction.approval, approve=True, comment="同意")


def test_an_approved_warning_makes_the_level_strict_and_issues_the_decision(people, world) -> None:  # type: ignore[no-untyped-def]
    sanction = _propose(people, world, SanctionKind.WARNING)
    assert [s.level for s in sanction.approval.steps.all()] == [ApprovalLevel.OFFICE, ApprovalLevel.COUNTY_BUREAU]
    assert attachments_of(people.supervisee, sanction).count() == 1
    assert people.supervisee.supervision_level == SupervisionLevel.STANDARD
    _approve_all(sanction, world)
    people.supervisee.refresh_from_db()
    assert people.supervisee.supervision_level == SupervisionLevel.STRICT
    change = people.supervisee.level_changes.first()
    assert change.source == LevelChangeSource.SANCTION and change.to_level == SupervisionLevel.STRICT
    document = people.supervisee.documents.get(code="supervision.warning_decision")
    assert document.number.startswith("溆司矫警〔")


def test_nothing_changes_before_the_bureau_decides(people, world) -> None:  # type: ignore[no-untyped-def]
    sanction = _propose(people, world, SanctionKind.WARNING)
    decide(actor=actor(world.colleague_a), request=sanction.approval, approve=True)
    people.supervisee.refresh_from_db()
    assert people.supervisee.supervision_level == SupervisionLevel.STANDARD
    assert not people.supervisee.documents.filter(code="supervision.warning_decision").exists()


def test_a_commendation_leaves_the_level_alone(people, world) -> None:  # type: ignore[no-untyped-def]
    sanction = _propose(people, world, SanctionKind.COMMENDATION, evidence=[])
    _approve_all(sanction, world)
    people.supervisee.refresh_from_db()
    assert people.supervisee.supervision_level == SupervisionLevel.STANDARD
    assert people.supervisee.documents.filter(code="supervision.commendation_decision").exists()


@override_settings(ZHENGTU_SANCTION_RULES={"level_effects": {"commendation": "lenient"}})
def test_the_level_effect_is_a_setting(people, world) -> None:  # type: ignore[no-untyped-def]
    _approve_all(_propose(people, world, SanctionKind.COMMENDATION, evidence=[]), world)
    people.supervisee.refresh_from_db()
    assert people.supervisee.supervision_level == SupervisionLevel.LENIENT


def test_a_warning_needs_facts_and_evidence(people, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        propose_sanction(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            kind=SanctionKind.WARNING,
            facts=" ",
            occurred_on=today(),
        )
    assert set(error.value.message_dict) == {"facts", "evidence"}


def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_written(people, world) -> None:  # type: ignore[no-untyped-def]
    bad = [SimpleUploadedFile("脚本.exe", b"MZ", content_type="application/octet-stream")]
    with pytest.raises(ValidationError):
        _propose(people, world, SanctionKind.WARNING, evidence=bad)
    assert not people.supervisee.sanctions.exists()
    assert not people.supervisee.approval_requests.exists()
