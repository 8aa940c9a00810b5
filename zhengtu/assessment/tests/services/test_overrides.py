"""Overrides of the computed level: reason, a second person's approval, the rate per assessor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengtu.accounts.roles import Role
from zhengtu.audit.models import AuditEntry
from zhengtu.audit.services import Actor
from zhengtu.testing.factories import UserFactory

from ...models import Assessment, Instrument, OverrideStatus
from ...selectors import override_rates, overrides_awaiting
from ...services.assessments import take_assessment
from ...services.overrides import decide_override, request_override
from ...tasks import tasks_for
from ..conftest import Case

PHQ_MILD = {**{f"phq{n}": "0" for n in range(1, 10)}, "phq1": "3", "phq2": "3", "phq10": "1"}  # total 6: mild
REASON = "近期丧偶，情绪波动明显，访谈中多次流泪，建议按更高等级关注。"


@pytest.fixture
def scored(case: Case, instruments: dict[str, Instrument]) -> Assessment:
    return take_assessment(
        actor=case.actor(), supervisee=case.supervisee, instrument=instruments["phq9"], answers=PHQ_MILD
    )


def test_override_needs_a_reason_and_a_known_level(case: Case, scored: Assessment) -> None:
    with pytest.raises(ValidationError) as error:
        request_override(actor=case.actor(), assessment=scored, to_level="moderate", reason="太短")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        request_override(actor=case.actor(), assessment=scored, to_level="catastrophic", reason=REASON)
    assert "to_level" in error.value.message_dict
    with pytest.raises(ValidationError):
        request_override(actor=case.actor(), assessment=scored, to_level="mild", reason=REASON)  # unchanged


def test_approval_by_a_second_person_changes_the_level(case: Case, scored: Assessment) -> None:
    override = request_override(actor=case.actor(), assessment=scored, to_level="moderate", reason=REASON)
    scored.refresh_from_db()
    assert scored.level == "mild"  # nothing changes before approval
    with pytest.raises(ValidationError):
        request_override(actor=case.actor(), assessment=scored, to_level="severe", reason=REASON)  # one at a time
    with pytest.raises(PermissionDenied):  # the assessor and requester cannot approve their own
        decide_override(actor=case.actor(), override=override, approve=True)
    assert override in overrides_awaiting(case.colleague)
    assert "assessment_override" in [task.kind for task in tasks_for(case.colleague)]
    assert override not in overrides_awaiting(case.officer)
    decide_override(actor=case.actor(case.colleague), override=override, approve=True, note="同意")
    scored.refresh_from_db()
    assert (scored.computed_level, scored.level, scored.level_label) == ("mild", "moderate", "中度抑郁")
    assert scored.level_was_overridden
    assert AuditEntry.objects.filter(action="approve", object_type="assessment.leveloverride").exists()


def test_a_social_worker_without_approval_rights_cannot_approve(case: Case, scored: Assessment, world: object) -> None:
    override = request_override(actor=case.actor(), assessment=scored, to_level="moderate", reason=REASON)
    with pytest.raises(PermissionDenied):
        decide_override(actor=case.actor(case.social_worker), override=override, approve=True)
    manager = UserFactory(organisation=world.agency_a, role=Role.AGENCY_MANAGER)  # type: ignore[attr-defined]
    decide_override(actor=Actor(user=manager), override=override, approve=False, note="依据不足")
    override.refresh_from_db()
    scored.refresh_from_db()
    assert override.status == OverrideStatus.REJECTED and scored.level == "mild"


def test_rejection_needs_a_note(case: Case, scored: Assessment) -> None:
    override = request_override(actor=case.actor(), assessment=scored, to_level="moderate", reason=REASON)
    with pytest.raises(ValidationError):
        decide_override(actor=case.actor(case.colleague), override=override, approve=False, note="")


def test_override_rate_per_assessor(case: Case, instruments: dict[str, Instrument], world: object) -> None:
    # officer: 4 scored, 1 approved override → 25%; social worker: 1 scored, none.
    officer_assessments = [
        take_assessment(
            actor=case.actor(), supervisee=case.supervisee, instrument=instruments["phq9"], answers=PHQ_MILD
        )
        for _ in range(4)
    ]
    take_assessment(
        actor=case.actor(case.social_worker),
        supervisee=case.supervisee,
        instrument=instruments["phq9"],
        answers=PHQ_MILD,
    )
    approved = request_override(
        actor=case.actor(), assessment=officer_assessments[0], to_level="moderate", reason=REASON
    )
    decide_override(actor=case.actor(case.colleague), override=approved, approve=True)
    rejected = request_override(
        actor=case.actor(), assessment=officer_assessments[1], to_level="moderate", reason=REASON
    )
    decide_override(actor=case.actor(case.colleague), override=rejected, approve=False, note="依据不足")
    today = dt.date.today()
    rates = {r.assessor_id: r for r in override_rates(world.bureau_a, since=today - dt.timedelta(days=30), until=today)}  # type: ignore[attr-defined]
    officer = rates[case.officer.pk]
    assert (officer.assessments, officer.requested, officer.approved, officer.rejected) == (4, 2, 1, 1)
    assert officer.rate == 25.0
    assert rates[case.social_worker.pk].rate == 0.0
    assert override_rates(case.outsider, since=today - dt.timedelta(days=30), until=today) == []
