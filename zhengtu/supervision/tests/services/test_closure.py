"""Release and termination go through the state machine; forbidden transitions are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengtu.supervisees.models import Status
from zhengtu.supervision.models import TerminationReason
from zhengtu.supervision.services.closure import complete_release, prepare_release, terminate_supervision

from ..conftest import actor, pending_supervisee, supervised, today
from ..pdf import pdf_text


def _ended(world):  # type: ignore[no-untyped-def]
    """Under supervision with a term that ended yesterday."""
    return supervised(world.office_a, world.officer_a, term_start=today() - dt.timedelta(days=400), term_months=12)


def test_release_after_the_term_issues_the_announcement_and_certificate(world) -> None:  # type: ignore[no-untyped-def]
    supervisee = _ended(world)
    with pytest.raises(ValidationError):  # no appraisal yet
        complete_release(
            actor=actor(world.officer_a), supervisee=supervisee, released_on=today(), announcement_place="司法所"
        )
    prepare_release(actor=actor(world.officer_a), supervisee=supervisee, self_summary="遵纪守法", appraisal="表现良好")
    documents = complete_release(
        actor=actor(world.officer_a),
        supervisee=supervisee,
        released_on=supervisee.term_end,
        announcement_place="卢峰司法所",
    )
    supervisee.refresh_from_db()
    assert supervisee.status == Status.RELEASED
    assert [d.code for d in documents] == ["supervision.release_announcement", "supervision.release_certificate"]
    text = pdf_text(documents[1].pdf.path)
    assert "解除社区矫正证明书" in text and supervisee.name in text
    assert not supervisee.team_members.filter(left_on__isnull=True).exists()


def test_release_before_the_term_ends_is_refused(people, world) -> None:  # type: ignore[no-untyped-def]
    prepare_release(actor=actor(world.officer_a), supervisee=people.supervisee, self_summary="总结", appraisal="良好")
    with pytest.raises(ValidationError) as error:
        complete_release(
            actor=actor(world.officer_a), supervisee=people.supervisee, released_on=today(), announcement_place="所"
        )
    assert people.supervisee.term_end.isoformat() in error.value.message_dict["released_on"][0]


def test_releasing_someone_not_yet_taken_in_is_a_forbidden_status_change(world) -> None:  # type: ignore[no-untyped-def]
    supervisee = pending_supervisee(world.office_a)
    with pytest.raises(ValidationError) as error:
        complete_release(
            actor=actor(world.officer_a), supervisee=supervisee, released_on=today(), announcement_place="所"
        )
    assert "“" in error.value.messages[0]  # the state machine's message names both statuses
    supervisee.refresh_from_db()
    assert supervisee.status == Status.PENDING_INTAKE


def test_termination_by_revocation_needs_the_decision_and_ends_supervision(people, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        terminate_supervision(
            actor=actor(world.bureau_a),
            supervisee=people.supervisee,
            reason=TerminationReason.REVOCATION,
            effective_on=today(),
        )
    terminate_supervision(
        actor=actor(world.bureau_a),
        supervisee=people.supervisee,
        reason=TerminationReason.REVOCATION,
        effective_on=today(),
        decision="（2026）湘1224刑更12号",
    )
    people.supervisee.refresh_from_db()
    assert people.supervisee.status == Status.TERMINATED
    assert not people.supervisee.due_items.exists()


def test_a_terminated_person_cannot_be_released_or_terminated_again(people, world) -> None:  # type: ignore[no-untyped-def]
    terminate_supervision(
        actor=actor(world.bureau_a), supervisee=people.supervisee, reason=TerminationReason.DEATH, effective_on=today()
    )
    with pytest.raises(ValidationError):
        terminate_supervision(
            actor=actor(world.bureau_a),
            supervisee=people.supervisee,
            reason=TerminationReason.DEATH,
            effective_on=today(),
        )
    with pytest.raises(ValidationError):
        complete_release(
            actor=actor(world.officer_a), supervisee=people.supervisee, released_on=today(), announcement_place="所"
        )


def test_only_sanction_deciders_terminate(people, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        terminate_supervision(
            actor=actor(world.officer_a),
            supervisee=people.supervisee,
            reason=TerminationReason.DEATH,
            effective_on=today(),
        )
